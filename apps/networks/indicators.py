"""Indicators that listNetworks shows per network (stations, vehicles, trips...).

Each domain app registers an annotation in its AppConfig.ready(), so the networks app does not import the
apps that count things, and the list stays one query whatever the number of indicators.
"""
from collections.abc import Callable

from django.db.models import Expression, QuerySet

_INDICATORS: dict[str, Callable[[], Expression]] = {}


def register_indicator(name: str, expression: Callable[[], Expression]) -> None:
    _INDICATORS[name] = expression


def indicator_names() -> list[str]:
    return sorted(_INDICATORS)


def annotate_indicators(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(**{f"indicator_{name}": factory() for name, factory in _INDICATORS.items()})
