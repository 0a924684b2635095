from django.urls import path

from apps.core.api.routing import operation_urls

from . import gateway, views

urlpatterns = operation_urls(views.VehicleTelemetryList)

gateway_urlpatterns = [
    path("messages", gateway.MessageBatch.as_view(), name="telemetry-messages"),
    path("command-answers", gateway.CommandAnswers.as_view(), name="telemetry-command-answers"),
]
