"""Riders' accounts in the riders' app, and the whole path from sign-up to receipt through the HTTP API."""
from decimal import Decimal

from django.utils import timezone
from rest_framework.test import APIClient

from apps.fleet.tests.factories import make_vehicle
from apps.networks.tests.factories import make_network
from apps.payments.models import Invoice, PaymentMethod, Transaction
from apps.pricing.tests.factories import make_rule
from apps.terms.models import TermsOfUse

API = "/api/business-mobile/v1"
PASSWORD = "a long rider passphrase"


def _sign_up(client, app_label, email="rider@example.com", password=PASSWORD):
    return client.post(f"{API}/riders/sign-up", {"AppLabel": app_label.name, "Email": email, "Password": password,
                                                 "Firstname": "Ada", "Language": "fr"}, format="json")


def _error(response, code, status):
    body = response.json()
    assert (response.status_code, body.get("ErrorCode")) == (status, code), body
    return body


def test_from_sign_up_to_receipt_through_the_riders_api(db):
    network = make_network()
    make_rule(network=network)
    TermsOfUse.objects.create(target_type="app_label", app_label=network.app_label, version=1,
                              published_at=timezone.now())
    vehicle = make_vehicle(network=network, battery_level=90, latitude=Decimal("45.764"), longitude=Decimal("4.8357"))
    client = APIClient()
    signed = _sign_up(client, network.app_label)
    assert signed.status_code == 200, signed.json()
    token = signed.json()["Data"]["Token"]
    assert signed.json()["Data"]["Rider"]["HasCard"] is False
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    profile = client.get(f"{API}/riders/me").json()["Data"]
    assert (profile["Email"], profile["Language"], profile["AppLabel"]) == ("rider@example.com", "fr",
                                                                            network.app_label.name)
    here = {"Latitude": 45.764, "Longitude": 4.8357}
    start = {"VehicleCode": vehicle.serial_number, **here}
    _error(client.post(f"{API}/trips/start", start, format="json"), "err_TermsNotAccepted", 409)
    assert client.post(f"{API}/riders/me/terms/accept", {}, format="json").json()["Data"]["Accepted"][0][
        "Version"] == 1
    _error(client.post(f"{API}/trips/start", start, format="json"), "err_NoPaymentMethod", 402)
    card = client.post(f"{API}/riders/me/cards", {"Token": "tok_visa"}, format="json").json()["Data"]
    assert (card["Brand"], card["Last4"], card["IsDefault"]) == ("visa", "4242", True)
    started = client.post(f"{API}/trips/start", start, format="json")
    assert started.status_code == 200, started.json()
    guid = started.json()["Data"]["Guid"]
    receipt = client.post(f"{API}/trips/{guid}/end", here, format="json").json()["Data"]
    assert (receipt["State"], receipt["PaymentStatus"]) == ("finished", "paid")
    payment = Transaction.objects.get(trip__guid=guid)
    assert Invoice.objects.filter(transaction=payment).exists()
    history = client.post(f"{API}/trips/history", {"fromDate": None, "toDate": None}, format="json").json()
    assert [trip["Guid"] for trip in history["Data"]["Trips"]] == [guid]
    assert client.post(f"{API}/riders/logout").json()["Result"] == "Ok"
    _error(client.get(f"{API}/riders/me"), "err_Generic", 401)


def test_sign_up_and_login_refusals(db, django_user_model):
    network, other = make_network(), make_network()
    client = APIClient()
    _error(client.post(f"{API}/riders/sign-up", {"AppLabel": "nosuchapp", "Email": "a@example.com",
                                                 "Password": PASSWORD}, format="json"), "err_UnknownAppLabel", 404)
    weak = _error(_sign_up(client, network.app_label, password="123"), "err_InvalidElement", 400)
    assert "Password" in weak["Message"]
    assert _sign_up(client, network.app_label).status_code == 200
    _error(_sign_up(client, other.app_label), "err_EmailTaken", 409)
    assert django_user_model.objects.filter(email="rider@example.com").count() == 1
    login = {"Email": "rider@example.com", "Password": PASSWORD}
    assert client.post(f"{API}/riders/login", {**login, "AppLabel": network.app_label.name},
                       format="json").status_code == 200
    _error(client.post(f"{API}/riders/login", {**login, "AppLabel": other.app_label.name}, format="json"),
           "err_WrongCredentials", 401)
    _error(client.post(f"{API}/riders/login", {**login, "Password": "wrong", "AppLabel": network.app_label.name},
                       format="json"), "err_WrongCredentials", 401)
    django_user_model.objects.create_user(email="ops@example.com", password=PASSWORD, is_staff=True,
                                          app_label=network.app_label)
    _error(client.post(f"{API}/riders/login", {"Email": "ops@example.com", "Password": PASSWORD,
                                               "AppLabel": network.app_label.name}, format="json"),
           "err_WrongCredentials", 401)


def test_a_card_the_provider_does_not_know_is_refused_and_saves_nothing(db):
    network = make_network()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {_sign_up(client, network.app_label).json()['Data']['Token']}")
    _error(client.post(f"{API}/riders/me/cards", {"Token": "tok_unknown"}, format="json"), "err_CardRefused", 402)
    _error(client.post(f"{API}/riders/me/cards", {"Token": ""}, format="json"), "err_InvalidElement", 400)
    assert not PaymentMethod.objects.exists()
    client.post(f"{API}/riders/me/cards", {"Token": "tok_visa"}, format="json")
    second = client.post(f"{API}/riders/me/cards", {"Token": "tok_mastercard"}, format="json").json()["Data"]
    assert second["IsDefault"] is False and PaymentMethod.objects.filter(is_default=True).count() == 1


def test_a_riders_cards_and_wallet_are_his_own(db):
    from apps.payments.services import wallet_credit

    network = make_network()
    client, stranger = APIClient(), APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {_sign_up(client, network.app_label).json()['Data']['Token']}")
    stranger.credentials(HTTP_AUTHORIZATION="Bearer " + _sign_up(
        stranger, network.app_label, email="other@example.com").json()["Data"]["Token"])
    first = client.post(f"{API}/riders/me/cards", {"Token": "tok_visa"}, format="json").json()["Data"]
    second = client.post(f"{API}/riders/me/cards", {"Token": "tok_mastercard"}, format="json").json()["Data"]
    _error(stranger.put(f"{API}/riders/me/cards/{second['Id']}/default"), "err_CardNotFound", 404)
    _error(stranger.delete(f"{API}/riders/me/cards/{first['Id']}"), "err_CardNotFound", 404)
    assert client.put(f"{API}/riders/me/cards/{second['Id']}/default").json()["Data"]["IsDefault"] is True
    listed = client.get(f"{API}/riders/me/cards").json()["Data"]
    assert [(c["Id"], c["IsDefault"]) for c in listed] == [(second["Id"], True), (first["Id"], False)]
    assert client.delete(f"{API}/riders/me/cards/{second['Id']}").json()["Result"] == "Ok"
    assert [(c["Id"], c["IsDefault"]) for c in client.get(f"{API}/riders/me/cards").json()["Data"]] == [
        (first["Id"], True)]  # the other card became the default
    assert stranger.get(f"{API}/riders/me/cards").json()["Data"] == []
    rider = PaymentMethod.objects.get(pk=first["Id"]).rider
    wallet_credit(rider=rider, amount=Decimal("12.5"), currency=network.currency, reason="Welcome", actor=None)
    wallet = client.get(f"{API}/riders/me/wallet").json()["Data"]
    assert wallet["Balances"] == [{"Currency": "EUR", "Balance": "12.50"}]
    assert [(e["Kind"], e["Amount"], e["Reason"]) for e in wallet["Entries"]] == [("credit", "12.50", "Welcome")]
    assert stranger.get(f"{API}/riders/me/wallet").json()["Data"]["Balances"] == []
    _error(client.get(f"{API}/riders/me/wallet", {"PageSize": 101}), "err_InvalidElement", 400)


def _signed_up(network, email="rider@example.com"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer " + _sign_up(client, network.app_label, email=email).json()[
        "Data"]["Token"])
    return client


def test_a_rider_changes_his_profile_and_only_what_he_gives(db, django_user_model):
    client = _signed_up(make_network())
    changed = client.put(f"{API}/riders/me", {"Lastname": "Lovelace", "Language": "en"}, format="json").json()
    assert (changed["Data"]["Firstname"], changed["Data"]["Lastname"], changed["Data"]["Language"]) == (
        "Ada", "Lovelace", "en")
    rider = django_user_model.objects.get(email="rider@example.com")
    assert (rider.firstname, rider.lastname, rider.language) == ("Ada", "Lovelace", "en")
    for bad in ({"Language": "eng"}, {"Language": "EN"}, {"Firstname": "x" * 51}):
        body = _error(client.put(f"{API}/riders/me", bad, format="json"), "err_InvalidElement", 400)
        assert next(iter(bad)) in body["Message"]
    rider.refresh_from_db()
    assert (rider.firstname, rider.language) == ("Ada", "en")


def test_a_token_is_refreshed_once_and_the_old_one_stops_working(db):
    client = _signed_up(make_network())
    refreshed = client.post(f"{API}/riders/token/refresh").json()["Data"]
    assert refreshed["Token"] and refreshed["ExpiresAt"]
    _error(client.get(f"{API}/riders/me"), "err_Generic", 401)  # the old token is revoked
    _error(client.post(f"{API}/riders/token/refresh"), "err_Generic", 401)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {refreshed['Token']}")
    assert client.get(f"{API}/riders/me").json()["Data"]["Email"] == "rider@example.com"


def test_a_phone_is_registered_once_per_rider_and_updated_after(db):
    from apps.riders.models import Device

    client = _signed_up(make_network())
    phone = {"DeviceId": "install-1", "Platform": "ios", "Model": "iPhone 15", "OsVersion": "18.1", "AppVersion": 412,
             "PushToken": "apns-token-1"}
    first = client.put(f"{API}/riders/me/devices", phone, format="json").json()["Data"]
    assert (first["DeviceId"], first["Platform"], first["PushEnabled"], first["AppVersion"]) == (
        "install-1", "ios", True, 412)
    again = client.put(f"{API}/riders/me/devices", {**phone, "AppVersion": 413, "PushToken": ""},
                       format="json").json()["Data"]
    assert (again["PushEnabled"], again["AppVersion"], again["FirstSeenAt"]) == (False, 413, first["FirstSeenAt"])
    stored = Device.objects.get()
    assert (stored.push_token, stored.app_version, stored.model) == ("", 413, "iPhone 15")
    for bad in ({**phone, "Platform": "windows"}, {**phone, "DeviceId": ""}, {**phone, "PushToken": "x" * 256},
                {"Platform": "ios"}):
        _error(client.put(f"{API}/riders/me/devices", bad, format="json"), "err_InvalidElement", 400)
    assert Device.objects.count() == 1


def test_a_rider_deletes_his_own_account_with_his_password_unless_a_trip_is_open(db, django_user_model):
    from apps.riders.models import RiderErasure
    from apps.trips.models import PaymentStatus, TripState
    from apps.trips.tests.factories import make_trip

    network = make_network()
    client = _signed_up(network)
    rider = django_user_model.objects.get(email="rider@example.com")
    client.post(f"{API}/riders/me/cards", {"Token": "tok_visa"}, format="json")
    _error(client.post(f"{API}/riders/me/delete", {"Password": "wrong"}, format="json"), "err_WrongCredentials", 401)
    trip = make_trip(network=network, rider=rider, state=TripState.RUNNING)
    _error(client.post(f"{API}/riders/me/delete", {"Password": PASSWORD}, format="json"), "err_TripUnderWay", 409)
    trip.state, trip.ended_at, trip.payment_status = TripState.FINISHED, timezone.now(), PaymentStatus.FAILED
    trip.save()
    _error(client.post(f"{API}/riders/me/delete", {"Password": PASSWORD}, format="json"), "err_DebtUnpaid", 402)
    assert not RiderErasure.objects.exists()
    trip.payment_status = PaymentStatus.PAID
    trip.save()
    assert client.post(f"{API}/riders/me/delete", {"Password": PASSWORD}, format="json").json()["Result"] == "Ok"
    rider.refresh_from_db()
    assert (rider.email, rider.is_active) == (f"erased-{rider.pk}@erased.invalid", False)
    assert RiderErasure.objects.get(rider_id=rider.pk).erased_by_id == rider.pk
    assert not PaymentMethod.objects.filter(rider=rider, detached_at__isnull=True).exists()
    _error(client.get(f"{API}/riders/me"), "err_Generic", 401)  # its tokens are gone
    _error(client.post(f"{API}/riders/login", {"Email": "rider@example.com", "Password": PASSWORD,
                                               "AppLabel": network.app_label.name}, format="json"),
           "err_WrongCredentials", 401)


def test_a_forgotten_password_is_reset_with_the_mailed_code_once(db, django_user_model, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    import re

    from apps.riders.models import RiderMessage

    network = make_network()
    client = _signed_up(network)
    anonymous = APIClient()
    forgot = {"AppLabel": network.app_label.name, "Email": "rider@example.com"}
    with django_capture_on_commit_callbacks(execute=True):
        assert anonymous.post(f"{API}/riders/password/forgot", forgot, format="json").json() == {"Result": "Ok"}
        # Pressed twice: one mail; an unknown e-mail is answered the same, and mails nothing.
        anonymous.post(f"{API}/riders/password/forgot", forgot, format="json")
        assert anonymous.post(f"{API}/riders/password/forgot", {**forgot, "Email": "nobody@example.com"},
                              format="json").json() == {"Result": "Ok"}
    message = RiderMessage.objects.get(template="password-reset")
    assert message.status == "sent" and len(mailoutbox) == 1
    code = re.search(r"code=(\S+)", message.variables["reset_url"]).group(1)
    assert code in mailoutbox[0].body or message.variables["reset_url"] in mailoutbox[0].body

    _error(anonymous.post(f"{API}/riders/password/reset", {"Code": code, "Password": "123"}, format="json"),
           "err_InvalidElement", 400)
    _error(anonymous.post(f"{API}/riders/password/reset", {"Code": code[:-2] + "xx", "Password": "a new long one"},
                          format="json"), "err_InvalidResetCode", 409)
    assert anonymous.post(f"{API}/riders/password/reset", {"Code": code, "Password": "a new long one"},
                          format="json").json() == {"Result": "Ok"}
    _error(client.get(f"{API}/riders/me"), "err_Generic", 401)  # the old sessions are closed
    _error(anonymous.post(f"{API}/riders/password/reset", {"Code": code, "Password": "another long one"},
                          format="json"), "err_InvalidResetCode", 409)  # used: the password it was made for changed
    login = {"AppLabel": network.app_label.name, "Email": "rider@example.com", "Password": "a new long one"}
    assert anonymous.post(f"{API}/riders/login", login, format="json").status_code == 200
    _error(anonymous.post(f"{API}/riders/password/reset", {"Code": "garbage", "Password": "a new long one"},
                          format="json"), "err_InvalidResetCode", 409)


def _texted_code(phone: str) -> str:
    import re

    from apps.riders.messaging import LocalSmsProvider

    number, body = LocalSmsProvider.outbox[-1]
    assert number == phone
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_a_rider_signs_up_then_logs_in_with_a_texted_code(db, django_user_model):
    from apps.riders.models import PhoneCode

    network = make_network()
    client = APIClient()
    phone = {"AppLabel": network.app_label.name, "PhoneNumber": "+33612345678"}
    assert client.post(f"{API}/riders/phone/code", phone, format="json").json() == {"Result": "Ok"}
    code = _texted_code("+33612345678")
    assert PhoneCode.objects.get().code_hash != code  # kept hashed
    _error(client.post(f"{API}/riders/phone/code", phone, format="json"), "err_TooManyAttempts", 429)
    wrong = "000000" if code != "000000" else "111111"
    _error(client.post(f"{API}/riders/phone/verify", {**phone, "Code": wrong}, format="json"), "err_InvalidCode", 401)
    assert PhoneCode.objects.get().failed_attempts == 1  # counted, though refused
    signed = client.post(f"{API}/riders/phone/verify", {**phone, "Code": code}, format="json").json()["Data"]
    assert signed["Created"] is True and signed["Token"]
    rider = django_user_model.objects.get(phone_number="+33612345678")
    assert (rider.app_label, rider.has_usable_password(), signed["Rider"]["Id"]) == (network.app_label, False,
                                                                                     rider.pk)
    _error(client.post(f"{API}/riders/phone/verify", {**phone, "Code": code}, format="json"),
           "err_InvalidCode", 401)  # used

    from django.core.cache import cache

    cache.clear()  # a minute later
    client.post(f"{API}/riders/phone/code", phone, format="json")
    again = client.post(f"{API}/riders/phone/verify", {**phone, "Code": _texted_code("+33612345678")},
                        format="json").json()["Data"]
    assert again["Created"] is False and again["Rider"]["Id"] == rider.pk
    assert django_user_model.objects.filter(phone_number="+33612345678").count() == 1


def test_a_texted_code_takes_five_tries_and_bounded_input(db):
    from apps.riders.models import PhoneCode

    network = make_network()
    client = APIClient()
    phone = {"AppLabel": network.app_label.name, "PhoneNumber": "+4915112345678"}
    client.post(f"{API}/riders/phone/code", phone, format="json")
    code = _texted_code("+4915112345678")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        _error(client.post(f"{API}/riders/phone/verify", {**phone, "Code": wrong}, format="json"),
               "err_InvalidCode", 401)
    _error(client.post(f"{API}/riders/phone/verify", {**phone, "Code": code}, format="json"), "err_InvalidCode", 401)
    assert PhoneCode.objects.get().used_at is None
    for bad in ({**phone, "PhoneNumber": "0612345678"}, {**phone, "PhoneNumber": "+0612345678"},
                {**phone, "PhoneNumber": "+1" + "2" * 15}, {"PhoneNumber": "+33612345678"}):
        _error(client.post(f"{API}/riders/phone/code", bad, format="json"), "err_InvalidElement", 400)
    for bad_code in ("12345", "1234567", "abcdef"):
        _error(client.post(f"{API}/riders/phone/verify", {**phone, "Code": bad_code}, format="json"),
               "err_InvalidElement", 400)
    _error(client.post(f"{API}/riders/phone/code", {**phone, "AppLabel": "nosuchapp"}, format="json"),
           "err_UnknownAppLabel", 404)


def test_an_app_older_than_its_minimal_version_is_sent_to_the_store_at_sign_up_and_login(db):
    from apps.devtools.models import AppVersion

    network = make_network()
    network.app_label.ios_store_url = "https://apps.apple.com/app/id1"
    network.app_label.save()
    AppVersion.objects.create(app_label=network.app_label, platform="ios", current=310, minimal=300)
    client = APIClient()
    old = {"AppPlatform": "ios", "AppVersion": 299}
    body = _error(client.post(f"{API}/riders/sign-up", {"AppLabel": network.app_label.name, "Email": "a@example.com",
                                                        "Password": PASSWORD, **old}, format="json"),
                  "err_AppTooOld", 426)
    assert body["StoreUrl"] == "https://apps.apple.com/app/id1"
    assert _sign_up(client, network.app_label).status_code == 200  # an app that does not say: let in
    login = {"AppLabel": network.app_label.name, "Email": "rider@example.com", "Password": PASSWORD}
    _error(client.post(f"{API}/riders/login", {**login, **old}, format="json"), "err_AppTooOld", 426)
    assert client.post(f"{API}/riders/login", {**login, "AppPlatform": "ios", "AppVersion": 300},
                       format="json").status_code == 200
