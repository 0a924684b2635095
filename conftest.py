"""Root fixtures, shared by every app's tests (Saleor's pattern: fixtures registered once, here)."""
from django.test.utils import override_settings

pytest_plugins = ["apps.core.testing.fixtures", "apps.access.tests.fixtures"]


def pytest_configure(config):
    # Production hashes passwords with PBKDF2 (a deliberately slow ~0.5 s per hash on this machine); the
    # tests create and log in thousands of users, so they hash with MD5. What is tested is that a password
    # is checked, not how slowly.
    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()
