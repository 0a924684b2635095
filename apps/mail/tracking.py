"""Links in newsletters: the open pixel, tracked clicks and the unsubscribe page (RFC 8058 one-click).

URLs carry a signed message id (and, for a click, the target address), never an e-mail address or a name. A
tampered token opens nothing and redirects nowhere; the pixel answers the same image whatever happens."""
from __future__ import annotations

import base64

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from apps.riders.models import RiderMessage

from .models import NewsletterDelivery

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _signer(kind: str) -> signing.Signer:
    return signing.Signer(salt=f"apps.mail.{kind}")


def open_url(message_id: int) -> str:
    return f"{settings.SITE_URL}/m/o/{_signer('open').sign(str(message_id))}.gif"


def click_url(message_id: int, target: str) -> str:
    return f"{settings.SITE_URL}/m/c/{_signer('click').sign_object([message_id, target], compress=True)}"


def unsubscribe_url(message_id: int) -> str:
    return f"{settings.SITE_URL}/m/u/{_signer('unsubscribe').sign(str(message_id))}"


def _message_id(kind: str, token: str) -> int | None:
    try:
        return int(_signer(kind).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


@require_GET
def opened(request, token):
    message_id = _message_id("open", token)
    if message_id is not None:
        RiderMessage.objects.filter(pk=message_id, opened_at__isnull=True).update(opened_at=timezone.now())
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def clicked(request, token):
    try:
        message_id, target = _signer("click").unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404("Unknown link.") from None
    if not isinstance(target, str) or not target.startswith(("https://", "http://")):
        raise Http404("Unknown link.")
    now = timezone.now()
    message = RiderMessage.objects.filter(pk=message_id)
    message.filter(clicked_at__isnull=True).update(clicked_at=now)
    message.filter(opened_at__isnull=True).update(opened_at=now)  # a click is an open the pixel may have missed
    return HttpResponseRedirect(target)


@csrf_exempt  # RFC 8058: mailbox providers POST `List-Unsubscribe=One-Click` with no session and no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    # at call time: a load-time import here closes a cycle through apps.mail.newsletters.
    from .newsletters import unsubscribe as unsubscribe_rider

    message_id = _message_id("unsubscribe", token)
    delivery = (NewsletterDelivery.objects.select_related("newsletter__app_label", "rider")
                .filter(Q(message_id=message_id)).first() if message_id is not None else None)
    if delivery is None:
        raise Http404("Unknown link.")
    brand = delivery.newsletter.app_label.display_name if delivery.newsletter.app_label else "fleetadmin"
    if request.method == "GET":  # a link followed by a scanner must not unsubscribe: the page asks to confirm
        return render(request, "mail/unsubscribe.html", {"brand": brand, "done": False, "token": token})
    unsubscribe_rider(delivery)
    return render(request, "mail/unsubscribe.html", {"brand": brand, "done": True})


urlpatterns = [
    path("m/o/<str:token>.gif", opened, name="mail-open"),
    path("m/c/<str:token>", clicked, name="mail-click"),
    path("m/u/<str:token>", unsubscribe, name="mail-unsubscribe"),
]
