"""How the demo serves what production serves differently: uploaded files (never the private exports), and one log
line per refused request (no traceback for a 403)."""
import logging
import sys

from django.test import Client

from apps.core.logs import RefusalsInOneLine


def test_uploaded_files_are_served_but_exports_never_are(db, settings, tmp_path):
    (tmp_path / "media" / "pictures").mkdir(parents=True, exist_ok=True)
    (tmp_path / "media" / "exports").mkdir(parents=True, exist_ok=True)
    (tmp_path / "media" / "pictures" / "a.png").write_bytes(b"png")
    (tmp_path / "media" / "exports" / "users.csv").write_bytes(b"secret")
    client = Client()
    assert b"".join(client.get("/media/pictures/a.png").streaming_content) == b"png"
    for private in ("exports/users.csv", "pictures/../exports/users.csv", "./exports/users.csv",
                    "pictures//../../media/exports/users.csv"):
        assert client.get(f"/media/{private}").status_code in (400, 404), private
    assert client.get("/media/../settings.py").status_code in (400, 404)


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("refused")
    except PermissionError:
        info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden: %s", ("/admin/",), info)
    record.status_code = status
    return record


def test_a_refusal_is_logged_in_one_line_and_an_error_with_its_traceback():
    console = next(h for h in logging.getLogger().handlers
                   if any(isinstance(f, RefusalsInOneLine) for f in h.filters))
    refused = _record(403)
    assert console.filter(refused) and console.format(refused).count("\n") == 0
    failed = _record(500)
    assert console.filter(failed) and "Traceback" in console.format(failed)


def test_an_overlong_query_string_is_a_414_in_the_envelope(admin_client, settings):
    settings.MAX_QUERY_STRING = 300
    answered = admin_client.get("/api/dashboard/v1/networks", {"networks": "1" * 301})
    body = answered.json()
    assert answered.status_code == 414 and body["code"] == -9 and body["message"]["key"] == "payload.query_too_long"
    assert admin_client.get("/api/dashboard/v1/networks", {"networks": "1"}).status_code != 414
    assert Client().get("/gbfs/v3/manifest.json?x=" + "y" * 400).status_code == 414
