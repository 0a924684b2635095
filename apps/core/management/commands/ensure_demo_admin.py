import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_ADMIN_EMAIL = "admin@fleetadmin.demo"
# A staff member of the demo data whose grants are limited to one network (see apps/access/demo.py), to see
# network-scoped access from the inside.
SCOPED_DEMO_EMAIL = "support@fleetadmin.demo"


class Command(BaseCommand):
    help = "Create (or reset) the demo superuser and print its login. For demo installations only."

    def add_arguments(self, parser):
        parser.add_argument("--email", default=DEMO_ADMIN_EMAIL)
        parser.add_argument("--password", help="Defaults to a fresh random password, printed.")
        parser.add_argument("--scoped-email", default=SCOPED_DEMO_EMAIL,
                            help="A demo staff user (not superuser) to give a fresh printed password too.")

    def handle(self, *args, email, password, scoped_email, **options):
        password = password or secrets.token_urlsafe(12)
        User = get_user_model()
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_superuser(email=email, password=password, firstname="Demo", lastname="Admin")
        else:
            user.is_superuser = user.is_staff = user.is_active = True
            user.set_password(password)
            user.save()
        self.stdout.write(self.style.SUCCESS("Demo admin login (admin and API):"))
        self.stdout.write(f"    email:    {email}")
        self.stdout.write(f"    password: {password}")

        scoped = User.objects.filter(email=scoped_email, is_superuser=False, is_active=True).first()
        if scoped is not None:
            scoped_password = secrets.token_urlsafe(12)
            scoped.set_password(scoped_password)
            scoped.save(update_fields=["password"])
            self.stdout.write(self.style.SUCCESS("Scoped demo login (staff limited by its grants):"))
            self.stdout.write(f"    email:    {scoped_email}")
            self.stdout.write(f"    password: {scoped_password}")
        self._demo_agency()

    def _demo_agency(self):
        """A fresh MDS token for a demo city agency that sees every demo network (the previous one is revoked)."""
        # core knows no domain app at load time; networks is looked up when called.
        from apps.networks.models import Network
        # core knows no domain app at load time; opendata is looked up when called.
        from apps.opendata.models import AgencyToken
        # core knows no domain app at load time; opendata is looked up when called.
        from apps.opendata.services import agency_token_create, agency_tokens_revoke

        agency = "Demo city agency"
        agency_tokens_revoke(tokens=AgencyToken.objects.filter(agency=agency))
        _row, token = agency_token_create(agency=agency, networks=Network.objects.all())
        self.stdout.write(self.style.SUCCESS("Demo city agency's MDS token (docs/opendata.md):"))
        self.stdout.write(f"    Authorization: Bearer {token}")
