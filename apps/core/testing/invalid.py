"""Values that break a catalog constraint on purpose, for the generated validation tests."""
from __future__ import annotations

import re
from decimal import Decimal

from apps.core.catalog import Constraint

_PATTERN_PROBES = ["!", "a b", "#!$", "ABC", "abc", "1", "zz9", "é"]


def _violates_pattern(c: Constraint) -> str | None:
    for probe in _PATTERN_PROBES:
        if c.min_length and len(probe) < c.min_length:
            probe = probe + "!" * (c.min_length - len(probe))
        if c.max_length and len(probe) > c.max_length:
            continue
        if not re.search(c.pattern, probe):
            return probe
    return None


def invalid_values(c: Constraint, *, strict: bool, query: bool) -> list[tuple[str, object]]:
    """(what is wrong, value) pairs, each of which must be rejected for a parameter with constraint `c`."""
    out: list[tuple[str, object]] = []
    textual = query or not strict  # query strings and multipart bodies carry every value as text
    if c.kind == "array":
        if not query:
            out.append(("not a list", "not-a-list" if c.items is None or c.items.kind != "string" else 12))
        if c.min_items:
            out.append((f"fewer than {c.min_items} items", []))
        if c.items and not c.opaque_items:
            for why, bad in invalid_values(c.items, strict=strict, query=query):
                out.append((f"item {why}", [bad] * max(c.min_items or 1, 1)))
        if c.unique and c.items and c.items.kind == "integer":
            out.append(("repeated items", [1, 1] if not query else "1,1"))
        if query:
            out = [(why, ",".join(str(v) for v in value) if isinstance(value, list) else value) for why, value in out]
            out = [(why, value) for why, value in out if value != ""]
        return out
    if not c.nullable and not query:
        out.append(("null", None))
    if c.enum is not None:
        out.append(("not in the enumeration", "not-a-choice" if c.kind == "string" or query else 987654))
        return out
    if c.kind == "integer":
        out.append(("not an integer", "abc" if textual else "12"))
        out.append(("a fraction", "1.5" if textual else Decimal("1.5")))
        if c.minimum is not None:
            out.append((f"below {c.minimum}", _fmt(int(c.minimum) - 1, query)))
        if c.maximum is not None:
            out.append((f"above {c.maximum}", _fmt(int(c.maximum) + 1, query)))
        out.append(("beyond 64 bits", _fmt(2**70, query)))
    elif c.kind == "number":
        out.append(("not a number", "abc" if textual else "12"))
        if c.minimum is not None:
            out.append((f"below {c.minimum}", _fmt(c.minimum - Decimal("0.5") if c.minimum % 1 == 0 else c.minimum / 2, query)))
            if c.exclusive_minimum:
                out.append((f"at {c.minimum}, which is excluded", _fmt(c.minimum, query)))
        if c.maximum is not None:
            out.append((f"above {c.maximum}", _fmt(c.maximum + 1, query)))
    elif c.kind == "boolean":
        out.append(("not a boolean", "maybe" if textual else "true"))
    elif c.kind == "object":
        if not query:
            out.append(("not an object", "text"))
    elif c.kind == "string":
        if strict:
            out.append(("not a string", 12))
        fmt = c.fmt
        if fmt == "email":
            out.append(("not an email", "not-an-email"))
        elif fmt == "uri":
            out.append(("not a URL", "not a url"))
        elif fmt == "date":
            out.append(("not a date", "2024-13-45"))
        elif fmt in ("datetime", "date-time"):
            out.append(("not a datetime", "yesterday"))
        elif fmt == "bigint":
            out.append(("not an integer", "12ab"))
        # In a query string an empty value means "not given" (form semantics), so only longer minimums apply there.
        if c.min_length and not (query and c.min_length == 1):
            out.append((f"shorter than {c.min_length}", "x" * (c.min_length - 1)))
        if c.max_length:
            out.append((f"longer than {c.max_length}", "x" * (c.max_length + 1)))
        if c.pattern:
            probe = _violates_pattern(c)
            if probe is not None:
                out.append(("not matching the pattern", probe))
    return out


def _fmt(value, query: bool):
    if query:
        return str(value)
    if isinstance(value, Decimal) and value % 1 == 0:
        return int(value)
    return value
