"""The riders' mobile trip API: envelope, every applyTripCoupon error in its order, concurrency, additional costs,
and the history's range rules."""
import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.testing.concurrency import at_once
from apps.core.testing.clients import client_for
from apps.discounts.models import CouponUse
from apps.discounts.tests.factories import make_code, make_discount
from apps.organizations.tests.factories import make_organization
from apps.pricing.tests.factories import make_rule
from apps.trips.mobile.views import history_range
from apps.trips.models import AdditionalCostType, Trip, TripAdditionalCost, TripDetail, TripEvent
from apps.trips.services import trip_compute_cost

from .factories import make_rider, make_trip

API = "/api/business-mobile/v1/trips"
STARTED = datetime.datetime(2026, 5, 4, 7, 30, tzinfo=datetime.timezone.utc)  # 09:30 in Paris, a Monday


@pytest.fixture
def rider(db):
    return make_rider(email="jane@acme.com")


@pytest.fixture
def trip(rider):
    trip = make_trip(rider=rider, started_at=STARTED, ended_at=STARTED + timedelta(minutes=20), duration=1200)
    make_rule(network=trip.network, unlock_price=Decimal("1"), use_per_minute_price=Decimal("0.25"),
              freefloat_lock_price=Decimal("0"))
    return trip_compute_cost(trip=trip)  # 1 + 20 x 0.25 = 6.00


def apply(client, trip_guid, coupon):
    return client.post(f"{API}/apply-coupon", {"Trip": str(trip_guid), "Coupon": coupon}, format="json")


def error(response):
    body = response.json()
    assert body["Result"] == "Error" and body["Message"], body
    return response.status_code, body["ErrorCode"]


def test_apply_a_coupon_recomputes_the_cost(rider, trip):
    code = make_code(discount=make_discount(network=trip.network, type=6, data=Decimal("50")), remaining=2)
    response = apply(client_for(rider), trip.guid, code.code.lower())
    assert response.status_code == 200 and response.json() == {"Result": "Ok"}
    trip.refresh_from_db()
    assert (trip.amount, trip.discount_amount) == (Decimal("6.00"), Decimal("3.00"))
    code.refresh_from_db()
    assert code.remaining == 1 and CouponUse.objects.get().trip_id == trip.pk


def test_unauthenticated_is_a_generic_error(trip):
    assert error(client_for().post(f"{API}/apply-coupon", {"Trip": str(trip.guid), "Coupon": "X"}, format="json")) == (
        401, "err_Generic")


def test_errors_in_the_seeds_order(rider, trip):
    client = client_for(rider)
    network = trip.network
    # err_InvalidElement: missing or malformed elements
    assert error(client.post(f"{API}/apply-coupon", {"Trip": str(trip.guid)}, format="json")) == (400, "err_InvalidElement")
    assert error(apply(client, "not-a-guid", "X")) == (400, "err_InvalidElement")
    assert error(apply(client, trip.guid, "")) == (400, "err_InvalidElement")
    # err_NoTripFound before anything about the coupon
    assert error(apply(client, "00000000-0000-0000-0000-000000000000", "NOPE")) == (404, "err_NoTripFound")
    # err_TripUserMismatch
    other = make_trip(network=network)
    assert error(apply(client, other.guid, "NOPE")) == (403, "err_TripUserMismatch")
    # err_NoCouponFound: unknown, used up, another network's, not a trip discount, disabled
    assert error(apply(client, trip.guid, "NOPE")) == (404, "err_NoCouponFound")
    used_up = make_code(discount=make_discount(network=network), remaining=0)
    elsewhere = make_code()
    credits = make_code(discount=make_discount(network=network, type=1, data=Decimal("5")))
    disabled = make_code(discount=make_discount(network=network, disabled_at=timezone.now()))
    for code in (used_up, elsewhere, credits, disabled):
        assert error(apply(client, trip.guid, code.code)) == (404, "err_NoCouponFound"), code
    # err_CommunityMismatch: email pattern, then organizations
    by_email = make_code(discount=make_discount(network=network), email_access_pattern="%@other.org")
    assert error(apply(client, trip.guid, by_email.code)) == (409, "err_CommunityMismatch")
    members_only = make_discount(network=network)
    members_only.organizations.set([make_organization()])
    assert error(apply(client, trip.guid, make_code(discount=members_only).code)) == (409, "err_CommunityMismatch")
    # err_CouponEffectDates: by date, then by the hour window (network local time)
    late = make_code(discount=make_discount(network=network, start_date=datetime.date(2026, 6, 1)))
    assert error(apply(client, trip.guid, late.code)) == (409, "err_CouponEffectDates")
    evenings = make_code(discount=make_discount(network=network, valid_from_time=datetime.time(18),
                                                valid_until_time=datetime.time(6)))
    assert error(apply(client, trip.guid, evenings.code)) == (409, "err_CouponEffectDates")
    # err_PromotionsAlreadyApplied: a promotion on the trip and a coupon that is not cumulative
    Trip.objects.filter(pk=trip.pk).update(promotion=make_discount(network=network))
    plain = make_code(discount=make_discount(network=network))
    assert error(apply(client, trip.guid, plain.code)) == (409, "err_PromotionsAlreadyApplied")
    cumulative = make_code(discount=make_discount(network=network, cumulative=True, type=2, data=Decimal("1")))
    assert apply(client, trip.guid, cumulative.code).status_code == 200
    # err_CouponAlreadyApplyed: a second coupon on the same trip
    another = make_code(discount=make_discount(network=network, cumulative=True))
    assert error(apply(client, trip.guid, another.code)) == (409, "err_CouponAlreadyApplyed")
    # err_CouponAlreadyUsed: the same coupon on another trip of the rider
    second_trip = make_trip(network=network, rider=rider, started_at=STARTED)
    assert error(apply(client, second_trip.guid, cumulative.code)) == (409, "err_CouponAlreadyUsed")
    assert CouponUse.objects.count() == 1


def test_hours_window_may_wrap_midnight_and_in_window_applies(rider, trip):
    mornings = make_code(discount=make_discount(network=trip.network, valid_from_time=datetime.time(22),
                                                valid_until_time=datetime.time(10)))
    assert apply(client_for(rider), trip.guid, mornings.code).status_code == 200  # 09:30 local


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_requests_on_a_single_use_code_apply_it_once():
    network_trip = make_trip(started_at=STARTED, ended_at=STARTED + timedelta(minutes=5))
    riders = [make_rider(), make_rider()]
    trips = [make_trip(network=network_trip.network, rider=r, started_at=STARTED) for r in riders]
    code = make_code(discount=make_discount(network=network_trip.network), remaining=1)
    # each thread on its own connection, closed when done (at_once), so none outlives the test database
    results = at_once(*(lambda rider=rider, trip=trip: apply(client_for(rider), trip.guid, code.code).status_code
                        for rider, trip in zip(riders, trips)))
    assert sorted(results) == [200, 404]
    code.refresh_from_db()
    assert code.remaining == 0 and CouponUse.objects.filter(code=code).count() == 1


def test_additional_costs_are_paged(rider, trip):
    fine = AdditionalCostType.objects.create(key="speed-fine", cost_type=AdditionalCostType.MacroType.FINE,
                                             labels={"en": "Speed fine", "fr": "Amende de vitesse"})
    for n in range(25):
        TripAdditionalCost.objects.create(trip=trip, type=fine, amount=Decimal("10.30"), notes=f"#{n}")
    client = client_for(rider)
    body = client.get(f"{API}/{trip.guid}/additional-costs/list").json()
    assert body["Result"] == "Ok"
    data = body["Data"]
    assert (data["PageIndex"], data["PageSize"], data["TotalCount"], len(data["Items"])) == (0, 20, 25, 20)
    last = client.get(f"{API}/{trip.guid}/additional-costs/list", {"PageIndex": 1, "PageSize": 20},
                      HTTP_ACCEPT_LANGUAGE="fr").json()["Data"]["Items"]
    assert [item["Notes"] for item in last] == [f"#{n}" for n in range(20, 25)]
    item = last[0]
    assert (item["Amount"], item["TypeID"], item["CostType"], item["Labels"], item["TripGuid"]) == (
        10.3, fine.pk, 1, "Amende de vitesse", str(trip.guid))
    assert set(item) == {"ID", "CreatedDate", "LastUpdated", "Amount", "Notes", "TripGuid", "StartLocationName",
                         "StartTimestamp", "EndLocationName", "EndTimestamp", "TypeID", "CostType", "Labels"}
    assert error(client.get(f"{API}/{trip.guid}/additional-costs/list", {"PageSize": 101})) == (400, "err_InvalidElement")
    assert error(client.get(f"{API}/{make_trip().guid}/additional-costs/list")) == (403, "err_TripUserMismatch")
    assert error(client.get(f"{API}/not-a-guid/additional-costs/list")) == (400, "err_InvalidElement")


NOW = datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.timezone.utc)
DAY = timedelta(days=1)


@pytest.mark.parametrize("given, expected", [
    ((None, None), (NOW - 90 * DAY, NOW)),  # both null: the last 90 days
    ((NOW - 200 * DAY, None), (NOW - 200 * DAY, NOW - 110 * DAY)),  # only from: 90 days from it
    ((None, NOW - 10 * DAY), (NOW - 100 * DAY, NOW - 10 * DAY)),  # only to: 90 days up to it
    ((NOW - 300 * DAY, NOW), (NOW - 90 * DAY, NOW)),  # too long: to kept, from moved
    ((NOW - 5 * DAY, NOW - DAY), (NOW - 5 * DAY, NOW - DAY)),  # short enough: as given
])
def test_history_range_rules(given, expected):
    assert history_range(*given, now=NOW, max_days=90) == expected


def test_history_shape_and_range(rider, trip, settings):
    settings.MAX_TRIP_HISTORY_USER_DAYS = 30
    TripEvent.objects.create(trip=trip, type=TripEvent.Type.START, source=TripEvent.Source.MOBILE_APP, timestamp=STARTED,
                             latitude=Decimal("45.76"), longitude=Decimal("4.83"))
    TripDetail.objects.create(trip=trip, originator_key="co2_saved", labels={"en": "CO2 saved"}, value="412",
                              value_type=TripDetail.ValueType.INTEGER)
    TripAdditionalCost.objects.create(trip=trip, type=AdditionalCostType.objects.create(key="cleaning", cost_type=2),
                                      amount=Decimal("10"))
    code = make_code(discount=make_discount(network=trip.network, type=2, data=Decimal("1")))
    client = client_for(rider)
    assert apply(client, trip.guid, code.code).status_code == 200
    make_trip(rider=rider, started_at=STARTED - 40 * DAY)  # outside the 30 days
    make_trip(rider=rider, started_at=STARTED, state="running", ended_at=None)  # not completed
    make_trip(started_at=STARTED)  # another rider
    body = {"fromDate": (STARTED - DAY).isoformat(), "toDate": (STARTED + DAY).isoformat()}
    response = client.post(f"{API}/history", body, format="json").json()
    assert response["Result"] == "Ok"
    (item,) = response["Data"]["Trips"]
    assert (item["Guid"], item["IsCompleted"], item["Status"], item["Index"]) == (str(trip.guid), True, 1, 0)
    assert (item["TotalTripCost"], item["TotalAdditionalCost"], item["CouponCode"], item["IsPaid"]) == (6, 10, code.code,
                                                                                                         False)
    assert (item["Duration"], item["ActualMileageKm"], item["EquipmentReference"]) == (1200, 3, trip.vehicle.serial_number)
    assert item["Events"][0]["Type"] == 1 and item["Events"][0]["Latitude"] == 45.76
    assert item["Details"][0]["OriginatorKey"] == "co2_saved" and item["Details"][0]["Value"] == "412"
    expected_keys = {"Guid", "MovementAuthority", "DeletionDate", "IsCompleted", "Status", "Index", "StartLocationName",
                     "StartLocationLatitude", "StartLocationLongitude", "StartTimestamp", "EndLocationName",
                     "EndTimestamp", "EndLocationLatitude", "EndLocationLongitude", "Details", "Events", "UserId",
                     "EquipmentReference", "ServiceReference", "ActualDurationSeconds", "ActualMileageKm", "Duration",
                     "TotalTripCost", "TotalAdditionalCost", "IsPaid", "CouponCode"}
    assert set(item) == expected_keys
    assert error(client.post(f"{API}/history", {"fromDate": "yesterday"}, format="json")) == (400, "err_InvalidElement")
