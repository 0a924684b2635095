from django.db import connection

from apps.fleet.models import Vehicle, VehicleModel
from apps.trips.models import Trip, TripState


def balancing_estimate(*, network, donor_cluster_id: int, receiver_cluster_id: int, fastest_percentage: int) -> list:
    """Per vehicle model, the average duration of the fastest `fastest_percentage` % of the finished trips from
    the donor to the receiver (at least one trip when there are any), computed in one SQL query."""
    trips, vehicles, models = Trip._meta.db_table, Vehicle._meta.db_table, VehicleModel._meta.db_table
    sql = f"""
        WITH ranked AS (
            SELECT v.model_id, t.duration,
                   ROW_NUMBER() OVER (PARTITION BY v.model_id ORDER BY t.duration, t.id) AS position,
                   COUNT(*) OVER (PARTITION BY v.model_id) AS trip_count
            FROM {trips} t JOIN {vehicles} v ON v.id = t.vehicle_id
            WHERE t.network_id = %s AND t.start_cluster_id = %s AND t.end_cluster_id = %s AND t.state = %s
        )
        SELECT m.id, m.name, MAX(r.trip_count), COUNT(*), ROUND(AVG(r.duration))::int
        FROM ranked r JOIN {models} m ON m.id = r.model_id
        WHERE r.position <= CEIL(r.trip_count * %s / 100.0)
        GROUP BY m.id, m.name ORDER BY m.name
    """
    params = [network.pk, donor_cluster_id, receiver_cluster_id, TripState.FINISHED, fastest_percentage]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [{"model": {"id": model_id, "name": name}, "trip_count": total, "sample_size": sample,
             "average_duration": average} for model_id, name, total, sample, average in rows]
