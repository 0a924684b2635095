"""The published terms' PDFs at their public, unguessable addresses: riders are sent these links, so they are served
by the application in production too (the storage's own URLs need not be public)."""
import secrets

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.urls import path
from django.views.decorators.http import require_safe

from .models import TermsContent


@require_safe
def document(request, content_id: int, token: str, file_name: str):
    content = TermsContent.objects.filter(pk=content_id).exclude(pdf_key="").exclude(public_token="").first()
    if content is None or not secrets.compare_digest(content.public_token, token) or file_name != content.file_name:
        raise Http404("No such document.")
    return FileResponse(default_storage.open(content.pdf_key, "rb"), content_type="application/pdf",
                        filename=f"{content.file_name}.pdf")


urlpatterns = [path("documents/terms/<int:content_id>/<str:token>/<str:file_name>.pdf", document,
                    name="terms-document")]
