"""A query string longer than MAX_QUERY_STRING bytes is answered 414 in the API's envelope (code -9), before anything
reads it. The server in front (gunicorn's `--limit-request-line 8190`) lets longer request lines through to here, so
the answer is the documented envelope rather than the server's own page; past 8,190 bytes the server answers 414
itself."""
from django.conf import settings
from django.http import HttpResponse, JsonResponse

from apps.core.exceptions import ErrorCode


class QueryStringLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = len(request.META.get("QUERY_STRING", ""))
        if length <= settings.MAX_QUERY_STRING:
            return self.get_response(request)
        text = f"The query string has {length} bytes; at most {settings.MAX_QUERY_STRING} are taken."
        if not request.path.startswith("/api/"):
            return HttpResponse(text, status=414, content_type="text/plain; charset=utf-8")
        return JsonResponse({"code": ErrorCode.PAYLOAD, "message": {
            "key": "payload.query_too_long", "text": text, "fields": {"query": [text]}}}, status=414)
