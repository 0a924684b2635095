"""How the apps depend on each other, read from their imports (production code: no tests, test helpers or migrations).

- core knows no domain app, but for the exceptions named here with their reason;
- the apps sit in declared layers (LAYERS): an app's module-level imports reach only lower layers, so there is no
  import cycle between apps;
- an import inside a function says why it is not at the top.
"""
import ast
from pathlib import Path

APPS = Path(__file__).resolve().parents[2]

# core's imports of domain apps, each with why it stays for now.
CORE_EXCEPTIONS = {
    ("apps/core/money.py", "apps.reference.models"): "currencies' minor units are reference data operators edit",
    ("apps/core/management/commands/ensure_demo_admin.py", "apps.networks.models"): "the demo's login and token",
    ("apps/core/management/commands/ensure_demo_admin.py", "apps.opendata.models"): "the demo's login and token",
    ("apps/core/management/commands/ensure_demo_admin.py", "apps.opendata.services"): "the demo's login and token",
}

# The apps in layers, lowest first: an app's module-level imports reach only apps of lower layers (none of its own
# layer, none above), so there is no cycle. docs/architecture.md draws the same list.
LAYERS = [
    ["core"],
    ["accounts", "applabels", "audit", "content", "reference"],
    ["devtools", "networks"],
    ["fleet", "pricing"],
    ["organizations"],
    ["access", "discounts", "faq", "netconfig", "riders"],
    ["payments", "support"],
    ["trips"],
    ["balancing", "commerce", "mail", "stats", "stocks"],
    ["geofencing", "notifications", "terms"],
    ["telemetry"],
    ["opendata"],
]
LAYER_OF = {app: level for level, apps in enumerate(LAYERS) for app in apps}


def production_files():
    for path in sorted(APPS.rglob("*.py")):
        relative = path.relative_to(APPS.parent).as_posix()
        if any(part in ("tests", "testing", "migrations") for part in path.parts):
            continue
        yield relative, ast.parse(path.read_text())


def imported_modules(node) -> list[str]:
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        return [node.module]
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return []


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "apps" and len(parts) > 1 else None


def module_level_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for relative, tree in production_files():
        app = relative.split("/")[1]
        for node in tree.body:
            for module in imported_modules(node):
                other = app_of(module)
                if other and other != app:
                    graph.setdefault(app, set()).add(other)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one app (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_core_imports_no_domain_app_but_the_named_exceptions():
    found = {(relative, module) for relative, tree in production_files() if relative.startswith("apps/core/")
             for node in ast.walk(tree) for module in imported_modules(node)
             if app_of(module) not in (None, "core")}
    assert found - set(CORE_EXCEPTIONS) == set(), "core imports a domain app"
    assert set(CORE_EXCEPTIONS) - found == set(), "an exception is gone: drop it from CORE_EXCEPTIONS"


def test_every_app_has_its_layer():
    apps = {path.name for path in APPS.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    assert sorted(LAYER_OF) == sorted(apps)
    assert len(LAYER_OF) == sum(len(level) for level in LAYERS)


def test_apps_import_only_lower_layers():
    upward = sorted(f"{app} -> {other}" for app, others in module_level_graph().items() for other in others
                    if LAYER_OF[other] >= LAYER_OF[app])
    assert upward == [], "a module-level import of an app of the same layer or above (move the code, or import it " \
                         "where it is called, saying why)"


def test_no_import_cycle_between_apps():
    assert cycles(module_level_graph()) == []


def test_the_cycle_finder_finds_cycles():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_domain_code_raises_no_api_error():
    """Services, selectors and the other domain modules raise domain errors (apps.core.exceptions: a rider-app
    refusal carries its ErrorCode as `mobile_code`); only the API packages know each API's envelope and its errors."""
    found = sorted(relative for relative, tree in production_files()
                   if not {"api", "mobile"} & set(relative.split("/")[:-1])
                   for node in ast.walk(tree) for module in imported_modules(node) if module == "apps.core.api.mobile")
    assert found == []


def test_a_function_level_import_says_why_it_is_not_at_the_top():
    """Imports sit at the top of their module; those inside a function carry a comment saying why (a cycle they would
    close at load time, the app registry, a heavy library loaded on first use): on an import's line or above the
    first of a run of imports."""
    silent = []
    for relative, tree in production_files():
        lines = (APPS.parent / relative).read_text().split("\n")
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for block in ast.walk(function):
                for field in ("body", "orelse", "finalbody"):
                    statements = getattr(block, field, None)
                    if isinstance(statements, list):
                        silent += _uncommented_import_runs(relative, lines, statements)
    assert silent == [], f"function-level imports without a reason: {sorted(set(silent))[:20]}"


def _uncommented_import_runs(relative: str, lines: list[str], statements: list) -> list[str]:
    silent, run = [], []
    for statement in [*statements, None]:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            run.append(statement)
            continue
        if run:
            said = lines[run[0].lineno - 2].strip().startswith("#") or any(
                "#" in lines[node.lineno - 1] for node in run)
            if not said:
                silent.append(f"{relative}:{run[0].lineno}")
            run = []
    return silent


# Functions of services and selectors called by a protocol that passes its arguments by position, with that protocol.
POSITIONAL_BY_PROTOCOL = {
    "apps/networks/services.py:out_of_order_validate": "the admin form's check_rules(instance)",
    "apps/pricing/services.py:require_no_overlap": "the admin form's check_rules(instance)",
    "apps/payments/selectors.py:payments_of": "a rider's action source (apps.riders.selectors.register_action_source)",
    "apps/telemetry/selectors.py:vehicle_positions": "the trips' route source (apps.trips.routes)",
}


def test_services_and_selectors_take_keyword_only_parameters():
    """Callers name what they pass (`trip_end(trip=..., actor=...)`): a changed signature fails at the call, not as a
    value in the wrong place."""
    positional = []
    for relative, tree in production_files():
        if not relative.endswith(("/services.py", "/selectors.py")):
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and node.args.args:
                positional.append(f"{relative}:{node.name}")
    assert sorted(positional) == sorted(POSITIONAL_BY_PROTOCOL)
