"""The riders' app purchases: the catalogue of the rider's networks, an offer bought by card (its credits in the
wallet), a pass bought with credits; nothing of another app's networks."""
from decimal import Decimal

from apps.commerce.models import Offer, Pass, UserPass
from apps.commerce.services import offer_create, pass_create
from apps.core.testing.clients import client_for
from apps.networks.tests.factories import make_network
from apps.payments.models import Transaction
from apps.payments.providers import sandbox_faults
from apps.payments.services import wallet_balance
from apps.riders.tests.factories import make_payment_method
from apps.trips.tests.factories import make_rider

API = "/api/business-mobile/v1"


def _refused(response, code, status):
    body = response.json()
    assert (response.status_code, body.get("ErrorCode")) == (status, code), body
    return body


def _shop():
    network = make_network()
    offer = offer_create(network=network, title="25 + 3 free", available=True, price=Decimal("25"),
                         given_amount=Decimal("28"))
    day = pass_create(network=network, title="Day pass", available=True, price=Decimal("5"), duration=3600,
                      validity="day")
    pass_create(network=network, title="Old pass", available=False, price=Decimal("1"), duration=60, validity="day")
    rider = make_rider(app_label=network.app_label)
    return network, offer, day, rider


def test_the_catalogue_lists_what_the_network_sells(db):
    network, offer, day, rider = _shop()
    catalogue = client_for(rider).get(f"{API}/networks/{network.pk}/catalogue").json()["Data"]
    assert [(o["Id"], o["Price"], o["GivenAmount"]) for o in catalogue["Offers"]] == [(offer.pk, "25.00", "28.00")]
    assert [(p["Id"], p["Price"], p["DurationSeconds"], p["Validity"]) for p in catalogue["Passes"]] == [
        (day.pk, "5.00", 3600, "day")]  # the unavailable one is not sold


def test_an_offer_bought_by_card_puts_its_credits_in_the_wallet_then_buys_a_pass(db):
    network, offer, day, rider = _shop()
    client = client_for(rider)
    _refused(client.post(f"{API}/passes/{day.pk}/buy"), "err_NotEnoughCredits", 402)
    _refused(client.post(f"{API}/offers/{offer.pk}/buy"), "err_NoPaymentMethod", 402)
    make_payment_method(rider, is_default=True)
    with sandbox_faults(charge="decline"):
        _refused(client.post(f"{API}/offers/{offer.pk}/buy"), "err_PaymentDeclined", 402)
    bought = client.post(f"{API}/offers/{offer.pk}/buy", HTTP_IDEMPOTENCY_KEY="buy-1")
    assert bought.status_code == 200, bought.json()
    data = bought.json()["Data"]
    assert (data["Status"], data["Amount"], data["WalletBalance"]) == ("paid", "25.00", "28.00")
    again = client.post(f"{API}/offers/{offer.pk}/buy", HTTP_IDEMPOTENCY_KEY="buy-1")  # a double tap
    assert again.json()["Data"]["PaymentId"] == data["PaymentId"]
    assert Transaction.objects.filter(rider=rider, status="paid").count() == 1
    wallet = rider.wallets.get()
    assert wallet_balance(wallet=wallet) == Decimal("28.00")

    pass_bought = client.post(f"{API}/passes/{day.pk}/buy").json()["Data"]
    stored = UserPass.objects.get(pk=pass_bought["Id"])
    assert (stored.rider, stored.pass_bought, stored.price_paid, stored.remaining_seconds) == (
        rider, day, Decimal("5.00"), 3600)
    assert wallet_balance(wallet=wallet) == Decimal("23.00")
    assert [p["Id"] for p in client.get(f"{API}/riders/me/passes").json()["Data"]] == [stored.pk]


def test_nothing_of_another_apps_network_or_unavailable_is_sold(db):
    network, offer, day, rider = _shop()
    other_network, other_offer, other_pass, stranger = _shop()
    make_payment_method(rider, is_default=True)
    client = client_for(rider)
    _refused(client.get(f"{API}/networks/{other_network.pk}/catalogue"), "err_NetworkNotFound", 404)
    _refused(client.post(f"{API}/offers/{other_offer.pk}/buy"), "err_OfferNotFound", 404)
    _refused(client.post(f"{API}/passes/{other_pass.pk}/buy"), "err_PassNotFound", 404)
    unavailable = Pass.objects.get(network=network, available=False)
    _refused(client.post(f"{API}/passes/{unavailable.pk}/buy"), "err_PassNotFound", 404)
    Offer.objects.filter(pk=offer.pk).update(available=False)
    _refused(client.post(f"{API}/offers/{offer.pk}/buy"), "err_OfferNotFound", 404)
    _refused(client.post(f"{API}/offers/0/buy"), "err_InvalidElement", 400)
    assert not Transaction.objects.exists() and not UserPass.objects.exists()
    assert client_for(stranger).get(f"{API}/riders/me/passes").json()["Data"] == []
