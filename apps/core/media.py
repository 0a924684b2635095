"""Uploaded files served by this process where SERVE_MEDIA is on (the demo, development): cluster pictures, terms
PDFs, images of mails. Exports are private (only their owner downloads them, through the admin) and never served
here, however the path is spelled: the path is resolved first, then judged."""
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.views.static import serve

PRIVATE = ("exports",)


def serve_media(request, path: str):
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root) or target.relative_to(root).parts[:1] in [(p,) for p in PRIVATE]:
        raise Http404("Not a public file.")
    return serve(request, target.relative_to(root).as_posix(), document_root=root)
