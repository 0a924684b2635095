from functools import cached_property

from apps.core.api.views import OperationView

from ..models import Network


class NetworkPathView(OperationView):
    """An operation under /networks/{network_id}/: the network must be inside the caller's scope (-5)."""

    queryset = Network.objects.select_related("currency")

    @cached_property
    def network(self) -> Network:
        return self.get_object(pk=self.kwargs["network_id"])
