"""Staff-written templates, run in Jinja2's sandbox.

The environment has no loader (no include, import or extends), no globals (no `range`, `lipsum`, `cycler`...),
escapes HTML by default, and the sandbox refuses attribute walks into Python internals (`__class__`, `mro`,
`__globals__`...). A template receives a plain dict of strings and numbers, so it can read the variables it is given
and nothing else of the server. Saving checks the syntax and the variables (unknown ones are -2 with their names);
a template that still fails when rendered (a sandbox refusal) raises `RenderFailed`.
"""
from __future__ import annotations

from functools import lru_cache

from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from apps.core.exceptions import ValidationFailed



class _Sandbox(ImmutableSandboxedEnvironment):
    """Variables are plain values: no attribute of any of them is readable (filters format them instead)."""

    def is_safe_attribute(self, obj, attr, value) -> bool:
        return False


ENVIRONMENT = _Sandbox(autoescape=True, undefined=StrictUndefined)
ENVIRONMENT.globals.clear()
for _name in ("attr", "map", "selectattr", "rejectattr", "groupby", "dictsort", "sum", "sort", "unique", "min", "max",
              "xmlattr", "tojson", "pprint"):  # the filters that read attributes or dump objects
    ENVIRONMENT.filters.pop(_name, None)
FORBIDDEN_NODES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)


class RenderFailed(Exception):
    """A template that cannot be rendered with the values given (reported, never a crash of the sender)."""


def check(source: str, allowed: frozenset[str], field: str) -> None:
    """-2 naming `field` when `source` does not parse (with its line) or uses a variable not in `allowed`."""
    try:
        tree = ENVIRONMENT.parse(source)
        ENVIRONMENT.from_string(source)  # compiling also finds unknown filters and tests
    except TemplateSyntaxError as exc:
        raise ValidationFailed.on(field, f"Line {exc.lineno}: {exc.message}") from None
    for node in tree.find_all(FORBIDDEN_NODES):
        raise ValidationFailed.on(field, f"Line {node.lineno}: templates cannot include, import or extend others.")
    # `self` (the template's own blocks) is a name Jinja2 always defines; a mail template has no use for it.
    used_reserved = {n.name for n in tree.find_all(nodes.Name) if n.name == "self"}
    unknown = (meta.find_undeclared_variables(tree) | used_reserved) - allowed
    if unknown:
        raise ValidationFailed.on(field, f"Unknown variable(s): {', '.join(sorted(unknown))}. "
                                         f"This template may use: {', '.join(sorted(allowed))}.")
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        raise ValidationFailed.on(field, f"Line {node.lineno}: variables are plain values; use them by name and "
                                         "format them with filters (no attributes, items or methods).")


@lru_cache(maxsize=256)
def _compiled(source: str):
    return ENVIRONMENT.from_string(source)


def render(source: str, variables: dict) -> str:
    try:
        return _compiled(source).render(variables)
    except (SecurityError, UndefinedError, TemplateSyntaxError, TypeError, ValueError, ArithmeticError) as exc:
        raise RenderFailed(str(exc)) from None


def safe(html: str) -> Markup:
    """HTML already rendered (a template's body) placed in a layout without being escaped again."""
    return Markup(html)


def variables_of(source: str) -> set[str]:
    return meta.find_undeclared_variables(ENVIRONMENT.parse(source))
