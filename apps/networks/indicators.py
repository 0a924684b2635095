"""Indicators that listNetworks shows per network (stations, vehicles, trips...).

Each domain app registers an annotation in its AppConfig.ready(), so the networks app does not import the
apps that count things, and the list stays one query whatever the number of indicators. An indicator counts
what the caller's scope covers (a grant limited to some clusters counts the stations of those clusters).
"""
from collections.abc import Callable

from django.db.models import Expression, QuerySet

from apps.core.permissions import Scope

_INDICATORS: dict[str, Callable[[Scope], Expression]] = {}


def register_indicator(name: str, expression: Callable[[Scope], Expression]) -> None:
    _INDICATORS[name] = expression


def indicator_names() -> list[str]:
    return sorted(_INDICATORS)


def annotate_indicators(queryset: QuerySet, scope: Scope) -> QuerySet:
    return queryset.annotate(**{f"indicator_{name}": factory(scope) for name, factory in _INDICATORS.items()})
