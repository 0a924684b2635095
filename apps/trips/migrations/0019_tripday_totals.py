# The day summaries store the sums of their distances and durations, so that a year's totals and averages no longer
# decode every value (apps.stats.daily.usage_summary). Stored days get their sums from their own values.
from django.db import migrations, models


def sum_stored_values(apps, schema_editor):
    from apps.trips.models import SortedIntegersField

    TripDay = apps.get_model("trips", "TripDay")
    rows = TripDay.objects.order_by("pk").values_list(
        "pk", SortedIntegersField.raw("distances"), SortedIntegersField.raw("durations"))
    batch = []
    for pk, distances, durations in rows.iterator(chunk_size=500):
        batch.append(TripDay(pk=pk, distance_total=int(SortedIntegersField.decode(distances).sum()),
                             duration_total=int(SortedIntegersField.decode(durations).sum())))
        if len(batch) == 500:
            TripDay.objects.bulk_update(batch, ["distance_total", "duration_total"])
            batch = []
    TripDay.objects.bulk_update(batch, ["distance_total", "duration_total"])


class Migration(migrations.Migration):

    dependencies = [
        ('trips', '0018_tripday_station_trips'),
    ]

    operations = [
        migrations.AddField(
            model_name='tripday',
            name='distance_total',
            field=models.BigIntegerField(default=0, help_text='Sum of `distances`, meters.'),
        ),
        migrations.AddField(
            model_name='tripday',
            name='duration_total',
            field=models.BigIntegerField(default=0, help_text='Sum of `durations`, seconds.'),
        ),
        migrations.RunPython(sum_stored_values, migrations.RunPython.noop),
    ]
