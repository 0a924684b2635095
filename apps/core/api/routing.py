"""URL patterns taken from the catalog: a view names its operations, the catalog gives their path."""
from __future__ import annotations

from django.urls import URLPattern, path

from apps.core.catalog import get_operation


def operation_urls(*views) -> list[URLPattern]:
    patterns = []
    for view in views:
        routes = {get_operation(op_id).route for op_id in view.operations.values()}
        if len(routes) != 1:
            raise ValueError(f"{view.__name__} serves operations on several paths: {sorted(routes)}")
        route = routes.pop()
        name = "-".join(sorted(view.operations.values()))
        patterns.append(path(route, view.as_view(), name=name))
    return patterns


def _precedence(pattern: URLPattern) -> tuple:
    # At the first segment where two routes differ, a literal segment wins over a parameter
    # (`networks/short` before `networks/<network_id>`).
    return tuple(1 if segment.startswith("<") else 0 for segment in str(pattern.pattern).split("/"))


def ordered(*pattern_lists: list[URLPattern]) -> list[URLPattern]:
    patterns = [p for patterns in pattern_lists for p in patterns]
    return sorted(patterns, key=_precedence)
