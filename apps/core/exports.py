"""Exports of an admin change list's current selection (its filters, search and ordering) as CSV or XLSX.

Rows are read with a server-side cursor (`QuerySet.iterator`) and written one at a time, so a million trips export
in constant memory: CSV is streamed to the client as it is written; XLSX (a zip file, which cannot be streamed
before it is complete) is written by openpyxl's write-only workbook to a temporary file, then sent from it. Big
selections run as a Celery job (apps.core.tasks.run_admin_export) that reports its progress on the Exports page.

The columns are the change list's `list_display` columns, read with the admin's own `lookup_field`, so an export
shows what the page shows; `list_select_related` keeps it at one query whatever the row count.
"""
from __future__ import annotations

import csv
import datetime
import re
import tempfile
from decimal import Decimal
from typing import Iterable, Iterator

from django.contrib.admin.utils import label_for_field, lookup_field
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import capfirst

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
CHUNK_ROWS = 2000
# Spreadsheet programs run a cell starting with these as a formula ("CSV injection"): such text gets a leading '.
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def columns_for(model_admin, request) -> list[str]:
    # An amount the page shows with its currency is exported as the number behind it (apps.core.admin_money).
    return [getattr(getattr(name, "field", None), "name", name) for name in model_admin.get_list_display(request)
            if name != "action_checkbox"]


def header(model_admin, columns: list[str]) -> list[str]:
    return [capfirst(str(label_for_field(name, model_admin.model, model_admin))) for name in columns]


def cell(field, value, *, for_xlsx: bool):
    """A plain value a spreadsheet understands: choices by their label, related objects by their name, times in
    the server's time zone (XLSX knows no time zones), text that cannot be read as a formula."""
    if value is None:
        return ""
    if isinstance(field, models.Field) and field.flatchoices and not field.is_relation:
        value = dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return value if for_xlsx else ("yes" if value else "no")
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.replace(tzinfo=None) if for_xlsx else value.isoformat()
    if isinstance(value, datetime.date | int | float | Decimal):
        return value if for_xlsx else str(value)
    if isinstance(value, datetime.timedelta):
        return int(value.total_seconds())
    text = strip_tags(str(value))
    return "'" + text if _FORMULA_START.match(text) else text


def rows(model_admin, queryset, columns: list[str], *, for_xlsx: bool) -> Iterator[list]:
    for obj in queryset.iterator(chunk_size=CHUNK_ROWS):
        row = []
        for name in columns:
            try:
                field, _attr, value = lookup_field(name, obj, model_admin)
            except (AttributeError, models.ObjectDoesNotExist):
                field, value = None, None
            row.append(cell(field, value, for_xlsx=for_xlsx))
        yield row


class _Echo:
    """csv.writer writes each row here and gets the line back, to stream it."""

    def write(self, value):
        return value


def csv_lines(head: list[str], body: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark: Excel then reads the file as UTF-8
    yield writer.writerow(head)
    for row in body:
        yield writer.writerow(row)


def write_csv(path, head: list[str], body: Iterable[list]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        for line in csv_lines(head, body):
            out.write(line)


def write_xlsx(path, head: list[str], body: Iterable[list], title: str) -> None:
    # openpyxl is heavy and only exports need it.
    from openpyxl import Workbook

    book = Workbook(write_only=True)  # rows are written to disk as they come, never held in memory
    sheet = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", title)[:31])
    sheet.append(head)
    for row in body:
        sheet.append(row)
    book.save(path)


def temporary_xlsx(head, body, title) -> tempfile._TemporaryFileWrapper:
    out = tempfile.NamedTemporaryFile(suffix=".xlsx")
    write_xlsx(out.name, head, body, title)
    out.seek(0)
    return out


def filename(model, extension: str) -> str:
    return f"{model._meta.model_name}-{timezone.localtime():%Y%m%d-%H%M%S}.{extension}"
