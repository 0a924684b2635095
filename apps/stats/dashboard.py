"""The admin's home page: one network's fleet, trips, alerts and revenue at a glance, with the change-list filters
that show the rows behind each number.

Numbers come from the selectors the Overview and Income operations use (apps.stats.overview, apps.payments.income),
so the admin and the dashboard API never disagree. Rights are the API's: the overview needs `dashboard.access` on
the network, the revenue `transactions`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from apps.core.permissions import resolve_scope
from apps.core.timezones import local_midnight
from apps.networks.models import Network
from apps.payments import income
from apps.payments.models import Transaction

from . import overview

DASHBOARD_KEY = "dashboard.access"


@dataclass
class Figure:
    label: str
    value: object
    link: str = ""  # the change list filtered to the rows counted, when one shows them


@dataclass
class Dashboard:
    networks: list  # the networks the user may look at (the picker)
    network: Network | None = None
    sections: dict = field(default_factory=dict)  # title -> [Figure]


class _Links:
    """Links from a figure to the change list of the rows it counts, filtered to them; none when the user's rights
    do not open that list on this network (the dashboard's right is not the trips' or the fleet's)."""

    def __init__(self, user, network: Network):
        self.user, self.network, self.opens = user, network, {}

    def __call__(self, model: str, **filters) -> str:
        if model not in self.opens:
            key = admin.site._registry[apps.get_model(model)].permission_key
            covered = Network.objects.within(resolve_scope(self.user, key))
            self.opens[model] = covered.filter(pk=self.network.pk).exists()
        if not self.opens[model]:
            return ""
        return reverse(f"admin:{model.replace('.', '_')}_changelist") + ("?" + urlencode(filters) if filters else "")


def dashboard_for(user, network_id=None) -> Dashboard:
    scope = resolve_scope(user, DASHBOARD_KEY)
    networks = list(Network.objects.within(scope).select_related("currency").order_by("name", "id"))
    board = Dashboard(networks=networks)
    if not networks:
        return board
    chosen = next((n for n in networks if str(n.pk) == str(network_id)), networks[0])
    board.network = chosen
    tz = ZoneInfo(chosen.timezone)
    ids = [chosen.pk]
    n = {"network__id__exact": chosen.pk}
    today = local_midnight(timezone.now().astimezone(tz).date(), tz)
    yesterday = today - timedelta(days=1)  # an hour off on the night of a clock change; the count's rule is exact
    since = lambda moment: {"started_at__gte": moment.isoformat()}  # noqa: E731

    _changelist = _Links(user, chosen)
    trips = overview.trips_overview(ids, tz)
    board.sections["Trips"] = [
        Figure("Today", trips["today"], _changelist("trips.trip", **n, **since(today))),
        Figure("Yesterday", trips["yesterday"], _changelist("trips.trip", **n, **since(yesterday),
                                                            started_at__lt=today.isoformat())),
        Figure("Last 7 days", trips["last_7_days"]),
        Figure("Under way", trips["running"], _changelist("trips.trip", **n, state__exact="running")),
        Figure("On hold", trips["on_hold"], _changelist("trips.trip", **n, state__exact="on-hold")),
    ]
    vehicles = overview.vehicles_overview(ids, scope)
    live = {**n, "decommissioned_at__isnull": "True"}
    board.sections["Vehicles"] = [
        Figure("In service", vehicles["vehicle_count"], _changelist("fleet.vehicle", **live)),
        Figure("Docked", vehicles["docked"], _changelist("fleet.vehicle", **live, spot__isnull="False")),
        Figure("Free-floating", vehicles["free_floating"], _changelist("fleet.vehicle", **live, spot__isnull="True")),
        Figure("In a trip", vehicles["in_trip"]),
        Figure("In maintenance", vehicles["in_maintenance"],
               _changelist("fleet.maintenance", **n, ended_at__isempty="1")),
        Figure("In stock", vehicles["in_stock"]),
        Figure(f"Battery under {overview.LOW_BATTERY} %", vehicles["low_battery"],
               _changelist("fleet.vehicle", **live, battery_level__lt=overview.LOW_BATTERY)),
        Figure("Open alerts", vehicles["open_alerts"], _changelist("fleet.fleetalert", **n, resolved_at__isempty="1")),
    ]
    stations = overview.stations_overview(ids, scope)
    board.sections["Stations"] = [
        Figure("Clusters", stations["cluster_count"], _changelist("fleet.cluster", **n)),
        Figure("Stations", stations["station_count"]),
        Figure("Free spots", stations["free_spot_count"]),
        Figure("Stations in outage", stations["stations_in_outage"]),
    ]
    revenue = _revenue(user, chosen, tz, _changelist)
    if revenue is not None:
        board.sections[f"Revenue ({chosen.currency_id}, net of refunds and fees)"] = revenue
    return board


def _revenue(user, network, tz, changelist: _Links) -> list[Figure] | None:
    scope = resolve_scope(user, "transactions")
    if not Network.objects.within(scope).filter(pk=network.pk).exists():
        return None  # no right to this network's money: no revenue shown
    transactions = Transaction.objects.within(scope).filter(network=network)
    today = timezone.now().astimezone(tz).date()
    grouped = income.income(transactions, scope, start=today - timedelta(days=1), end=today, tz=tz,
                            currency=network.currency)
    figures = []
    for label, day in (("Today", today), ("Yesterday", today - timedelta(days=1))):
        # The day's paid transactions, the rows the figure sums (in the network's local day).
        start, end = local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)
        link = changelist("payments.transaction", **{"network__id__exact": network.pk, "status__exact": "paid",
                                                     "date__gte": start.isoformat(), "date__lt": end.isoformat()})
        figures.append(Figure(label, grouped.by_day[day].rounded(network.currency)["net_amount"], link))
    return figures
