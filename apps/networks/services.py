from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.exceptions import BusinessRuleViolation, NotFound, ValidationFailed
from apps.core.models import UNSET
from apps.reference.models import Country

from .erp import ErpClient, get_erp_client
from .models import Network, OutOfOrder, ThirdParty


@transaction.atomic
def network_create(*, name, default_vat, country, currency, default_vehicle_guarantee,
                   trip_to_skip_pre_auth_guarantee, timezone, app_label, third_party=None) -> Network:
    return Network.objects.create(
        name=name,
        default_vat=default_vat,
        country=country,
        currency=currency,
        default_vehicle_guarantee=currency.quantize(default_vehicle_guarantee),
        trip_to_skip_pre_auth_guarantee=trip_to_skip_pre_auth_guarantee,
        timezone=timezone,
        app_label=app_label,
        third_party=third_party,
    )


@transaction.atomic
def network_close(*, network: Network) -> Network:
    """Closing is definitive: a closed network leaves the dashboard's network selector for good."""
    network = Network.objects.select_for_update().get(pk=network.pk)
    if network.closed_at is not None:
        raise BusinessRuleViolation("network.already_closed", f"Network {network.pk} is already closed.")
    network.closed_at = timezone.now()
    network.save(update_fields=["closed_at", "updated_at"])
    return network


def third_party_create(*, name, address, zipcode, city, country) -> ThirdParty:
    return ThirdParty.objects.create(name=name, address=address, zipcode=zipcode, city=city, country=country)


def erp_third_parties_not_imported(*, client: ErpClient | None = None):
    client = client or get_erp_client()
    imported = set(ThirdParty.objects.filter(erp_id__isnull=False).values_list("erp_id", flat=True))
    return [record for record in client.list_third_parties() if record.erp_id not in imported]


@transaction.atomic
def third_party_import_from_erp(*, erp_id: int, client: ErpClient | None = None) -> ThirdParty:
    client = client or get_erp_client()
    record = next((r for r in client.list_third_parties() if r.erp_id == erp_id), None)
    if record is None:
        raise NotFound(f"The ERP has no third party {erp_id}.")
    # The unique erp_id makes a concurrent second import fail instead of duplicating the row.
    if ThirdParty.objects.select_for_update().filter(erp_id=erp_id).exists():
        raise BusinessRuleViolation("third_party.already_imported", f"ERP third party {erp_id} is already imported.")
    country = Country.objects.filter(alpha_2=record.country).first()
    if country is None:
        raise BusinessRuleViolation(
            "third_party.unknown_country", f"The ERP gives an unknown country code {record.country!r}."
        )
    return ThirdParty.objects.create(
        name=record.name, address=record.address, zipcode=record.zipcode, city=record.city, country=country,
        erp_id=record.erp_id,
    )


def out_of_order_validate(out_of_order: OutOfOrder) -> None:
    """The rules every saved out of order keeps (the API's services and the admin's form both apply them)."""
    _require_ends_after_start(out_of_order)
    _require_no_overlap(out_of_order)


def _require_no_overlap(out_of_order: OutOfOrder) -> None:
    others = OutOfOrder.objects.filter(network_id=out_of_order.network_id).exclude(pk=out_of_order.pk)
    others = others.filter(Q(end_date__isnull=True) | Q(end_date__gt=out_of_order.start_date))
    if out_of_order.end_date is not None:
        others = others.filter(start_date__lt=out_of_order.end_date)
    clash = others.order_by("start_date").first()
    if clash is not None:
        raise BusinessRuleViolation("out_of_order.overlap",
                                    f"This period overlaps the out of order {clash.pk} of the network.")


def _require_ends_after_start(out_of_order: OutOfOrder) -> None:
    if out_of_order.end_date is not None and out_of_order.end_date <= out_of_order.start_date:
        raise ValidationFailed.on("end_date", "end_date must be after start_date.")


@transaction.atomic
def out_of_order_create(*, network: Network, type: str, start_date, end_date=None, reason: str = "",
                        actor=None) -> OutOfOrder:
    """Periods of one network never overlap; the network row lock makes concurrent creations take turns."""
    Network.objects.select_for_update().get(pk=network.pk)
    out_of_order = OutOfOrder(network=network, type=type, reason=reason or "", start_date=start_date,
                              end_date=end_date, created_by=actor)
    out_of_order_validate(out_of_order)
    out_of_order.save()
    return out_of_order


@transaction.atomic
def out_of_order_update(*, out_of_order: OutOfOrder, reason=UNSET, end_date=UNSET) -> OutOfOrder:
    """Change the reason and/or the end (null: clear it; absent: leave it)."""
    Network.objects.select_for_update().get(pk=out_of_order.network_id)
    out_of_order = OutOfOrder.objects.get(pk=out_of_order.pk)
    if reason is not UNSET:
        out_of_order.reason = reason or ""
    if end_date is not UNSET:
        out_of_order.end_date = end_date
        out_of_order_validate(out_of_order)
    out_of_order.save()
    return out_of_order
