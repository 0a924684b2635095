from decimal import Decimal
from datetime import datetime, timezone

from apps.reference.models import Country, Currency

from .models import Network, OutOfOrder, ThirdParty
from .services import network_create, third_party_import_from_erp

# (name, country, currency, time zone, VAT, guarantee, app label, ERP owner)
NETWORKS = [
    ("Lyon Vélo+", "FR", "EUR", "Europe/Paris", "0.20", "150", "velo", 1001),
    ("Berlin Rad", "DE", "EUR", "Europe/Berlin", "0.19", "150", "velo", 1002),
    ("Amsterdam Fiets", "NL", "EUR", "Europe/Amsterdam", "0.21", "150", "velo", 1003),
    ("San Francisco RideGo", "US", "USD", "America/Los_Angeles", "0.0863", "200", "ridego", 1004),
    ("Montréal RideGo", "CA", "CAD", "America/Toronto", "0.14975", "200", "ridego", None),
]


def seed(ctx):
    owners = {}
    for erp_id in sorted({n[7] for n in NETWORKS if n[7]}):
        owners[erp_id] = ThirdParty.objects.filter(erp_id=erp_id).first() or third_party_import_from_erp(erp_id=erp_id)
    networks = {}
    for name, country, currency, tz, vat, guarantee, label, owner in NETWORKS:
        network = Network.objects.filter(name=name).first() or network_create(
            name=name,
            default_vat=Decimal(vat),
            country=Country.objects.get(alpha_2=country),
            currency=Currency.objects.get(code=currency),
            default_vehicle_guarantee=Decimal(guarantee),
            trip_to_skip_pre_auth_guarantee=ctx.rng.choice([-1, 0, 3, 5]),
            timezone=tz,
            app_label=ctx.made["app_labels"][label],
            third_party=owners.get(owner),
        )
        networks[name] = network
        _seed_out_of_orders(network)
    ctx.made["networks"] = networks
    ctx.log(f"networks: {', '.join(networks)}")


def _seed_out_of_orders(network):
    """Last winter's closure and a past one-day suspension; idempotent."""

    if OutOfOrder.objects.filter(network=network).exists():
        return
    year = datetime.now(timezone.utc).year
    OutOfOrder.objects.bulk_create([
        OutOfOrder(network=network, type=OutOfOrder.Type.WINTER, reason="Snow and ice on the cycle lanes",
                   start_date=datetime(year - 1, 12, 15, tzinfo=timezone.utc),
                   end_date=datetime(year, 2, 28, tzinfo=timezone.utc)),
        OutOfOrder(network=network, type=OutOfOrder.Type.OTHER, reason="City marathon",
                   start_date=datetime(year, 4, 12, 6, tzinfo=timezone.utc),
                   end_date=datetime(year, 4, 12, 18, tzinfo=timezone.utc)),
    ])
