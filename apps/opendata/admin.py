from django.contrib import admin

from apps.core.admin import ScopedModelAdmin, ShownOnceTokenMixin, confirmed_action

from . import services
from .models import AgencyToken, NetworkFeed


@admin.register(NetworkFeed)
class NetworkFeedAdmin(ScopedModelAdmin):
    """A network's public GBFS feed: on or off, its contact and license (a network without a row publishes)."""

    permission_key = "networks.manage"
    list_display = ["network", "gbfs_enabled", "feed_contact_email", "license_url", "updated_at"]
    list_filter = ["gbfs_enabled"]
    list_select_related = ["network"]


@admin.register(AgencyToken)
class AgencyTokenAdmin(ShownOnceTokenMixin, ScopedModelAdmin):
    """City agencies' MDS tokens. A global `networks.manage` right is needed (a token may cover several networks);
    the token itself is shown once, when the row is created; only its hash is kept."""

    permission_key = "networks.manage"
    list_display = ["agency", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["agency"]
    filter_horizontal = ["networks"]
    readonly_fields = ["revoked_at", "last_used_at"]
    actions = ["revoke"]
    token_holder = "The agency"

    @admin.action(description="Revoke the selected tokens")
    @confirmed_action
    def revoke(self, request, queryset):
        count = services.agency_tokens_revoke(tokens=queryset)
        self.message_user(request, f"{count} token(s) revoked.")
