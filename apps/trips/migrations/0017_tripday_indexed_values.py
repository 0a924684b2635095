# The day summaries' durations, distances and heatmap cells get a skip index, so that listTrips counts a range from
# one block per bound, and the heatmap decodes a map area's cells, instead of decoding every day whole (issue 20);
# and every stored set whose gaps zlib hardly shrinks is kept as it is (SortedIntegersField.RAW_BELOW_RATIO).
# Stored days are re-encoded in place; rows left in the old layouts would still read right.
import apps.trips.models
from django.db import migrations

RECODED = ("riders", "vehicles", "distances", "durations", "other_distances", "other_durations", "vehicle_trips",
           "active_riders", "heat_0", "heat_1", "heat_2")


def reencode(apps, schema_editor):
    from apps.trips.models import SortedIntegersField  # the codec, not the model: it is what the rows hold

    TripDay = apps.get_model("trips", "TripDay")
    rows = TripDay.objects.order_by("pk").values_list("pk", *(SortedIntegersField.raw(f) for f in RECODED))
    for pk, *values in rows.iterator(chunk_size=500):
        TripDay.objects.filter(pk=pk).update(**{
            field: SortedIntegersField.encode(SortedIntegersField.decode(value),
                                              indexed=TripDay._meta.get_field(field).indexed)
            for field, value in zip(RECODED, values)})


class Migration(migrations.Migration):

    dependencies = [
        ('trips', '0016_partial_sort_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='tripday',
            name='distances',
            field=apps.trips.models.SortedIntegersField(default=b'', help_text='One per trip, meters.', indexed=True),
        ),
        migrations.AlterField(
            model_name='tripday',
            name='durations',
            field=apps.trips.models.SortedIntegersField(default=b'', help_text='One per trip, seconds.', indexed=True),
        ),
        migrations.AlterField(
            model_name='tripday',
            name='other_distances',
            field=apps.trips.models.SortedIntegersField(default=b'', help_text='One per trip not finished (cancelled, running, on hold), meters.', indexed=True),
        ),
        migrations.AlterField(
            model_name='tripday',
            name='other_durations',
            field=apps.trips.models.SortedIntegersField(default=b'', help_text='One per trip not finished, seconds.', indexed=True),
        ),
        migrations.AlterField(
            model_name='tripday',
            name='heat_0',
            field=apps.trips.models.SortedIntegersField(default=b'', help_text='Start cells of the 0.001° grid with their trip counts (packed).', indexed=True),
        ),
        migrations.AlterField(
            model_name='tripday',
            name='heat_1',
            field=apps.trips.models.SortedIntegersField(default=b'', help_text='Start cells of the 0.0005° grid with their trip counts (packed).', indexed=True),
        ),
        migrations.AlterField(
            model_name='tripday',
            name='heat_2',
            field=apps.trips.models.SortedIntegersField(default=b'', help_text='Start cells of the 0.0001° grid with their trip counts (packed).', indexed=True),
        ),
        migrations.RunPython(reencode, migrations.RunPython.noop),
    ]
