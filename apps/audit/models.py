from django.db import models

from apps.core.models import ScopedModel


class AccessLog(ScopedModel):
    """One API request (dashboard or mobile). Written by AccessLogMiddleware; listAccessLogs reads the dashboard's,
    listUserApiRequests one user's."""

    api = models.CharField(max_length=10, default="dashboard", help_text="dashboard or mobile")
    date = models.DateTimeField(db_index=True)
    # No foreign key: a log row must outlive the user it names and never block a user's deletion.
    user_id = models.BigIntegerField(null=True, blank=True)
    target_path = models.CharField(max_length=2048)
    verb = models.CharField(max_length=10)
    user_agent = models.CharField(max_length=2048, blank=True)
    ip = models.CharField(max_length=128, blank=True)
    http_code = models.PositiveSmallIntegerField()
    knot_code = models.IntegerField(null=True, blank=True, help_text="The envelope code of the response.")
    duration_ms = models.PositiveIntegerField()

    scope_network_path = None  # global: needs a global `developer` grant

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["user_id", "id"], name="accesslog_user_id_idx")]

    def __str__(self):
        return f"{self.verb} {self.target_path} -> {self.http_code}"

