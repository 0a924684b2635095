"""Staff-written templates, run in Jinja2's sandbox.

The environment has no loader (no include, import or extends), no globals (no `range`, `lipsum`, `cycler`...),
escapes HTML by default, and the sandbox refuses attribute walks into Python internals (`__class__`, `mro`,
`__globals__`...). A template receives a plain dict of strings and numbers, so it can read the variables it is given
and nothing else of the server. Saving checks the syntax and the variables (unknown ones are -2 with their names);
a template that still fails when rendered (a sandbox refusal) raises `RenderFailed`.

What a template may cost is bounded, at saving and at rendering (docs/mail.md, "Templates"):
- no loops, macros or call blocks: a template's work is proportional to its length;
- the operators that can build a huge value (`**`, `*`, `+`, `//`, `%`) are checked when they run, with their
  operands, and never folded while the template is compiled (saving compiles, so `{{ 9**9**9 }}` cost seconds);
- only filters of bounded cost are offered, `replace` with its result bounded;
- the output stops at MAX_OUTPUT characters.

Rider values are always escaped in HTML: `|safe` and `{% autoescape false %}` do not exist here. Subjects and push
texts are plain text, rendered without HTML escaping (`render(..., html=False)`), so `O'Brien` stays as typed.
"""
from __future__ import annotations

from functools import lru_cache
from numbers import Number

from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from apps.core.exceptions import ValidationFailed

MAX_OUTPUT = 200_000  # characters: a mail's HTML far beyond any real one
MAX_NUMBER = 10**15
MAX_EXPONENT = 64
# Filters whose cost is bounded by their input (itself bounded): formatting and plain-text helpers.
FILTERS = ("abs", "capitalize", "count", "d", "default", "e", "escape", "filesizeformat", "first", "float",
           "forceescape", "int", "last", "length", "lower", "replace", "round", "string", "striptags", "title", "trim",
           "truncate", "upper", "urlencode", "urlize", "wordcount")


def _too_big(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, Number):
        return abs(value) > MAX_NUMBER
    return isinstance(value, str | list | tuple) and len(value) > MAX_OUTPUT


class _Sandbox(ImmutableSandboxedEnvironment):
    """Variables are plain values: no attribute of any of them is readable (filters format them instead)."""

    # Checked when run, with the operands at hand; an intercepted operator is never folded at compile time.
    intercepted_binops = frozenset({"**", "*", "+", "//", "%"})

    def is_safe_attribute(self, obj, attr, value) -> bool:
        return False

    def call_binop(self, context, operator, left, right):
        if operator == "%" and isinstance(left, str):
            raise SecurityError("printf-style formatting is not available in templates")
        if operator == "**" and (_too_big(left) or not isinstance(right, Number) or abs(right) > MAX_EXPONENT):
            raise SecurityError(f"a power takes an exponent of at most {MAX_EXPONENT}")
        if operator == "*":
            text, times = (left, right) if isinstance(left, str | list | tuple) else (right, left)
            if isinstance(text, str | list | tuple) and isinstance(times, int) and len(text) * times > MAX_OUTPUT:
                raise SecurityError(f"a repetition of more than {MAX_OUTPUT} characters")
        if operator == "+" and isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple) \
                and len(left) + len(right) > MAX_OUTPUT:
            raise SecurityError(f"a text of more than {MAX_OUTPUT} characters")
        result = super().call_binop(context, operator, left, right)
        if _too_big(result):
            raise SecurityError("a value too large for a mail")
        return result


def _bounded_replace(eval_ctx, value, old, new, count=None):
    value = str(value)
    if old and value.count(str(old)) * max(len(str(new)) - len(str(old)), 0) + len(value) > MAX_OUTPUT:
        raise SecurityError(f"a text of more than {MAX_OUTPUT} characters")
    return _REPLACE(eval_ctx, value, old, new, count)


def _environment(*, html: bool) -> _Sandbox:
    environment = _Sandbox(autoescape=html, undefined=StrictUndefined)
    environment.globals.clear()
    environment.filters = {name: environment.filters[name] for name in FILTERS}
    environment.filters["replace"] = _bounded_replace
    return environment


_REPLACE = ImmutableSandboxedEnvironment().filters["replace"]
_bounded_replace.jinja_pass_arg = _REPLACE.jinja_pass_arg  # it takes the evaluation context, as Jinja's does
ENVIRONMENT = _environment(html=True)
TEXT_ENVIRONMENT = _environment(html=False)  # subjects and push texts: plain text, nothing to escape
FORBIDDEN_NODES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)
# A template's work is proportional to its length: no loops, no macros, no autoescape switch.
UNBOUNDED_NODES = {nodes.For: "loops", nodes.Macro: "macros", nodes.CallBlock: "call blocks",
                   nodes.FilterBlock: "filter blocks", nodes.ScopedEvalContextModifier: "autoescape switches",
                   nodes.EvalContextModifier: "autoescape switches"}


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
    for node in tree.find_all(tuple(UNBOUNDED_NODES)):
        raise ValidationFailed.on(field, f"Line {node.lineno}: templates have no {UNBOUNDED_NODES[type(node)]}.")
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
def _compiled(source: str, html: bool):
    return (ENVIRONMENT if html else TEXT_ENVIRONMENT).from_string(source)


def render(source: str, variables: dict, *, html: bool = True) -> str:
    """The template rendered with `variables`, HTML-escaped (or plain text with `html=False`); at most MAX_OUTPUT
    characters, else RenderFailed."""
    try:
        parts, size = [], 0
        for part in _compiled(source, html).generate(variables):
            size += len(part)
            if size > MAX_OUTPUT:
                raise SecurityError(f"the mail would be longer than {MAX_OUTPUT} characters")
            parts.append(part)
        return "".join(parts)
    except (SecurityError, UndefinedError, TemplateSyntaxError, TypeError, ValueError, ArithmeticError,
            RecursionError, MemoryError) as exc:
        raise RenderFailed(str(exc)) from None


def safe(html: str) -> Markup:
    """HTML already rendered (a template's body) placed in a layout without being escaped again."""
    return Markup(html)


def variables_of(source: str) -> set[str]:
    return meta.find_undeclared_variables(ENVIRONMENT.parse(source))
