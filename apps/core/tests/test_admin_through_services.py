"""Admins of rows with rules save through the services the API uses: what a service refuses is shown on the form
(naming the field) and writes nothing; what it accepts is saved as the service saves it (amounts rounded to the
network's currency...). Rows written only by the system (coupon uses, stocked vehicles) are read-only."""
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from apps.balancing.models import BalancingDiscount, ClusterBalancing
from apps.core.testing.forms import posted_form
from apps.discounts.models import CouponUse, Discount
from apps.discounts.tests.factories import make_code, make_discount
from apps.fleet.models import VehicleModel
from apps.fleet.tests.factories import make_cluster, make_vehicle
from apps.netconfig.models import NetworkSettings, VehicleModelGuarantee
from apps.networks.tests.factories import make_network
from apps.stocks.models import Stock
from apps.stocks.tests.factories import make_stock, store
from apps.trips.tests.factories import make_trip


@pytest.fixture
def client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def _form(client, url, **changes):
    data = posted_form(client.get(url).content.decode())
    data.update({name: [str(value)] for name, value in changes.items()})
    return data


def _errors(response) -> str:
    assert response.status_code == 200, response.status_code  # the form again, with its errors
    form = response.context["adminform"].form
    return str(form.errors)


def test_a_balancing_discount_is_set_by_the_service(client):
    network = make_network()
    donor, receiver, other = (ClusterBalancing.objects.create(cluster=make_cluster(network=network), network=network,
                                                              balancing_type=kind, target_count=3)
                              for kind in ("donor", "receiver", "receiver"))
    add = reverse("admin:balancing_balancingdiscount_add")
    refused = client.post(add, _form(client, add, network=network.pk, donor=other.pk, receiver=receiver.pk,
                                     discount_amount="1.5"))
    assert "donor cluster" in _errors(refused) and not BalancingDiscount.objects.exists()
    saved = client.post(add, _form(client, add, network=network.pk, donor=donor.pk, receiver=receiver.pk,
                                   discount_amount="1.555"))
    assert saved.status_code == 302
    assert BalancingDiscount.objects.get().discount_amount == Decimal("1.56")  # rounded to EUR cents


def test_network_settings_keep_their_rules_in_the_admin(client):
    network = make_network()
    settings = NetworkSettings.objects.create(network=network)
    change = reverse("admin:netconfig_networksettings_change", args=[settings.pk])
    refused = client.post(change, _form(client, change, default_low_speed=30, default_high_speed=20))
    assert "default_medium_speed" in _errors(refused) or "ordered" in _errors(refused)
    assert NetworkSettings.objects.get().default_low_speed == 15
    assert client.post(change, _form(client, change, sponsoring_reward="2.345")).status_code == 302
    assert NetworkSettings.objects.get().sponsoring_reward == Decimal("2.35")


def test_a_vehicle_model_guarantee_is_rounded_by_the_service(client):
    network, model = make_network(), VehicleModel.objects.create(name="Cargo X")
    add = reverse("admin:netconfig_vehiclemodelguarantee_add")
    assert client.post(add, _form(client, add, network=network.pk, model=model.pk, guarantee="300.004",
                                  pre_auth="49.999")).status_code == 302
    row = VehicleModelGuarantee.objects.get()
    assert (row.guarantee, row.pre_auth) == (Decimal("300.00"), Decimal("50.00"))


def test_a_discount_keeps_the_apis_rules_and_a_used_one_is_disabled_not_deleted(client):
    discount = make_discount(type=Discount.Type.TRIPS_PERCENT, data=Decimal("20"))
    change = reverse("admin:discounts_discount_change", args=[discount.pk])
    refused = client.post(change, _form(client, change, data="150"))
    assert "100" in _errors(refused) and Discount.objects.get().data == Decimal("20")
    code = make_code(discount=discount)
    CouponUse.objects.create(trip=make_trip(network=discount.network), code=code, rider=make_trip().rider)
    delete = reverse("admin:discounts_discount_delete", args=[discount.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert Discount.objects.get().disabled_at is not None  # kept for the trips that used it


def test_coupon_uses_and_stocked_vehicles_are_not_typed_in(client, superuser):
    from django.contrib import admin

    request = type("Request", (), {"user": superuser})()
    assert not admin.site._registry[CouponUse].has_add_permission(request)
    assert not admin.site._registry[CouponUse].has_change_permission(request)
    stock = make_stock()
    store(make_vehicle(network=stock.network), stock)
    page = client.get(reverse("admin:stocks_stock_change", args=[stock.pk]))
    entries = next(inline for inline in page.context["inline_admin_formsets"] if inline.formset.prefix == "entries")
    assert not (entries.has_add_permission or entries.has_change_permission or entries.has_delete_permission)


def test_a_stock_holding_vehicles_is_not_deleted(client):
    stock = make_stock()
    store(make_vehicle(network=stock.network), stock)
    response = client.post(reverse("admin:stocks_stock_delete", args=[stock.pk]), {"post": "yes"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and ("move them first" in page or "Cannot delete stock" in page)
    assert Stock.objects.filter(pk=stock.pk).exists()
