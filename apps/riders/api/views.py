from functools import cached_property

from django.contrib.auth import get_user_model

from apps.audit.models import AccessLog
from apps.core.api.outputs import IdNameOut
from apps.core.api.views import OperationView
from apps.organizations.models import Organization

from .. import services
from ..models import Badge, Device, NetworkMembership, RiderMessage, UserBlock
from ..selectors import (LAST_ITEMS, device_users, last_actions, narrows_users, organizations_seen, rider_count,
                         shared_devices, user_list, user_search, with_rider_figures)
from . import serializers as out

User = get_user_model()
API_REQUESTS_MAX_ITEMS = 500


class UserCollection(OperationView):
    operations = {"GET": "listUsers"}
    output_serializers = {"GET": out.UserOut}
    sort_fields = {"register_at": "register_at", "last_activity": "network_last_activity",
                   "trip_count": "network_trip_count"}
    queryset = User.objects.all()

    def get(self, request):
        networks = self.query["networks"]
        self.require_networks(networks)
        if self.query["without_network"]:
            self.require_global_scope()  # riders of no network belong to no tenant
        users = user_list(users=self.get_queryset(), filters=self.query, organizations=seen_organizations(self))
        # The first view of a network (no filter): the memberships count, not a COUNT over the annotated list.
        plain = not narrows_users(filters=self.query) and not self.query["without_network"]
        return self.respond_page(users, total=rider_count(networks=networks) if plain else None)


class UserSearch(OperationView):
    operations = {"GET": "searchUsers"}
    output_serializers = {"GET": out.UserOut}
    queryset = User.objects.all()

    def get(self, request):
        return self.respond_list(user_search(users=self.get_queryset(), email=self.query["email"], networks=self.visible_networks(),
                                             organizations=seen_organizations(self)))


def seen_organizations(view: OperationView):
    """The organizations the caller of `view` sees through a rider (apps.riders.selectors.organizations_seen)."""

    return organizations_seen(networks=view.visible_networks(), covered=view.scoped(Organization.objects.all()))


class RiderView(OperationView):
    """An operation on /users/{id}/...: the rider must be visible under the operation's key (-5 otherwise)."""

    queryset = User.objects.all()

    @cached_property
    def rider(self):
        return self.get_object()


class UserProfile(RiderView):
    operations = {"GET": "getUserProfile"}
    output_serializers = {"GET": out.ProfileOut}

    def get(self, request, id):
        seen = seen_organizations(self)
        rider = self.get_object(queryset=with_rider_figures(users=self.get_queryset(), networks=self.visible_networks(),
                                                            organizations=seen).select_related("app_label"))
        # Only an organization the caller sees: one of another network the rider also rides in is not named.
        organization = rider.organizations.filter(pk__in=seen.values("pk")).order_by("pk").first()
        memberships = self.scoped(NetworkMembership.objects.filter(rider=rider)).select_related("network")
        rider.organization, rider.networks = organization, list(memberships.order_by("network__name"))
        rider.device_count = rider.devices.count()
        rider.shared_devices = shared_devices(rider=rider)
        rider.block_count = UserBlock.objects.filter(rider=rider).count()
        rider.message_count = RiderMessage.objects.filter(rider=rider).count()
        return self.respond_list([rider])  # the seed answers a list: it holds the one profile


class UserBlockView(RiderView):
    operations = {"GET": "getUserBlock", "POST": "blockUser", "DELETE": "unblockUser"}
    output_serializers = {"GET": out.BlockInfoOut}

    def get(self, request, id):
        history = list(UserBlock.objects.filter(rider=self.rider).select_related("blocked_by", "unblocked_by"))
        current = next((b for b in history if b.unblocked_at is None), None)
        return self.respond_object({
            "blocked": current is not None, "blocked_at": current and current.blocked_at,
            "blocked_by": current and current.blocked_by, "reason": current and current.reason, "history": history})

    def post(self, request, id):
        services.user_block(rider=self.rider, reason=self.body["reason"], actor=request.user)
        return self.respond()

    def delete(self, request, id):
        services.user_unblock(rider=self.rider, actor=request.user)
        return self.respond()


class UserBadgeList(RiderView):
    operations = {"GET": "listUserBadges"}
    output_serializers = {"GET": out.BadgeOut}

    def get(self, request, id):
        return self.respond_list(Badge.objects.filter(rider=self.rider))


class UserDeviceList(RiderView):
    operations = {"GET": "listUserDevices"}
    output_serializers = {"GET": out.DeviceOut}

    def get(self, request, id):
        return self.respond_list(Device.objects.filter(rider=self.rider))


class DeviceUserList(OperationView):
    """Everyone (you see) who used the device: the same phone on several accounts is a fraud signal."""

    operations = {"GET": "listDeviceUsers"}
    output_serializers = {"GET": out.DeviceUserOut}
    queryset = User.objects.all()

    def get(self, request, id):
        users = device_users(users=with_rider_figures(users=self.get_queryset(), networks=self.visible_networks(),
                                                organizations=seen_organizations(self)), device_id=id)
        return self.respond_list(users)


class UserMessages(RiderView):
    operations = {"POST": "sendUserMessage"}
    body_serializers = {"POST": out.SendMessageBody}

    def post(self, request, id):
        services.message_send(rider=self.rider, message=self.body["message"], actor=request.user,
                              channel=self.body.get("channel"))
        return self.respond()


class SentMessageList(RiderView):
    """The `LAST_ITEMS` latest messages of one channel sent to the rider, before `before_date`."""

    channel = ""

    def get(self, request, id):
        messages = RiderMessage.objects.filter(rider=self.rider, channel=self.channel).select_related("sent_by")
        if self.query.get("before_date"):
            messages = messages.filter(created_at__lt=self.query["before_date"])
        return self.respond_list(messages.order_by("-created_at", "-id")[:LAST_ITEMS])


class UserMailList(SentMessageList):
    operations = {"GET": "listUserMails"}
    output_serializers = {"GET": out.MessageOut}
    channel = RiderMessage.Channel.EMAIL


class UserPushList(SentMessageList):
    operations = {"GET": "listUserPushNotifications"}
    output_serializers = {"GET": out.MessageOut}
    channel = RiderMessage.Channel.PUSH


class UserLastActions(RiderView):
    operations = {"GET": "listUserLastActions"}
    output_serializers = {"GET": out.ActionOut}

    def get(self, request, id):
        return self.respond_list(last_actions(rider=self.rider, visible=self.scoped, before=self.query.get("before_date")))


class UserApiRequests(RiderView):
    """The requests the rider made (mobile app) or the staff member made (dashboard), newest first."""

    operations = {"GET": "listUserApiRequests"}
    output_serializers = {"GET": out.ApiRequestOut}

    def get(self, request, id):
        offset = self.query.get("offset") or 0
        items = min(self.query.get("items") or 20, API_REQUESTS_MAX_ITEMS)
        requests = AccessLog.objects.filter(user_id=self.rider.pk).order_by("-id")
        return self.respond_list(requests[offset:offset + items])


class UserOrganization(RiderView):
    operations = {"POST": "linkUserOrganization", "DELETE": "unlinkUserOrganization"}
    body_serializers = {"POST": out.LinkOrganizationBody}
    output_serializers = {"POST": IdNameOut}

    def post(self, request, id):
        organization = self.body["organization"]
        services.organization_link(rider=self.rider, organization=organization, visible=self.seen,
                                   force=bool(self.body.get("force")))
        return self.respond_object(organization)  # the organization the rider now belongs to

    def delete(self, request, id):
        services.organization_unlink(rider=self.rider, visible=self.seen)
        return self.respond()

    def seen(self, organizations):
        return organizations.filter(pk__in=seen_organizations(self).values("pk"))
