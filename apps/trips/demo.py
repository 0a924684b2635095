from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import User
from apps.fleet.models import Vehicle

from .models import Trip, TripState


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
                # Until the pricing engine prices demo trips: 1.00 to unlock, then 0.15 a started minute.
                amount=Decimal("1.00") + Decimal("0.15") * (duration // 60 + 1) if finished else 0,
                demo=ctx.rng.random() < 0.02,
            ))
        Trip.objects.bulk_create(trips, batch_size=2000)
        total += len(trips)
    ctx.log(f"trips: {total} new")
