from django.db import migrations


def load(apps, schema_editor):
    from apps.reference.data import country_rows, currency_rows

    Country = apps.get_model("reference", "Country")
    Currency = apps.get_model("reference", "Currency")
    for row in country_rows():
        Country.objects.update_or_create(alpha_2=row["alpha_2"], defaults=row)
    for row in currency_rows():
        Currency.objects.update_or_create(code=row["code"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
