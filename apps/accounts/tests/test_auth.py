from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.models import AuthToken, hash_token

LOGIN = "/api/dashboard/v1/auth/login"
LOGOUT = "/api/dashboard/v1/auth/logout"
PROTECTED = "/api/dashboard/v1/networks"
PASSWORD = "correct horse battery"


def login(client, email="root@example.com", password=PASSWORD):
    return client.post(LOGIN, {"email": email, "password": password}, format="json")


def test_login_issues_a_token_stored_only_as_its_hash(superuser):
    client = APIClient()
    response = login(client)
    assert response.status_code == 200
    data = response.json()["data"]
    token = AuthToken.objects.get(user=superuser)
    assert token.key_hash == hash_token(data["token"]) != data["token"]
    assert data["expires_at"].endswith("Z")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {data['token']}")
    assert client.get(PROTECTED).json() == {"code": 0, "data": []}


def test_wrong_password_is_refused_with_a_stable_key(superuser):
    response = login(APIClient(), password="wrong")
    assert response.status_code == 401
    assert response.json()["message"]["key"] == "auth.invalid_credentials"
    assert not AuthToken.objects.exists()


def test_login_validates_its_body(db):
    response = APIClient().post(LOGIN, {"email": "not-an-email"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["message"]["fields"]) == {"email", "password"}


def test_repeated_failures_are_rate_limited_even_with_the_right_password(superuser, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    client = APIClient()
    for _ in range(3):
        assert login(client, password="wrong").status_code == 401
    response = login(client)
    assert response.status_code == 429
    assert response.json()["code"] == -8
    assert response.json()["message"]["key"] == "auth.too_many_failures"


def test_logout_revokes_the_token(superuser):
    client = APIClient()
    raw = login(client).json()["data"]["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.post(LOGOUT).json() == {"code": 0}
    response = client.get(PROTECTED)
    assert response.status_code == 401 and response.json()["code"] == -3


def test_expired_token_is_refused(superuser):
    client = APIClient()
    raw = login(client).json()["data"]["token"]
    AuthToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.get(PROTECTED)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_reads_its_user_as_stored_now(superuser, django_assert_num_queries):
    """The token and its user come in one query (compiled once per process): a user deactivated or demoted since
    login is seen on the next request, and request.auth is the token (logout revokes that one)."""
    client = APIClient()
    raw = login(client).json()["data"]["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(PROTECTED).json()["code"] == 0
    type(superuser).objects.filter(pk=superuser.pk).update(is_superuser=False)
    assert client.get(PROTECTED).status_code == 403
    type(superuser).objects.filter(pk=superuser.pk).update(is_active=False)
    assert client.get(PROTECTED).status_code == 401
    type(superuser).objects.filter(pk=superuser.pk).update(is_active=True, is_superuser=True)
    from apps.accounts.authentication import live_token

    with django_assert_num_queries(1):
        token = live_token(raw)
    assert token.user.email == superuser.email and token.pk == AuthToken.objects.get().pk
    assert client.post(LOGOUT).json() == {"code": 0} and live_token(raw) is None


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer nonsense", "Token abc"])
def test_malformed_or_unknown_credentials_are_401(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(PROTECTED)
    assert response.status_code == 401 and response.json()["code"] == -3


def test_session_login_works_for_the_browsable_api(superuser):
    client = APIClient()
    assert client.login(email="root@example.com", password=PASSWORD)
    response = client.get(PROTECTED, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"&quot;code&quot;: 0" in response.content or b'"code": 0' in response.content
