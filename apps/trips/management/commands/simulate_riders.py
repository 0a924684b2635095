"""Simulated riders through the real riders' app API (apps.trips.simulator), against a running server."""
from django.core.management.base import BaseCommand, CommandError

from apps.trips import simulator


class Command(BaseCommand):
    help = "Run N simulated riders (sign up, save a card, ride, pay) through the riders' API of a running server."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--app-label", help="The app label's machine name (default: the one with most vehicles).")
        parser.add_argument("--riders", type=int, default=5)
        parser.add_argument("--trips", type=int, default=3, help="Trips per rider; 0 rides until --duration ends.")
        parser.add_argument("--duration", type=float, default=0, help="Seconds to ride when --trips is 0.")
        parser.add_argument("--ride-seconds", type=float, default=0, help="About how long each ride lasts.")
        parser.add_argument("--pause-seconds", type=float, default=0, help="About how long a rider waits between rides.")
        parser.add_argument("--radius", type=int, default=1500, help="Meters around the fleet's center.")
        parser.add_argument("--prefix", default="sim", help="E-mails are <prefix>-<n>@simulated.invalid.")
        parser.add_argument("--telemetry-token", help="A telemetry provider's token: the vehicles report through the "
                                                      "telemetry API ('demo': the demo provider's).")
        parser.add_argument("--heartbeat-seconds", type=float, default=60,
                            help="How often every vehicle reports its place and battery (with --telemetry-token).")

    def handle(self, *args, **options):
        label, center = simulator.fleet_center(options["app_label"])
        if label is None or center is None:
            raise CommandError("No vehicle with a position to ride: load the demo data first (seed_demo).")
        if options["trips"] == 0 and not options["duration"]:
            raise CommandError("--trips 0 rides until --duration ends: give a duration.")
        token = options["telemetry_token"]
        if token == "demo":
            from apps.telemetry.demo import DEMO_TOKEN  # the demo provider's, made by seed_demo

            token = DEMO_TOKEN
        results = simulator.run(
            base_url=options["base_url"], app_label=label, riders=options["riders"], trips=options["trips"],
            center=center, radius=options["radius"],
            ride_seconds=options["ride_seconds"], pause_seconds=options["pause_seconds"], duration=options["duration"],
            prefix=options["prefix"], telemetry_token=token, heartbeat_seconds=options["heartbeat_seconds"],
            fleet=simulator.fleet_places(label) if token else None)
        self.stdout.write(
            f"{results.trips} trips in {results.elapsed:.1f} s ({results.trips / results.elapsed:.1f}/s); "
            f"start p50 {simulator.percentile(results.start_ms, .5):.0f} ms p95 "
            f"{simulator.percentile(results.start_ms, .95):.0f} ms; end p50 {simulator.percentile(results.end_ms, .5):.0f}"
            f" ms p95 {simulator.percentile(results.end_ms, .95):.0f} ms; {results.messages} vehicle messages;"
            f" refused {results.refused or 'none'}")
