"""The envelope, applied once: views return plain data, this renderer wraps it.

Success: {"code": 0, "data": <payload>, "total": <n>} ("data" absent when the view returned nothing,
"total" only on paginated lists). Error bodies are built by the exception handler and pass through;
a positive informational code (e.g. 3, "invoice not generated yet") is set as `response.envelope_code`.
"""
import orjson
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

# orjson writes what DRF's encoder would, several times faster on large lists; DRF's own path remains for indented
# output and for what orjson refuses (integers beyond 64 bits). Times are written by orjson itself, in C: ISO 8601
# with "Z" for UTC, microseconds when there are some, as DRF's encoder and DateTimeField write them (a test holds
# them equal), so a list built from plain rows leaves its datetimes as they are (apps.core.api.rows). Decimals,
# UUIDs and the rest go through the encoder's `default`.
_ENCODER = JSONEncoder()
_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z | orjson.OPT_PASSTHROUGH_DATACLASS
_SEPARATORS_LEAD = "\u2028".encode()[:1]  # U+2028 and U+2029 in UTF-8: E2 80 A8, E2 80 A9


def wrap(data, response) -> dict:
    if getattr(response, "is_envelope", False):
        return data
    code = getattr(response, "envelope_code", 0)
    body = {"code": code}
    if data is not None:
        body["data"] = data
    total = getattr(response, "total", None)
    if total is not None:
        body["total"] = total
    response.envelope_code = code
    return body


class EnvelopeJSONRenderer(JSONRenderer):
    # Decimals leave as JSON numbers (COERCE_DECIMAL_TO_STRING=False). Money columns have at most 15 significant
    # digits, which a double prints back exactly, so no amount changes on the way out.
    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            data = wrap(data, response)
        if data is None or self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=_ENCODER.default, option=_ORJSON_OPTIONS)
        except TypeError:
            return super().render(data, accepted_media_type, renderer_context)
        return _javascript_safe(body)


def _javascript_safe(body: bytes) -> bytes:
    # As DRF does: U+2028 and U+2029 escaped, so the JSON is also valid JavaScript. Both start with the byte E2,
    # which most bodies lack: one memchr instead of two searches.
    if _SEPARATORS_LEAD not in body:
        return body
    return body.replace("\u2028".encode(), b"\\u2028").replace("\u2029".encode(), b"\\u2029")


def writes_plain_json(request) -> bool:
    """The answer negotiated is the envelope's compact JSON (not the browsable API's page, nor indented JSON), which
    a view may then write from rows PostgreSQL turned into JSON (`enveloped_json_lines`)."""
    renderer = getattr(request, "accepted_renderer", None)
    return (type(renderer) is EnvelopeJSONRenderer
            and renderer.get_indent(request.accepted_media_type, {}) is None)


def enveloped_json_lines(lines: bytes, *, times_per_row: int) -> bytes | None:
    """The success envelope around rows PostgreSQL wrote as JSON objects, one per line
    (`core.prepared.copied_as_json_lines`), as this renderer would write their values: `data` an array of them.

    PostgreSQL writes a time as `2026-12-04T10:00:05+00:00` (the session's zone is UTC); the API's times end in `Z`
    (CONVENTIONS.md). Each row holds `times_per_row` times, never null: each gives exactly one `+00:00"`. Any other
    such text (a string value ending in it) makes the count differ, and then None: the caller builds the answer
    in Python rather than rewrite a value it was sent."""
    rows = lines.count(b"\n")
    if lines.count(b'+00:00"') != rows * times_per_row:
        return None
    data = b"[" + lines[:-1].replace(b"\n", b",") + b"]" if rows else b"[]"
    return _javascript_safe(b'{"code":0,"data":' + data.replace(b'+00:00"', b'Z"') + b"}")


class EnvelopeBrowsableAPIRenderer(BrowsableAPIRenderer):
    """The support team's browsable API shows the same envelope the JSON clients get."""

    def get_default_renderer(self, view):
        return EnvelopeJSONRenderer()
