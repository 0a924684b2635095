import django.db.models.deletion
from django.db import migrations, models

from apps.core.concurrent_indexes import create, drop

# listTrips' cluster filters counted and paged by id off (cluster, network, id) indexes alone; the lone end_cluster
# foreign-key index becomes redundant (the new index leads with it) and is dropped (issue 38). Built and dropped
# without locking the table (CONCURRENTLY), except inside a transaction, where PostgreSQL refuses it: the tests that
# migrate back and forth inside their own transaction.

NEW = {"trip_start_cluster_idx": "start_cluster_id, network_id, id", "trip_end_cluster_idx": "end_cluster_id, network_id, id"}
OLD = {"trips_trip_end_cluster_id_51a9d5e7": "end_cluster_id"}


class Migration(migrations.Migration):
    atomic = False  # CREATE / DROP INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ('fleet', '0008_vehiclemodel_form_factor_and_more'),
        ('trips', '0024_trip_coverage'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(create("trips_trip", NEW), drop(NEW)),
                                 migrations.RunPython(drop(OLD), create("trips_trip", OLD))],
            state_operations=[
                migrations.AddIndex(model_name='trip', index=models.Index(
                    fields=['start_cluster', 'network', 'id'], name='trip_start_cluster_idx')),
                migrations.AddIndex(model_name='trip', index=models.Index(
                    fields=['end_cluster', 'network', 'id'], name='trip_end_cluster_idx')),
                migrations.AlterField(
                    model_name='trip',
                    name='end_cluster',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='fleet.cluster'),
                ),
            ],
        ),
    ]
