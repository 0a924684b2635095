"""Plain-row output (apps.core.api.rows) renders as DRF's serializers do: a row's datetimes, left as they are in UTC
or moved to the current zone by in_current_zone, come out of the renderer as DateTimeField writes them."""
import json
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone as django_timezone
from rest_framework.fields import DateTimeField
from rest_framework.utils.encoders import JSONEncoder

from apps.core.api.renderers import EnvelopeJSONRenderer, enveloped_json_lines
from apps.core.api.rows import in_current_zone

VALUES = [datetime(2026, 3, 29, 0, 59, 59, 123456, tzinfo=timezone.utc), datetime(2026, 3, 29, 1, 0, tzinfo=timezone.utc),
          datetime(2026, 3, 29, 3, 0, tzinfo=ZoneInfo("Europe/Paris")),
          datetime(2026, 1, 1, tzinfo=ZoneInfo("Europe/London")),  # an offset of zero in a zone other than UTC
          datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=5, minutes=30))),
          datetime(1970, 1, 1, tzinfo=timezone.utc), datetime(2026, 5, 1, 12, 30, 0, 5), None]
# Not the same: a time before ~1912 in a zone whose offset then had seconds (Paris's local mean time, +00:09:21).
# orjson writes the offset to the minute, as RFC 3339 has it; the API's zone is UTC (settings.TIME_ZONE).


def rendered(data) -> list:
    return json.loads(EnvelopeJSONRenderer().render(data))


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/Sao_Paulo"])
def test_times_render_as_drfs_datetime_field(zone):
    with django_timezone.override(ZoneInfo(zone)):
        field = DateTimeField()
        rows = in_current_zone([{"at": value} for value in VALUES], "at")
        assert rendered([row["at"] for row in rows]) == [
            field.to_representation(value) if value else None for value in VALUES]


def test_the_renderer_writes_times_and_dates_as_drfs_encoder():
    """orjson writes datetimes, dates and times itself; DRF's encoder (the indented output's) writes the same."""
    values = [value for value in VALUES if value] + [date(2026, 1, 2), time(1, 2, 3, 4), time(0, 0)]
    encoder = JSONEncoder()
    assert rendered(values) == [encoder.default(value) for value in values]
    assert EnvelopeJSONRenderer().render(values) != EnvelopeJSONRenderer().render(
        values, "application/json; indent=2", {"indent": 2})  # both paths ran
    assert rendered(values) == json.loads(EnvelopeJSONRenderer().render(values, "application/json; indent=2",
                                                                        {"indent": 2}))


def test_line_and_paragraph_separators_are_escaped_and_other_text_kept():
    """U+2028 and U+2029 leave as escapes (the JSON stays valid JavaScript, as DRF writes it); other characters whose
    UTF-8 starts with the same byte (’, …) and plain text pass unchanged."""
    text = "it’s… a\u2028b\u2029c é"
    body = EnvelopeJSONRenderer().render({"note": text})
    assert b"\\u2028" in body and b"\\u2029" in body and "\u2028".encode() not in body
    assert "it’s…".encode() in body and json.loads(body) == {"note": text}
    assert EnvelopeJSONRenderer().render({"note": "plain é"}) == '{"note":"plain é"}'.encode()


def test_rows_written_as_json_by_postgresql_get_the_envelope_and_the_apis_times():
    """enveloped_json_lines: COPY's lines (one object each) become `data`; PostgreSQL's `+00:00` times end in `Z`;
    the separators are escaped as above; a string value ending in `+00:00` (the count of times then differs) is
    refused rather than rewritten, and the caller builds the answer in Python."""
    lines = (b'{"id":1,"at":"2026-12-04T10:00:05+00:00","note":"a\xe2\x80\xa8b"}\n'
             b'{"id":2,"at":"2026-12-04T10:00:05.12+00:00","note":null}\n')
    body = enveloped_json_lines(lines, times_per_row=1)
    assert body == (b'{"code":0,"data":[{"id":1,"at":"2026-12-04T10:00:05Z","note":"a\\u2028b"},'
                    b'{"id":2,"at":"2026-12-04T10:00:05.12Z","note":null}]}')
    assert json.loads(body)["data"][0]["note"] == "a\u2028b"
    assert enveloped_json_lines(b"", times_per_row=2) == b'{"code":0,"data":[]}'
    assert enveloped_json_lines(lines.replace(b'"note":null', b'"note":"x+00:00"'), times_per_row=1) is None
    assert enveloped_json_lines(lines, times_per_row=2) is None  # a time missing: not this statement's rows
