"""Large answers compressed on the wire, and answered 304 when the client holds them already.

Django's own middlewares do the work (GZipMiddleware: gzip with random bytes in its header against BREACH-style
length guessing; ConditionalGetMiddleware: an ETag from the content, 304 on a matching If-None-Match). This subclass
only leaves small answers alone: below GZIP_MIN_BYTES the bytes saved are a few packets, while the compression is
CPU spent on every request (a listTrips page of 50, ~25 KB, costs ~0.4 ms at level 6; a year's heatmap of a city,
~2 MB of JSON, ~18 ms for an answer 7-8x smaller: docs/performance.md)."""
from django.conf import settings
from django.middleware.gzip import GZipMiddleware


class LargeAnswersGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not response.streaming and len(response.content) < settings.GZIP_MIN_BYTES:
            return response
        return super().process_response(request, response)
