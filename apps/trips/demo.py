from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from apps.accounts.models import User
from apps.fleet.models import Vehicle

from apps.pricing.engine import Segment, price_trip
from apps.pricing.models import PricingRule

from .models import AdditionalCostType, PaymentMode, PaymentStatus, Trip, TripAdditionalCost, TripState

COST_TYPES = [("speed-fine", 1, "Speed fine", "Amende de vitesse"), ("cleaning", 2, "Cleaning", "Nettoyage"),
              ("damage", 3, "Damage", "Dégâts"), ("relocation", 4, "Relocation", "Rapatriement")]


def seed(ctx):
    """A month of trips per network: the trips issue replaces this with a realistic year."""
    riders = list(User.objects.filter(email__endswith="@riders.demo").values_list("id", flat=True))
    per_network = 1500 if ctx.large else 150
    now = timezone.now().replace(microsecond=0)
    total = 0
    for network in ctx.made["networks"].values():
        if Trip.objects.filter(network=network).exists():
            continue
        vehicles = list(Vehicle.objects.filter(network=network).values_list("id", flat=True))
        clusters = ctx.made["clusters"][network.name]
        trips = []
        for _ in range(per_network):
            started = now - timedelta(minutes=ctx.rng.randint(30, 30 * 24 * 60))
            duration = ctx.rng.randint(120, 3600)
            state = ctx.rng.choices([TripState.FINISHED, TripState.CANCELLED, TripState.ON_HOLD], [95, 3, 2])[0]
            finished = state == TripState.FINISHED
            trips.append(Trip(
                network=network, rider_id=ctx.rng.choice(riders), vehicle_id=ctx.rng.choice(vehicles), state=state,
                start_cluster=ctx.rng.choice(clusters), end_cluster=ctx.rng.choice(clusters) if finished else None,
                started_at=started, ended_at=started + timedelta(seconds=duration) if finished else None,
                duration=duration if finished else 0, distance=int(duration * ctx.rng.uniform(2.5, 5.5)) if finished else 0,
                running_duration=duration if finished else 0,
                payment_mode=ctx.rng.choices(PaymentMode.values, [60, 20, 12, 5, 3])[0],
                payment_status=PaymentStatus.PAID if finished and ctx.rng.random() < 0.97 else PaymentStatus.PENDING,
                demo=ctx.rng.random() < 0.02,
            ))
        _price(network, trips)
        Trip.objects.bulk_create(trips, batch_size=2000)
        _additional_costs(ctx, [t for t in trips if t.state == TripState.FINISHED][:8])
        total += len(trips)
    ctx.log(f"trips: {total} new")


def _price(network, trips):
    """Price the finished demo trips with the network's demo rules (the engine, without a query per trip)."""
    rules = [r.as_rule() for r in PricingRule.objects.filter(network=network)]
    tz, currency = ZoneInfo(network.timezone), network.currency
    for trip in trips:
        if trip.state == TripState.FINISHED:
            quote = price_trip(rules=rules, tz=tz, segments=[Segment("use", trip.started_at, trip.ended_at)],
                               freefloat_lock=trip.end_cluster_id is None)
            trip.amount, trip.cost_computed_at = currency.quantize(quote.total), trip.ended_at


def _additional_costs(ctx, trips):
    types = [AdditionalCostType.objects.get_or_create(key=key, defaults={"cost_type": macro,
                                                                         "labels": {"en": en, "fr": fr}})[0]
             for key, macro, en, fr in COST_TYPES]
    TripAdditionalCost.objects.bulk_create(
        TripAdditionalCost(trip=trip, type=ctx.rng.choice(types), amount=Decimal(ctx.rng.choice(["10.00", "25.00", "45.50"])),
                           notes="Reported by the field team") for trip in trips)
