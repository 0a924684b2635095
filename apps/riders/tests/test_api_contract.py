"""The contract and access matrix of the Users (support side) and Devices operations."""
from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.organizations.models import OrganizationRule
from apps.organizations.tests.factories import make_organization
from apps.riders.models import UserBlock
from apps.trips.tests.factories import make_trip

from .factories import make_badge, make_device, make_member, make_message, make_payment_method

LIST_QUERY = {"currency": "EUR", "timezone": "Europe/Paris", "without_network": "false"}


def _member_path():
    return {"id": make_member().pk}


def _listed():
    trip = make_trip()
    return Request(query={"networks": str(trip.network_id), **LIST_QUERY})


def _searched():
    rider = make_member(email="camille.martin@example.com")
    return Request(query={"email": rider.email[:10]})


def _blocked():
    rider = make_member()
    UserBlock.objects.create(rider=rider, reason="Fraud", blocked_at=rider.register_at)
    return Request(path_params={"id": rider.pk})


def _with(factory, **query):
    def build():
        rider = make_member()
        factory(rider)
        return Request(path_params={"id": rider.pk}, query=query)
    return build


def _payment_method():
    rider = make_member()
    return Request(path_params={"id": rider.pk, "user_method_id": make_payment_method(rider, is_default=True).pk})


def _device_users():
    rider = make_member()
    make_device(make_member(), device_id="shared-phone")
    make_device(rider, device_id="shared-phone")
    return Request(path_params={"id": "shared-phone"})


def _organization_link():
    organization = make_organization()
    return Request(path_params={"id": make_member().pk}, body={"organization": organization.pk})


def _organization_unlink():
    rider = make_member()
    organization = make_organization()
    organization.members.add(rider)
    # The organization has its rules in the rider's network: staff of that network see it.
    OrganizationRule.objects.create(organization=organization, network=rider.network_memberships.get().network,
                                    rule_name="Weekdays", network_name="City", start_dow=1, start_hod=0, end_dow=6,
                                    end_hod=0, paid_by_org_ratio=1)
    return Request(path_params={"id": rider.pk})


def _rode():
    trip = make_trip()
    return Request(path_params={"id": trip.rider_id})


CASES = [
    OperationCase("listUsers", _listed),
    OperationCase("searchUsers", _searched),
    OperationCase("getUserProfile", _rode),
    OperationCase("getUserReport", _rode),
    OperationCase("getUserBlock", _blocked),
    OperationCase("blockUser", lambda: Request(path_params=_member_path(), body={"reason": "Stolen card"})),
    OperationCase("unblockUser", _blocked),
    OperationCase("listUserBadges", _with(make_badge)),
    OperationCase("listUserDevices", _with(make_device)),
    OperationCase("listDeviceUsers", _device_users),
    OperationCase("sendUserMessage", lambda: Request(path_params=_member_path(), body={"message": "Your refund is on its way."})),
    OperationCase("listUserMails", _with(lambda rider: make_message(rider, "email"))),
    OperationCase("listUserPushNotifications", _with(lambda rider: make_message(rider, "push"))),
    OperationCase("listUserPaymentMethods", _with(make_payment_method)),
    OperationCase("deleteUserPaymentMethod", _payment_method),
    OperationCase("listUserLastActions", _rode),
    OperationCase("listUserApiRequests", lambda: Request(path_params=_member_path(), query={"offset": 0, "items": 5})),
    OperationCase("linkUserOrganization", _organization_link),
    OperationCase("unlinkUserOrganization", _organization_unlink),
]

globals().update(contract_tests(CASES))
