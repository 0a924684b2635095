from rest_framework import serializers

from apps.core.api.views import OperationView

from ..models import AccessLog
from ..selectors import access_log_filter


class AccessLogOut(serializers.ModelSerializer):
    class Meta:
        model = AccessLog
        fields = ["id", "date", "user_id", "target_path", "verb", "user_agent", "ip", "http_code", "knot_code",
                  "duration_ms"]


class AccessLogList(OperationView):
    operations = {"GET": "listAccessLogs"}
    output_serializers = {"GET": AccessLogOut}
    queryset = AccessLog.objects.filter(api="dashboard")

    def get(self, request):
        return self.respond_page(access_log_filter(queryset=self.get_queryset(), filters=self.query))
