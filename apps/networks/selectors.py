from django.db.models import QuerySet

from apps.content.selectors import labels_in
from apps.core.exceptions import Refused

from .models import Network

# Shipped wording of the out-of-order types; operators reword them with the localization `out_of_order.<type>`.
OUT_OF_ORDER_TYPE_LABELS = {
    "winter": ("Winter closure", "Fermeture hivernale"),
    "other": ("Service suspended", "Service suspendu"),
}


def out_of_order_type_labels(*, lang: str) -> dict[str, str]:
    return labels_in(lang=lang, shipped=OUT_OF_ORDER_TYPE_LABELS, prefix="out_of_order.")


def riders_networks(*, rider) -> QuerySet:
    """The open networks of the rider's app label: the ones the riders' app shows him (none without an app label)."""
    return Network.objects.filter(app_label_id=rider.app_label_id, app_label__isnull=False, closed_at__isnull=True)


def riders_network(*, rider, network_id: int, queryset: QuerySet | None = None) -> Network:
    """One of `riders_networks` (from `queryset`, for its joins), or err_NetworkNotFound: another app's network is
    not found either."""

    network = (queryset if queryset is not None else riders_networks(rider=rider)).filter(pk=network_id).first()
    if network is None:
        raise Refused("err_NetworkNotFound", "No network of your app has this id.", http_status=404, area="network")
    return network
