"""A realistic year of trips per demo network: more in summer and on weekdays, rush hours at 8:00 and 18:00,
a few paused, running, on-hold and cancelled trips, priced with the network's demo rules; additional costs and
coupons on some of them."""
from datetime import datetime, time, timedelta, timezone as dt_timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from apps.accounts.models import User
from apps.discounts.models import CouponUse, DiscountCode
from apps.fleet.models import Maintenance, Vehicle
from apps.pricing.engine import Segment, price_trip
from apps.pricing.models import PricingRule

from .models import (
    AdditionalCostType,
    PaymentMode,
    PaymentStatus,
    Reservation,
    Trip,
    TripAdditionalCost,
    TripEvent,
    TripState,
)
from .services import trip_compute_cost
from .tasks import fill_trip_days

COST_TYPES = [("speed-fine", 1, "Speed fine", "Amende de vitesse"), ("cleaning", 2, "Cleaning", "Nettoyage"),
              ("damage", 3, "Damage", "Dégâts"), ("relocation", 4, "Relocation", "Rapatriement")]
# Relative demand per local hour: night lull, a morning and an evening peak.
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 5, 12, 18, 10, 6, 6, 8, 7, 6, 7, 10, 16, 18, 11, 7, 5, 3, 2]
MONTH_WEIGHTS = [6, 6, 8, 10, 12, 13, 14, 12, 12, 10, 8, 6]  # January .. December


def _reservations(network, trips) -> None:
    """A few reservations, ended: the riders held these vehicles a few minutes before their trips (half of them
    started them; the others gave them up)."""
    # local: `timedelta` names something else in this module.
    from datetime import timedelta

    made = Reservation.objects.bulk_create(Reservation(
        network=network, rider_id=trip.rider_id, vehicle_id=trip.vehicle_id, expires_at=trip.started_at,
        ended_at=trip.started_at, trip=trip if n % 2 == 0 else None,
        outcome=Reservation.Outcome.STARTED if n % 2 == 0 else Reservation.Outcome.CANCELLED)
        for n, trip in enumerate(trips))
    for reservation, trip in zip(made, trips):
        Reservation.objects.filter(pk=reservation.pk).update(created_at=trip.started_at - timedelta(minutes=4))


def seed(ctx):
    riders = list(User.objects.filter(email__endswith="@riders.demo").values_list("id", flat=True))
    per_network = 20_000 if ctx.large else 2_000
    total = 0
    for network in ctx.made["networks"].values():
        if Trip.objects.filter(network=network).exists():
            continue
        trips = _year_of_trips(ctx, network, riders, per_network)
        _price(network, trips)
        Trip.objects.bulk_create(trips, batch_size=2000)
        finished = [t for t in trips if t.state == TripState.FINISHED]
        _pauses(ctx, finished[-40:])
        _additional_costs(ctx, finished[::150])
        _coupons(network, finished[::90])
        _reservations(network, finished[-6:])
        total += len(trips)
    ctx.log(f"trips: {total} new")
    # The demo year's day summaries at once, so the first statistics page reads them (the beat keeps them filled).
    ctx.log(f"trip day summaries: {fill_trip_days()} stored")


def _year_of_trips(ctx, network, riders, count) -> list[Trip]:
    tz = ZoneInfo(network.timezone)
    vehicles = list(Vehicle.objects.filter(network=network, decommissioned_at__isnull=True).values_list("id", flat=True))
    clusters = ctx.made["clusters"][network.name]
    today = timezone.now().astimezone(tz).date()
    days = [today - timedelta(days=n) for n in range(1, 366)]
    weights = [MONTH_WEIGHTS[d.month - 1] * (10 if d.weekday() < 5 else 7) for d in days]
    trips = []
    for day in sorted(ctx.rng.choices(days, weights, k=count)):
        hour = ctx.rng.choices(range(24), HOUR_WEIGHTS)[0]
        started = local_start(day, time(hour, ctx.rng.randint(0, 59), ctx.rng.randint(0, 59)), tz)
        duration = int(min(ctx.rng.lognormvariate(6.6, 0.6), 4 * 3600))  # a median near 12 minutes
        state = ctx.rng.choices([TripState.FINISHED, TripState.CANCELLED], [97, 3])[0]
        trips.append(_trip(ctx, network, riders, vehicles, clusters, started, duration, state))
    now = timezone.now().replace(microsecond=0)
    # Under way right now: each on its own vehicle, one a rider could have started (not in a stock or maintenance),
    # as the trip lifecycle allows (apps.trips.lifecycle).
    # at call time: stocks imports trips at load time (a cycle).
    from apps.stocks.models import StockedVehicle

    busy = set(StockedVehicle.objects.values_list("vehicle_id", flat=True)) | set(
        Maintenance.objects.filter(ended_at__isnull=True, vehicle__isnull=False).values_list("vehicle_id", flat=True))
    free = [v for v in vehicles if v not in busy]
    for state, vehicle in zip([TripState.RUNNING] * 3 + [TripState.ON_HOLD] * 2,
                              ctx.rng.sample(free, min(5, len(free)))):
        trip = _trip(ctx, network, riders, vehicles, clusters, now - timedelta(minutes=ctx.rng.randint(2, 40)), 0,
                     state)
        trip.vehicle_id = vehicle
        trips.append(trip)
    return trips


def local_start(day, at: time, tz: ZoneInfo) -> datetime:
    """A demo trip's start at a local wall-clock time, in UTC: an aware local time's arithmetic (start + duration)
    keeps its offset, so a start in the hour the clocks skip (02:xx on the last Sunday of March in Paris) would end
    before it began."""
    return datetime.combine(day, at, tz).astimezone(dt_timezone.utc)


def _trip(ctx, network, riders, vehicles, clusters, started, duration, state) -> Trip:
    finished = state == TripState.FINISHED
    end_cluster = ctx.rng.choice(clusters) if finished and ctx.rng.random() < 0.7 else None
    return Trip(
        network=network, rider_id=ctx.rng.choice(riders), vehicle_id=ctx.rng.choice(vehicles), state=state,
        start_cluster=ctx.rng.choice(clusters), end_cluster=end_cluster, started_at=started,
        ended_at=started + timedelta(seconds=duration) if finished else None,
        duration=duration if finished else 0, running_duration=duration if finished else 0,
        distance=int(duration * ctx.rng.uniform(2.5, 5.5)) if finished else 0,
        start_latitude=Decimal(45 + ctx.rng.random() / 10).quantize(Decimal("0.000001")),
        start_longitude=Decimal(4 + ctx.rng.random() / 10).quantize(Decimal("0.000001")),
        payment_mode=ctx.rng.choices(PaymentMode.values, [60, 20, 12, 5, 3])[0],
        payment_status=PaymentStatus.PAID if finished and ctx.rng.random() < 0.97 else PaymentStatus.PENDING,
        demo=ctx.rng.random() < 0.02,
    )


def _price(network, trips):
    """Price the finished demo trips with the network's demo rules (the engine, without a query per trip)."""
    rules = [r.as_rule() for r in PricingRule.objects.filter(network=network)]
    tz, currency = ZoneInfo(network.timezone), network.currency
    for trip in trips:
        if trip.state == TripState.FINISHED:
            quote = price_trip(rules=rules, tz=tz, segments=[Segment("use", trip.started_at, trip.ended_at)],
                               freefloat_lock=trip.end_cluster_id is None)
            trip.amount, trip.cost_computed_at = currency.quantize(quote.total), trip.ended_at


def _pauses(ctx, trips):
    """A pause in the middle of some trips, as the events the costing reads (they are repriced)."""

    for trip in trips:
        if trip.duration < 600:
            continue
        pause = trip.started_at + timedelta(seconds=trip.duration // 3)
        TripEvent.objects.bulk_create([
            TripEvent(trip=trip, type=TripEvent.Type.PAUSE, source=TripEvent.Source.MOBILE_APP, timestamp=pause),
            TripEvent(trip=trip, type=TripEvent.Type.RESUME, source=TripEvent.Source.MOBILE_APP,
                      timestamp=pause + timedelta(seconds=trip.duration // 4))])
        trip.running_duration = trip.duration - trip.duration // 4
        trip.save(update_fields=["running_duration"])
        trip_compute_cost(trip=trip)


def _additional_costs(ctx, trips):
    types = [AdditionalCostType.objects.get_or_create(key=key, defaults={"cost_type": macro,
                                                                         "labels": {"en": en, "fr": fr}})[0]
             for key, macro, en, fr in COST_TYPES]
    TripAdditionalCost.objects.bulk_create(
        TripAdditionalCost(trip=trip, type=ctx.rng.choice(types), amount=Decimal(ctx.rng.choice(["10.00", "25.00", "45.50"])),
                           notes="Reported by the field team") for trip in trips)


def _coupons(network, trips):
    """The welcome coupon on some trips (once per rider), repriced."""

    code = DiscountCode.objects.filter(discount__network=network, code__startswith="WELCOME-").first()
    if code is None:
        return
    seen = set()
    for trip in trips:
        if trip.rider_id in seen:
            continue
        seen.add(trip.rider_id)
        CouponUse.objects.create(trip=trip, code=code, rider_id=trip.rider_id)
        trip_compute_cost(trip=trip)
