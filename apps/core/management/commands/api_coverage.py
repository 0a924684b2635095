from django.core.management.base import BaseCommand
from django.urls import URLPattern, URLResolver, get_resolver

from apps.core.catalog import DASHBOARD_PREFIX, MOBILE_PREFIX, dashboard_operations, mobile_operations


def served_operations() -> dict[tuple[str, str], str]:
    """(METHOD, path with {params}) -> operation id, for every catalog view mounted in the URLconf."""
    served = {}

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                view_class = getattr(pattern.callback, "view_class", None)
                for method, op_id in (getattr(view_class, "operations", None) or {}).items():
                    path = "/" + route.replace("<str:", "{").replace(">", "}")
                    served[(method, path)] = op_id

    walk(get_resolver().url_patterns, "")
    return served


class Command(BaseCommand):
    help = "List catalog operations not yet served at their method and path, then the coverage counts."

    def handle(self, *args, **options):
        served = served_operations()
        counts = {}
        for api, operations, prefix in (
            ("dashboard", dashboard_operations(), DASHBOARD_PREFIX),
            ("mobile", mobile_operations(), MOBILE_PREFIX),
        ):
            done = 0
            for op in operations.values():
                if served.get((op.method, op.path)) == op.operation_id:
                    done += 1
                else:
                    self.stdout.write(f"missing  {op.method:6} {op.path}  {op.operation_id} [{op.tag}]")
            counts[api] = (done, len(operations))
        (d, dt), (m, mt) = counts["dashboard"], counts["mobile"]
        self.stdout.write(f"{d}/{dt} dashboard operations, {m}/{mt} mobile operations")
