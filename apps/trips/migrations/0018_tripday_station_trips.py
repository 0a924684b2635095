# The day summaries' trips per cluster move from a JSON object per day ({"started": {id: n}, "ended": {...}}) to
# sorted packed integers (TripDay.station_trips), which a year of days sums with numpy instead of parsing and adding
# ~365,000 JSON entries in Python (Metro's usage-stats/stations over 365 days: ~430 ms). Stored days are converted
# in place, both ways.
import apps.trips.models
from django.db import migrations

SIDES = {"started": 0, "ended": 1}  # apps.trips.models.STARTED, ENDED


def to_packed(apps, schema_editor):
    import numpy as np

    from apps.trips.models import SortedIntegersField, pack_counted

    TripDay = apps.get_model("trips", "TripDay")
    for pk, stations in TripDay.objects.order_by("pk").values_list("pk", "stations").iterator(chunk_size=500):
        counted = sorted((int(cluster) << 1 | SIDES[side], n) for side, per_cluster in stations.items()
                         for cluster, n in per_cluster.items())
        keys, counts = (np.array(column, dtype=np.int64) for column in zip(*counted)) if counted else ([], [])
        TripDay.objects.filter(pk=pk).update(station_trips=SortedIntegersField.encode(pack_counted(keys, counts)))


def to_json(apps, schema_editor):
    from apps.trips.models import SortedIntegersField, unpack_counts

    TripDay = apps.get_model("trips", "TripDay")
    rows = TripDay.objects.order_by("pk").values_list("pk", SortedIntegersField.raw("station_trips"))
    for pk, packed in rows.iterator(chunk_size=500):
        stations = {side: {} for side in SIDES}
        for key, n in zip(*(column.tolist() for column in unpack_counts(SortedIntegersField.decode(packed)))):
            per_cluster = stations["ended" if key & 1 else "started"]
            per_cluster[str(key >> 1)] = per_cluster.get(str(key >> 1), 0) + n
        TripDay.objects.filter(pk=pk).update(stations=stations)


class Migration(migrations.Migration):

    dependencies = [
        ('trips', '0017_tripday_indexed_values'),
    ]

    operations = [
        migrations.AddField(
            model_name='tripday',
            name='station_trips',
            field=apps.trips.models.SortedIntegersField(default=b'', help_text='Finished trips per cluster they started and ended at (pack_counts of cluster id << 1 | STARTED or ENDED).'),
        ),
        migrations.RunPython(to_packed, to_json),
        migrations.RemoveField(
            model_name='tripday',
            name='stations',
        ),
    ]
