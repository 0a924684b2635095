"""Who changed what and when on configuration and money-adjacent models, from the admin and the API alike.

django-auditlog records a diff (field: [old, new]) of every save and delete of the models registered below, in one
table, from the models' signals: the admin's forms, the API's services and the admin actions all pass there
(docs/architecture.md says why auditlog rather than django-simple-history). Bulk `QuerySet.update()`s bypass
signals; the services that use them on these models are listed in docs/architecture.md.
"""
from django.contrib.auth import get_user_model
from django.utils.functional import SimpleLazyObject

from auditlog.middleware import AuditlogMiddleware
from django.apps import apps
from auditlog.registry import auditlog

# model label -> the fields whose history is kept (None: all of them but timestamps)
HISTORY = {
    "pricing.PricingRule": None,
    "netconfig.NetworkSettings": None,
    "netconfig.NetworkAccessRule": None,
    "netconfig.VehicleModelSettings": None,
    "geofencing.NetworkBorder": None,
    "geofencing.BorderSettings": None,
    "geofencing.SpeedZone": None,
    "geofencing.VirtualParking": None,
    "access.AccessGrant": None,
    "access.Role": None,
    "access.OrganizationalUnit": None,
    "discounts.Discount": None,
    "discounts.DiscountCode": None,
    "networks.Network": None,
    "commerce.Offer": None,
    "commerce.Pass": None,
    "commerce.SubscriptionPrice": None,
    # A vehicle's network and state (docked, decommissioned), not its battery level or position.
    "fleet.Vehicle": ["network", "spot", "decommissioned_at", "model", "serial_number"],
}
IGNORED = ["created_at", "updated_at"]


def register_history() -> None:
    for label, fields in HISTORY.items():
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(model, include_fields=fields or [], exclude_fields=IGNORED if fields is None else [])


class HistoryActorMiddleware(AuditlogMiddleware):
    """auditlog's middleware, with the actor read when a change is saved rather than when the request arrives: the
    API authenticates bearer tokens in the view (DRF), after the middlewares ran."""

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

    def __call__(self, request):
        # A read changes nothing to record: auditlog's context connects and disconnects a pre_save receiver per
        # request (~0.2 ms of a listTrips page's ~4 ms of CPU, issue 38), so reads go without it.
        if request.method in self.SAFE_METHODS:
            return self.get_response(request)
        return super().__call__(request)

    @staticmethod
    def _get_actor(request):
        def current_user():
            user = getattr(request, "user", None)
            return user if isinstance(user, get_user_model()) and user.is_authenticated else None

        return SimpleLazyObject(current_user)
