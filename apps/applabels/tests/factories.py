import itertools

from apps.applabels.models import AppLabel

# labelaaa, labelaab, ...: letters only, 17,576 of them (two letters ran past "z" into control characters after 676
# labels in one worker, which a PDF's text then lost).
_names = ("label" + "".join(chr(97 + i // 26 ** power % 26) for power in (2, 1, 0)) for i in itertools.count())


def make_app_label(**fields) -> AppLabel:
    fields.setdefault("name", next(_names))
    fields.setdefault("display_name", fields["name"].title())
    return AppLabel.objects.create(**fields)
