from rest_framework import serializers

from apps.applabels.models import AppLabel
from apps.core.api.params import CatalogSerializer
from apps.core.api.views import OperationView

from .. import services
from ..models import AppReport, AppVersion

APP_REPORTS_SHOWN = 500


class AppReportOut(serializers.ModelSerializer):
    class Meta:
        model = AppReport
        fields = ["id", "app_label_id", "platform", "app_version", "device_id", "rider_id", "message", "stack_trace",
                  "created_at", "resolved_at", "resolved_by_id"]


class AppVersionOut(serializers.ModelSerializer):
    app_label_name = serializers.CharField(source="app_label.name")

    class Meta:
        model = AppVersion
        fields = ["app_label_id", "app_label_name", "platform", "current", "minimal", "updated_at"]


class ResolveAppReportsBody(CatalogSerializer):
    operation_id = "resolveAppReports"
    references = {"reports": AppReport.objects.all()}


class UpdateAppVersionBody(CatalogSerializer):
    operation_id = "updateAppVersion"
    references = {"app_label_id": AppLabel.objects.all()}


class AppReportCollection(OperationView):
    """The unresolved reports, newest first (at most `APP_REPORTS_SHOWN`: resolve them to see older ones)."""

    operations = {"GET": "listAppReports"}
    output_serializers = {"GET": AppReportOut}
    queryset = AppReport.objects.all()

    def get(self, request):
        reports = self.get_queryset().filter(resolved_at__isnull=True).order_by("-created_at", "-id")
        return self.respond_list(reports[:APP_REPORTS_SHOWN])


class AppReportResolve(OperationView):
    operations = {"POST": "resolveAppReports"}
    body_serializers = {"POST": ResolveAppReportsBody}

    def post(self, request):
        services.app_reports_resolve(reports=self.body["reports"], actor=request.user)
        return self.respond()


class AppVersionCollection(OperationView):
    operations = {"GET": "listAppVersions", "PUT": "updateAppVersion"}
    output_serializers = {"GET": AppVersionOut}
    body_serializers = {"PUT": UpdateAppVersionBody}
    queryset = AppVersion.objects.select_related("app_label")

    def get(self, request):
        return self.respond_list(self.get_queryset().order_by("app_label__name", "platform"))

    def put(self, request):
        values = dict(self.body)
        services.app_version_set(app_label=values.pop("app_label_id"), **values)
        return self.respond()
