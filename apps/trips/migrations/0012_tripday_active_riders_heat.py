from django.db import migrations

import apps.trips.models


def field(help_text):
    return apps.trips.models.SortedIntegersField(help_text=help_text)


class Migration(migrations.Migration):

    dependencies = [
        ('trips', '0011_tripday_filter_counts'),
    ]

    operations = [
        # Stored days now also hold their active riders and heatmap cells: the existing rows are dropped and stored
        # again by the next run of the beat's fill_trip_days (until then, requests read the trips).
        migrations.RunSQL("DELETE FROM trips_tripday", migrations.RunSQL.noop),
        migrations.AddField(
            model_name='tripday',
            name='active_riders',
            field=field("Distinct rider ids of the trips of any state (overview's active riders)."),
        ),
        migrations.AddField(
            model_name='tripday',
            name='heat_0',
            field=field("Start cells of the 0.001° grid with their trip counts (packed)."),
        ),
        migrations.AddField(
            model_name='tripday',
            name='heat_1',
            field=field("Start cells of the 0.0005° grid with their trip counts (packed)."),
        ),
        migrations.AddField(
            model_name='tripday',
            name='heat_2',
            field=field("Start cells of the 0.0001° grid with their trip counts (packed)."),
        ),
    ]
