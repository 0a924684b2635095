"""Deterministic demo data. Each app contributes through a `demo.py` module with `seed(ctx)`; apps run in
INSTALLED_APPS order and share what they made through `ctx` (later apps add clusters, vehicles, trips...)."""
import importlib
import random
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


@dataclass
class DemoContext:
    rng: random.Random
    size: str
    made: dict = field(default_factory=dict)
    log: callable = print

    @property
    def large(self) -> bool:
        return self.size == "large"


class Command(BaseCommand):
    help = "Load realistic demo data (idempotent: a second run leaves a loaded database as it is)."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=["small", "large"], default="small")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, size, seed, **options):
        ctx = DemoContext(rng=random.Random(seed), size=size, log=lambda msg: self.stdout.write(f"  {msg}"))
        with transaction.atomic():
            for config in apps.get_app_configs():
                if not config.name.startswith("apps."):
                    continue
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(ctx)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({size}, seed {seed})."))
