from functools import cached_property

from django.db.models import Count, Exists, OuterRef

from apps.core.api.views import OperationView

from .. import services
from ..models import Report
from .serializers import LinkNetworkBody, ReportDetailOut, ReportMessageOut, ReportOut

MESSAGES_PAGE = 20


class ReportCollection(OperationView):
    operations = {"GET": "listReports"}
    output_serializers = {"GET": ReportOut}
    sort_fields = {"date": "created_at"}
    queryset = Report.objects.all()

    def get(self, request):
        networks = self.query["networks"]
        self.require_networks(networks)
        linked = Report.networks.through.objects.filter(report_id=OuterRef("pk"), network_id__in=networks)
        reports = self.get_queryset().filter(Exists(linked)).select_related("rider").prefetch_related("networks")
        if self.query.get("email"):
            reports = reports.filter(rider__email__icontains=self.query["email"])
        if self.query.get("archived") is not None:
            reports = reports.filter(resolved_at__isnull=not self.query["archived"])
        return self.respond_page(reports)


class ReportView(OperationView):
    queryset = Report.objects.all()

    @cached_property
    def report(self) -> Report:
        return self.get_object()


class ReportDetail(ReportView):
    operations = {"GET": "getReport"}
    output_serializers = {"GET": ReportDetailOut}

    def get(self, request, id):
        queryset = (self.get_queryset().select_related("rider").prefetch_related("networks")
                    .annotate(message_count=Count("messages")))
        return self.respond_object(self.get_object(queryset=queryset))


class ReportResolve(ReportView):
    operations = {"POST": "resolveReport"}

    def post(self, request, id):
        services.report_resolve(report=self.report, actor=request.user)
        return self.respond()


class ReportMessageCollection(ReportView):
    """Newest first, `MESSAGES_PAGE` a page; `last_message_date` pages back to older messages."""

    operations = {"GET": "listReportMessages", "POST": "sendReportMessage"}
    output_serializers = {"GET": ReportMessageOut, "POST": {"type": "integer", "description": "The message's id."}}

    def get(self, request, id):
        messages = self.report.messages.all()
        if self.query.get("last_message_date"):
            messages = messages.filter(created_at__lt=self.query["last_message_date"])
        return self.respond_list(messages.order_by("-created_at", "-id")[:MESSAGES_PAGE])

    def post(self, request, id):
        sent = services.message_send(report=self.report, actor=request.user, message=self.body["message"],
                                     page=self.body.get("page") or "")
        return self.respond(sent.pk)


class ReportMessageDetail(ReportView):
    operations = {"PUT": "editReportMessage", "DELETE": "deleteReportMessage"}

    def put(self, request, id, message_id):
        services.message_edit(report=self.report, message_id=message_id, message=self.body["message"])
        return self.respond()

    def delete(self, request, id, message_id):
        services.message_delete(report=self.report, message_id=message_id)
        return self.respond()


class ReportImages(ReportView):
    operations = {"POST": "sendReportImage"}
    output_serializers = {"POST": {"type": "integer", "description": "The message's id."}}

    def post(self, request, id):
        sent = services.image_send(report=self.report, actor=request.user, chat_image=self.body["chat_image"])
        return self.respond(sent.pk)


class ReportNetworks(ReportView):
    operations = {"POST": "linkReportNetwork"}
    body_serializers = {"POST": LinkNetworkBody}

    def post(self, request, id):
        services.network_link(report=self.report, network=self.body["network_id"])
        return self.respond()


class ReportNetworkDetail(ReportView):
    operations = {"DELETE": "unlinkReportNetwork"}

    def delete(self, request, id, network_id):
        self.require_networks([network_id])
        services.network_unlink(report=self.report, network_id=network_id)
        return self.respond()
