import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _isolated_cache():
    # Login-failure counters and throttles live in the cache; no test sees another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(email="root@example.com", password="correct horse battery")


@pytest.fixture
def staff_user(db, django_user_model):
    """Logged in, but holding no permission."""
    return django_user_model.objects.create_user(email="staff@example.com", password="correct horse battery",
                                                 is_staff=True)


@pytest.fixture
def admin_client(superuser):
    client = APIClient()
    client.force_authenticate(superuser)
    return client


@pytest.fixture
def staff_client(staff_user):
    client = APIClient()
    client.force_authenticate(staff_user)
    return client
