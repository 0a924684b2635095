"""The contract and access matrix of the catalogue (offers, passes, subscriptions) and of riders' passes."""
from decimal import Decimal

from apps.commerce.models import Offer, Pass, Subscription, SubscriptionDiscount, SubscriptionPrice, UserPass
from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.networks.tests.factories import make_network
from apps.riders.tests.factories import make_member


def make_offer(**fields):
    fields.setdefault("network", make_network())
    return Offer.objects.create(title="20 EUR of credits", price=Decimal("18"), given_amount=Decimal("20"), **fields)


def make_pass(**fields):
    fields.setdefault("network", make_network())
    return Pass.objects.create(title="Day pass", price=Decimal("5"), duration=3600, validity="day", **fields)


def make_subscription(**fields):
    fields.setdefault("network", make_network())
    return Subscription.objects.create(name="Commuter", trip_duration=1800, **fields)


def make_user_pass(**fields):
    offered = make_pass()
    rider = make_member(offered.network)
    fields.setdefault("remaining_seconds", offered.duration)
    return UserPass.objects.create(rider=rider, pass_bought=offered, price_paid=offered.price, **fields)


def _networks(obj):
    return Request(query={"networks": str(obj.network_id)})


def _price():
    subscription = make_subscription()
    price = SubscriptionPrice.objects.create(subscription=subscription, price=Decimal("29"), interval_type="month",
                                             interval_count=1)
    return {"id": subscription.pk, "price_id": price.pk}


CASES = [
    OperationCase("listOffers", lambda: _networks(make_offer())),
    OperationCase("createOffer", lambda: Request(body={"title": "Top-up 10", "available": True,
                                                       "network_id": make_network().pk, "price": 9.5,
                                                       "given_amount": 10})),
    OperationCase("updateOffer", lambda: Request(path_params={"id": make_offer().pk}, body={"title": "Renamed"})),
    OperationCase("deleteOffer", lambda: Request(path_params={"id": make_offer().pk})),
    OperationCase("listPasses", lambda: _networks(make_pass())),
    OperationCase("createPass", lambda: Request(body={"available": True, "title": "Week pass",
                                                      "network_id": make_network().pk, "price": 15, "duration": 7200,
                                                      "validity": "week"})),
    OperationCase("updatePass", lambda: Request(path_params={"id": make_pass().pk},
                                                body={"available": False, "price": 6})),
    OperationCase("deletePass", lambda: Request(path_params={"id": make_pass().pk})),
    OperationCase("listSubscriptions", lambda: _networks(make_subscription())),
    OperationCase("createSubscription", lambda: Request(body={"name": "Student", "trip_duration": 2700,
                                                              "trip_waiting_period": None, "organization_only": False,
                                                              "network_id": make_network().pk})),
    OperationCase("updateSubscription", lambda: Request(path_params={"id": make_subscription().pk},
                                                        body={"name": "Student+", "trip_waiting_period": 600})),
    OperationCase("deleteSubscription", lambda: Request(path_params={"id": make_subscription().pk})),
    OperationCase("listSubscriptionPrices", lambda: Request(path_params={"id": _price()["id"]})),
    OperationCase("createSubscriptionPrice", lambda: Request(path_params={"id": make_subscription().pk}, body={
        "price": 19.9, "interval_type": "month", "interval_count": 1, "free_credits": None, "available": True})),
    OperationCase("updateSubscriptionPrice", lambda: Request(path_params=_price(),
                                                             body={"available": False, "free_credits": 2})),
    OperationCase("deleteSubscriptionPrice", lambda: Request(path_params=_price())),
    OperationCase("listSubscriptionDiscounts", lambda: _networks(SubscriptionDiscount.objects.create(
        network=make_network(), percent_off=Decimal("20"), duration="once"))),
    OperationCase("createSubscriptionDiscount", lambda: Request(body={
        "percent_off": 25, "duration": "repeating", "duration_in_months": 3, "network_id": make_network().pk})),
    OperationCase("deleteSubscriptionDiscount", lambda: Request(path_params={"id": SubscriptionDiscount.objects.create(
        network=make_network(), percent_off=Decimal("20"), duration="forever").pk})),
    OperationCase("listUserPasses", lambda: Request(path_params={"id": make_user_pass().rider_id})),
    OperationCase("deleteUserPass", lambda: Request(path_params={"id": make_user_pass().pk}, query={"refund": "true"})),
    OperationCase("disableUserPass", lambda: Request(path_params={"id": make_user_pass(
        activated_at="2026-05-01T08:00:00Z").pk}, body={"reset": True})),
]

globals().update(contract_tests(CASES))
