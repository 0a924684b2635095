from django.apps import AppConfig


class TripsConfig(AppConfig):
    name = "apps.trips"
    label = "trips"
    verbose_name = "Trips"

    def ready(self):
        # Imported here: models (and what imports them) load once the app registry is ready.
        from apps.networks.indicators import register_batch_indicator

        from apps.payments.attempts import on_charge_settled, on_trip_hold_settled, on_trip_payment_settled

        from . import lifecycle, rollups, signals  # noqa: F401  (signals: connects the day summaries' invalidation)

        # A trip's payment settling (at once, or later by the worker's reconciliation) marks it paid, or a debt.
        on_trip_payment_settled(lifecycle.record_trip_payment)
        on_charge_settled(lifecycle.DEBT_PAYMENT)(lifecycle.debt_paid)
        on_trip_hold_settled(lifecycle.release_orphan_hold)

        # Trips are counted from the stored days plus the rest, not by a COUNT over millions per network.
        register_batch_indicator("trips", lambda network_ids, scope: rollups.trip_totals_by_network(network_ids))
