"""IoT commands keep the network the vehicle was in when they were sent (a moved vehicle's history stays there)."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("fleet", "0006_iotcommand"),
        ("networks", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="iotcommand",
            name="network",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="networks.network",
                                    help_text="The vehicle's network when the command was sent: history stays there."),
        ),
        migrations.RunSQL(
            "UPDATE fleet_iotcommand c SET network_id = v.network_id FROM fleet_vehicle v WHERE v.id = c.vehicle_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="iotcommand",
            name="network",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="networks.network",
                                    help_text="The vehicle's network when the command was sent: history stays there."),
        ),
    ]
