# The duration and distance sort-key indexes each carry the other column (INCLUDE): a duration range sorted by
# distance, or the reverse, is found and sorted on one index without reading the table (issue 20). The new ones are
# built before the old ones go, concurrently: no moment without an index, no lock on the trips.
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('trips', '0014_trip_demo_idx'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='trip',
            index=models.Index(fields=['network', 'duration', 'id'], include=['distance'],
                               name='trip_duration_distance_idx'),
        ),
        AddIndexConcurrently(
            model_name='trip',
            index=models.Index(fields=['network', 'distance', 'id'], include=['duration'],
                               name='trip_distance_duration_idx'),
        ),
        RemoveIndexConcurrently(model_name='trip', name='trip_network_duration_idx'),
        RemoveIndexConcurrently(model_name='trip', name='trip_network_distance_idx'),
    ]
