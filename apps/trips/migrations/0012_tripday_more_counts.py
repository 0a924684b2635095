from django.db import migrations, models

import apps.trips.models


def field(help_text):
    return apps.trips.models.SortedIntegersField(help_text=help_text)


class Migration(migrations.Migration):

    dependencies = [
        ('trips', '0011_tripday_filter_counts'),
    ]

    operations = [
        migrations.AddField(model_name='tripday', name='other_distances',
                            field=field("One per trip not finished (cancelled, running, on hold), meters.")),
        migrations.AddField(model_name='tripday', name='other_durations',
                            field=field("One per trip not finished, seconds.")),
        migrations.AddField(model_name='tripday', name='vehicle_trips',
                            field=field("Trips of any state per vehicle (pack_counts: vehicle id, count).")),
        migrations.AddField(model_name='tripday', name='first_trip_id',
                            field=models.BigIntegerField(blank=True, null=True)),
        migrations.AddField(model_name='tripday', name='last_trip_id',
                            field=models.BigIntegerField(blank=True, null=True)),
        migrations.AddField(model_name='tripday', name='ended_count',
                            field=models.PositiveIntegerField(default=0, help_text='Trips with an end time.')),
        migrations.AddField(model_name='tripday', name='first_ended_at',
                            field=models.DateTimeField(blank=True, null=True)),
        migrations.AddField(model_name='tripday', name='last_ended_at',
                            field=models.DateTimeField(blank=True, null=True)),
        # Stored days now also hold their active riders, heatmap cells, the values of trips not finished and the
        # bounds of their ids and end times, in a narrower encoding: the existing rows are dropped and stored again
        # by the next run of the beat's fill_trip_days (until then, requests read the trips).
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
