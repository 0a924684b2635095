import django.db.models.deletion
from django.db import migrations, models

# The single-column indexes Django made for these foreign keys, dropped without locking the table; composite indexes
# leading with each column remain ((network, ...) for every listTrips order, (vehicle, started_at),
# (start_cluster, end_cluster, duration)).
INDEXES = ["trips_trip_network_id_d28e74af", "trips_trip_start_cluster_id_fe0796c8", "trips_trip_vehicle_id_e21456ae"]


class Migration(migrations.Migration):
    atomic = False  # DROP INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ('fleet', '0008_vehiclemodel_form_factor_and_more'),
        ('networks', '0003_out_of_order'),
        ('trips', '0012_tripday_more_counts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(f"DROP INDEX CONCURRENTLY IF EXISTS {name}",
                                                   f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON trips_trip "
                                                   f"({name.split('_trip_')[1].rsplit('_', 1)[0]})")
                                 for name in INDEXES],
            state_operations=[
                migrations.AlterField(
                    model_name='trip',
                    name='network',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='trips', to='networks.network'),
                ),
                migrations.AlterField(
                    model_name='trip',
                    name='start_cluster',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='fleet.cluster'),
                ),
                migrations.AlterField(
                    model_name='trip',
                    name='vehicle',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='trips', to='fleet.vehicle'),
                ),
            ],
        ),
    ]
