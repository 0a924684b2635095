import itertools

from apps.applabels.models import AppLabel

_names = (f"label{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in itertools.count())


def make_app_label(**fields) -> AppLabel:
    fields.setdefault("name", next(_names))
    fields.setdefault("display_name", fields["name"].title())
    return AppLabel.objects.create(**fields)
