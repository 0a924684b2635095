from .models import AppLabel, AppLabelMailSetting
from .services import app_label_create

LABELS = [
    ("velo", "Vélo+", "https://veloplus.example", "Vélo+ Mobilité SAS", "8 quai Saint-Antoine", "69002", "Lyon", "France"),
    ("ridego", "RideGo", "https://ridego.example", "RideGo Inc.", "500 Howard St", "94105", "San Francisco", "USA"),
]


def seed(ctx):
    for name, display, website, company, street, zip_code, city, country in LABELS:
        label = AppLabel.objects.filter(name=name).first()
        if label is None:
            label = app_label_create(
                name=name, display_name=display,
                billing_info={"name": company, "street": street, "zip_code": zip_code, "city": city, "country": country,
                              "vat_number": f"VAT{ctx.rng.randint(10**8, 10**9 - 1)}", "issuer": display},
            )
            label.website = website
            label.contact_email = f"support@{website.removeprefix('https://')}"
            label.save()
            AppLabelMailSetting.objects.create(
                app_label=label, send_mails=True, sender_address=f"no-reply@{website.removeprefix('https://')}",
                sender_name=display, notification_email=f"ops@{website.removeprefix('https://')}",
            )
        ctx.made.setdefault("app_labels", {})[name] = label
    ctx.log(f"app labels: {', '.join(ctx.made['app_labels'])}")
