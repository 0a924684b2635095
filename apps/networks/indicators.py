"""Indicators that listNetworks shows per network (stations, vehicles, trips...).

Each domain app registers an annotation in its AppConfig.ready(), so the networks app does not import the
apps that count things, and the list stays one query whatever the number of indicators. An indicator counts
what the caller's scope covers (a grant limited to some clusters counts the stations of those clusters).
An indicator cheaper to compute for the fetched networks at once than as a per-row subquery (trips: from the
stored day counts) is registered with `register_batch_indicator` and filled after the fetch.
"""
from collections.abc import Callable

from django.db.models import Expression, QuerySet

from apps.core.permissions import Scope

_INDICATORS: dict[str, Callable[[Scope], Expression]] = {}
_BATCH_INDICATORS: dict[str, Callable[[list[int], Scope], dict[int, int]]] = {}


def register_indicator(name: str, expression: Callable[[Scope], Expression]) -> None:
    _INDICATORS[name] = expression


def register_batch_indicator(name: str, compute: Callable[[list[int], Scope], dict[int, int]]) -> None:
    """`compute(network ids, scope)` gives the value of each network, in a fixed number of queries."""
    _BATCH_INDICATORS[name] = compute


def indicator_names() -> list[str]:
    return sorted([*_INDICATORS, *_BATCH_INDICATORS])


def fill_batch_indicators(networks: list, scope: Scope) -> list:
    ids = [network.pk for network in networks]
    for name, compute in _BATCH_INDICATORS.items():
        values = compute(ids, scope) if ids else {}
        for network in networks:
            setattr(network, f"indicator_{name}", values.get(network.pk, 0))
    return networks


def annotate_indicators(queryset: QuerySet, scope: Scope) -> QuerySet:
    return queryset.annotate(**{f"indicator_{name}": factory(scope) for name, factory in _INDICATORS.items()})
