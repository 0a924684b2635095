# Demo trips (about 1 % of a network's) in a partial index: listTrips' demo filter under another sort key finds them
# there, then sorts them, instead of reading the network's trips (issue 20). Built concurrently.
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('trips', '0013_drop_redundant_fk_indexes'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='trip',
            index=models.Index(condition=models.Q(('demo', True)), fields=['network', 'id'], name='trip_demo_idx'),
        ),
    ]
