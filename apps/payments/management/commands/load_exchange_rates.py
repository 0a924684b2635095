from django.core.management.base import BaseCommand

from apps.payments.rates import load_ecb_csv


class Command(BaseCommand):
    help = "Load exchange rates from a file in the ECB's daily reference-rate CSV format (eurofxref-hist.csv)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        self.stdout.write(self.style.SUCCESS(f"{load_ecb_csv(path)} exchange rates stored."))
