from django.urls import path

from . import gateway

gateway_urlpatterns = [
    path("messages", gateway.MessageBatch.as_view(), name="telemetry-messages"),
    path("command-answers", gateway.CommandAnswers.as_view(), name="telemetry-command-answers"),
]
