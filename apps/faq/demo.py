"""A demo FAQ for the first app label, in English and French."""
from apps.applabels.models import AppLabel
from apps.content.models import Language

from . import services
from .models import FaqCategory, FaqContent, FaqSubCategory

FAQ = [("riding", "Riding", "Rouler", [("unlock", "Unlocking a bike", "Déverrouiller un vélo", [
    ("scan", "Open the app and **scan the QR code** on the handlebar.",
     "Ouvrez l'application et **scannez le QR code** sur le guidon."),
    ("help", "Still locked? Write to [the support](mailto:support@velo.demo).",
     "Toujours bloqué ? Écrivez [au support](mailto:support@velo.demo)."),
])])]


def seed(ctx):
    label = AppLabel.objects.order_by("pk").first()
    if label is None or FaqCategory.objects.exists():
        return
    labels = AppLabel.objects.all()
    Language.objects.get_or_create(iso_639_1="en", defaults={"name": "English"})
    Language.objects.get_or_create(iso_639_1="fr", defaults={"name": "Français"})
    for slug, en, fr, subs in FAQ:
        category = services.category_create(key=f"faq.{label.pk}.categories.{slug}", labels=labels)
        for lang, name in (("en", en), ("fr", fr)):
            services.translation_set(model=FaqCategory, key=category.key, lang=lang, text=name, labels=labels)
        for sub_slug, sub_en, sub_fr, contents in subs:
            sub = services.sub_category_create(key=f"faq.{label.pk}.sub_categories.{slug}.{sub_slug}",
                                               category=category.key, labels=labels)
            for lang, name in (("en", sub_en), ("fr", sub_fr)):
                services.translation_set(model=FaqSubCategory, key=sub.key, lang=lang, text=name, labels=labels)
            for order, (content_slug, text_en, text_fr) in enumerate(contents):
                content = services.content_create(key=f"faq.{label.pk}.contents.{sub_slug}.{content_slug}",
                                                  sub_category=sub.key, type="formatted-text", bold=False,
                                                  labels=labels)
                content.sort_order = order
                content.save(update_fields=["sort_order"])
                for lang, text in (("en", text_en), ("fr", text_fr)):
                    services.translation_set(model=FaqContent, key=content.key, lang=lang, text=text, labels=labels)
    ctx.log("faq: one category in English and French")
