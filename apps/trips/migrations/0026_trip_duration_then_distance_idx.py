from django.db import migrations, models

from apps.core.concurrent_indexes import create, drop

# A short duration range sorted by distance (all trips of 300 s or less, farthest first) reads each duration's
# farthest trips off this index, one short descent per second of the range, instead of finding and sorting every
# short trip (Metro's 528,000: 104 ms; issue 38, docs/performance.md).

NEW = {"trip_duration_then_dist_idx": "network_id, duration, distance, id"}


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ('trips', '0025_cluster_filter_indexes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(create("trips_trip", NEW), drop(NEW))],
            state_operations=[
                migrations.AddIndex(model_name='trip', index=models.Index(
                    fields=['network', 'duration', 'distance', 'id'], name='trip_duration_then_dist_idx')),
            ],
        ),
    ]
