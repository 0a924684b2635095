"""Published demo terms of use for the first network, in English and French (PDFs rendered, riders notified)."""
from apps.content.models import Language
from apps.networks.models import Network

from . import services
from .models import TermsOfUse

TEXTS = {"en": ("terms", "# Terms of use\n\n1. Ride **safely** and park in the marked areas.\n2. Report any damage."),
         "fr": ("cgu", "# Conditions d'utilisation\n\n1. Roulez **prudemment** et garez-vous dans les zones.\n"
                       "2. Signalez tout dommage.")}


def seed(ctx):
    network = Network.objects.order_by("pk").first()
    if network is None or TermsOfUse.objects.exists():
        return
    for code, name in (("en", "English"), ("fr", "Français")):
        Language.objects.get_or_create(iso_639_1=code, defaults={"name": name})
    terms = services.terms_create(target_type="network", target=network)
    for lang, (file_name, text) in TEXTS.items():
        services.content_upsert(terms=terms, lang=lang, content=text, file_name=file_name)
    services.terms_publish(terms=terms, actor=None)
    ctx.log(f"terms: version {terms.version} published for {network.name}")
