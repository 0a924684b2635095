"""What the open-data feeds need beyond the fleet's own data: a network's publication settings (GBFS) and the city
agencies' tokens (MDS)."""
import secrets

from django.db import models

from apps.accounts.models import hash_token
from apps.core.models import ScopedModel, TimeStampedModel


class NetworkFeed(ScopedModel):
    """A network's public GBFS feed settings. A network without a row publishes with the defaults."""

    network = models.OneToOneField("networks.Network", on_delete=models.CASCADE, primary_key=True,
                                   related_name="open_data")
    gbfs_enabled = models.BooleanField(default=True, help_text="Publish the public GBFS feed of this network.")
    feed_contact_email = models.EmailField(blank=True, help_text="Who data consumers write to (default: "
                                                                 "GBFS_FEED_CONTACT_EMAIL).")
    license_url = models.URLField(blank=True, help_text="The data license (default: GBFS_LICENSE_URL).")
    updated_at = models.DateTimeField(auto_now=True)

    scope_network_path = "network"

    def __str__(self):
        return f"Open data of {self.network}"


class AgencyToken(TimeStampedModel):
    """A city agency's bearer token for the MDS provider API: it sees the networks it is granted, nothing else.
    Only the token's hash is stored; the token is shown once, when created."""

    agency = models.CharField(max_length=200, help_text="The city agency, e.g. 'Ville de Lyon, mobility office'.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    networks = models.ManyToManyField("networks.Network", related_name="agency_tokens")
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["agency", "id"]

    def __str__(self):
        return f"{self.agency} ({'revoked' if self.revoked_at else 'active'})"

    @staticmethod
    def new_token() -> tuple[str, str]:
        """(token, its hash): the token is given to the agency, the hash is stored."""
        token = "mds_" + secrets.token_urlsafe(32)
        return token, hash_token(token)
