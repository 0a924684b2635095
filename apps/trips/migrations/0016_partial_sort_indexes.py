# Demo and cancelled trips sorted by duration or distance read off partial indexes of their own (issue 20: 150-520 ms
# at 2M-7M trips, walking the network's whole duration or distance index for them). Built concurrently.
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('trips', '0015_covering_duration_distance'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='trip',
            index=models.Index(condition=models.Q(('demo', True)), fields=['network', 'duration', 'id'], name='trip_demo_duration_idx'),
        ),
        AddIndexConcurrently(
            model_name='trip',
            index=models.Index(condition=models.Q(('demo', True)), fields=['network', 'distance', 'id'], name='trip_demo_distance_idx'),
        ),
        AddIndexConcurrently(
            model_name='trip',
            index=models.Index(condition=models.Q(('state', 'cancelled')), fields=['network', 'duration', 'id'], name='trip_cancelled_duration_idx'),
        ),
        AddIndexConcurrently(
            model_name='trip',
            index=models.Index(condition=models.Q(('state', 'cancelled')), fields=['network', 'distance', 'id'], name='trip_cancelled_distance_idx'),
        ),
    ]
