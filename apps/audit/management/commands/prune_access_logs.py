from django.core.management.base import BaseCommand

from apps.audit.retention import prune_access_logs


class Command(BaseCommand):
    help = "Delete access log rows older than ACCESS_LOG_RETENTION_DAYS (or --days), in batches."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="Keep this many days instead of the setting (0: keep all).")

    def handle(self, *args, days, **options):
        self.stdout.write(f"{prune_access_logs(days)} access log row(s) deleted.")
