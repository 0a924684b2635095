# One index per sort key of listTrips, each ending with the id (issue 20), and the (network, ended_at) range the
# MDS endpoints read (issue 16). Built and dropped concurrently: no lock on a table of millions of trips.
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('trips', '0009_trip_organization_trip_organization_amount'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='trip',
            index=models.Index(fields=['network', 'started_at', 'id'], name='trip_network_started_idx'),
        ),
        RemoveIndexConcurrently(  # (network, started_at): the index above serves what it served
            model_name='trip',
            name='trips_trip_network_2e82de_idx',
        ),
        AddIndexConcurrently(
            model_name='trip',
            index=models.Index(models.F('network'), models.OrderBy(models.F('ended_at'), descending=True,
                                                                   nulls_last=True),
                               models.OrderBy(models.F('id'), descending=True), name='trip_network_ended_idx'),
        ),
        AddIndexConcurrently(
            model_name='trip',
            index=models.Index(fields=['network', 'ended_at', 'id'], name='trip_network_ended_asc_idx'),
        ),
        AddIndexConcurrently(
            model_name='trip',
            index=models.Index(fields=['network', 'duration', 'id'], name='trip_network_duration_idx'),
        ),
        AddIndexConcurrently(
            model_name='trip',
            index=models.Index(fields=['network', 'distance', 'id'], name='trip_network_distance_idx'),
        ),
    ]
