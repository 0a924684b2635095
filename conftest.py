"""Root fixtures, shared by every app's tests (Saleor's pattern: fixtures registered once, here)."""
pytest_plugins = ["apps.core.testing.fixtures", "apps.access.tests.fixtures"]
