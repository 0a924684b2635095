from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.core.api.errors import BusinessRuleViolation, NotFound

from .erp import ErpClient, get_erp_client
from .models import Network, ThirdParty


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
    from apps.reference.models import Country

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
