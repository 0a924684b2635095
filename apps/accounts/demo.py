import unicodedata

from .models import User

FIRST = ["Camille", "Lukas", "Sanne", "Maya", "Hugo", "Lea", "Noah", "Emma", "Jonas", "Chloé", "Liam", "Zoé"]
LAST = ["Martin", "Müller", "de Vries", "Nguyen", "Bernard", "Schmidt", "Jansen", "Garcia", "Dubois", "Tremblay"]


def seed(ctx):
    staff = [("ops", "Operations"), ("support", "Support"), ("finance", "Finance")]
    for login, role in staff:
        User.objects.get_or_create(
            email=f"{login}@fleetadmin.demo",
            defaults={"firstname": role, "lastname": "Team", "is_staff": True},
        )
    riders = 400 if ctx.large else 60
    existing = User.objects.filter(email__endswith="@riders.demo").count()
    new = []
    for i in range(existing, riders):
        first, last = ctx.rng.choice(FIRST), ctx.rng.choice(LAST)
        local = unicodedata.normalize("NFKD", f"{first}.{last}".lower().replace(" ", ""))
        new.append(User(email=f"{local.encode('ascii', 'ignore').decode()}.{i}@riders.demo",  # ASCII, as EmailValidator
                        firstname=first, lastname=last, phone_number=f"+336{ctx.rng.randint(10**7, 10**8 - 1)}"))
    for user in new:
        user.set_unusable_password()
    User.objects.bulk_create(new)
    ctx.log(f"users: {len(staff)} staff, {riders} riders")
