"""The admin side of exports (apps.core.exports): the change lists' export links, background jobs, downloads."""
from __future__ import annotations

import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import connection, transaction
from django.http import FileResponse, Http404, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from . import exports
from .models import AdminExport
from .tasks import run_admin_export

PROGRESS_EVERY = 5000  # rows between two progress updates of a background export


def selection(model_admin, request):
    """The change list's rows for this request: its filters, search and ordering, inside the user's scope."""
    return model_admin.get_changelist_instance(request).get_queryset(request)


def estimated_rows(queryset) -> int:
    """PostgreSQL's estimate of the row count (EXPLAIN): instant on any table, exact enough for a progress bar."""
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def export_view(model_admin, request, fmt: str):
    if fmt not in exports.FORMATS or not model_admin.has_view_permission(request):
        raise PermissionDenied
    queryset = selection(model_admin, request)
    columns = exports.columns_for(model_admin, request)
    head = exports.header(model_admin, columns)
    content_type, extension = exports.FORMATS[fmt]
    name = exports.filename(model_admin.model, extension)
    if fmt == "csv":
        body = exports.rows(model_admin, queryset, columns, for_xlsx=False)
        response = StreamingHttpResponse(exports.csv_lines(head, body), content_type=content_type)
    else:
        if estimated_rows(queryset) > settings.ADMIN_EXPORT_SYNC_XLSX_ROWS:
            return start_background_export(model_admin, request, fmt)
        body = exports.rows(model_admin, queryset, columns, for_xlsx=True)
        response = FileResponse(exports.temporary_xlsx(head, body, str(model_admin.model._meta.verbose_name_plural)),
                                content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def start_background_export(model_admin, request, fmt: str):
    if fmt not in exports.FORMATS or not model_admin.has_view_permission(request):
        raise PermissionDenied

    query = request.GET.urlencode()
    if len(query) > AdminExport._meta.get_field("query").max_length:
        messages.error(request, "Too many filters to export in the background; narrow them or export now.")
        return HttpResponseRedirect(request.META.get("HTTP_REFERER") or reverse("admin:exports"))
    opts = model_admin.model._meta
    with transaction.atomic():
        export = AdminExport.objects.create(user=request.user, app_label=opts.app_label, model_name=opts.model_name,
                                            query=query, format=fmt,
                                            rows_estimated=estimated_rows(selection(model_admin, request)))
        transaction.on_commit(lambda: run_admin_export.delay(export.pk))
    messages.info(request, f"The export of {opts.verbose_name_plural} runs in the background; it is listed here.")
    return HttpResponseRedirect(reverse("admin:exports"))


def run_export(export_id: int) -> str:
    """Write the file of a background export, as its user would see the change list now."""
    export = AdminExport.objects.select_related("user").get(pk=export_id)
    if export.status == AdminExport.Status.DONE:
        return export.status

    model = apps.get_model(export.app_label, export.model_name)
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/admin/export/?" + export.query)
    request.user = export.user
    if not model_admin.has_view_permission(request):  # the right may have been withdrawn since
        AdminExport.objects.filter(pk=export.pk).update(status=AdminExport.Status.FAILED, finished_at=timezone.now(),
                                                        error="You no longer may see these rows.")
        return AdminExport.Status.FAILED
    AdminExport.objects.filter(pk=export.pk).update(status=AdminExport.Status.RUNNING, rows_written=0)
    columns = exports.columns_for(model_admin, request)
    _content_type, extension = exports.FORMATS[export.format]
    body = _counted(export.pk, exports.rows(model_admin, selection(model_admin, request), columns,
                                            for_xlsx=export.format == "xlsx"))
    head = exports.header(model_admin, columns)
    staging = Path(settings.MEDIA_ROOT) / "exports" / f".{export.pk}.{extension}.part"
    staging.parent.mkdir(parents=True, exist_ok=True)
    try:
        if export.format == "csv":
            exports.write_csv(staging, head, body)
        else:
            exports.write_xlsx(staging, head, body, str(model._meta.verbose_name_plural))
        with open(staging, "rb") as written:
            export.file.save(exports.filename(model, extension), File(written), save=False)
    finally:
        staging.unlink(missing_ok=True)
    AdminExport.objects.filter(pk=export.pk).update(status=AdminExport.Status.DONE, file=export.file.name,
                                                    finished_at=timezone.now())
    return AdminExport.Status.DONE


def _counted(export_id: int, rows):
    written = 0
    for row in rows:
        yield row
        written += 1
        if written % PROGRESS_EVERY == 0:
            AdminExport.objects.filter(pk=export_id).update(rows_written=written)
    AdminExport.objects.filter(pk=export_id).update(rows_written=written)


def exports_view(site):
    def view(request):
        context = {**site.each_context(request), "title": "Exports",
                   "exports": AdminExport.objects.filter(user=request.user)[:50]}
        return TemplateResponse(request, "admin/fleetadmin/exports.html", context)
    return view


def download_view(request, export_id: int):
    export = AdminExport.objects.filter(pk=export_id, user=request.user, status=AdminExport.Status.DONE).first()
    if export is None or not export.file:
        raise Http404("No such export of yours.")
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=Path(export.file.name).name)
