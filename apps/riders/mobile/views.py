"""The riders' app account operations (PascalCase JSON, the mobile envelope)."""
from __future__ import annotations

from django.db.models import Sum
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated

from apps.accounts.services import logout, token_refresh
from apps.core.api.mobile import MobileError, MobileOperationView
from apps.core.models import UNSET
from apps.networks.selectors import riders_network

from .. import app_accounts


class RiderProfileOut(serializers.Serializer):
    Id = serializers.IntegerField(source="pk")
    Email = serializers.EmailField(source="email")
    Firstname = serializers.CharField(source="firstname")
    Lastname = serializers.CharField(source="lastname")
    Language = serializers.CharField(source="language")
    AppLabel = serializers.CharField(source="app_label.name", allow_null=True)
    HasCard = serializers.SerializerMethodField()

    def get_HasCard(self, rider) -> bool:
        return rider.payment_methods.filter(detached_at__isnull=True).exists()


class RiderCardOut(serializers.Serializer):
    Id = serializers.IntegerField(source="pk")
    Brand = serializers.CharField(source="brand")
    Last4 = serializers.CharField(source="last4")
    ExpiryMonth = serializers.IntegerField(source="expiry_month")
    ExpiryYear = serializers.IntegerField(source="expiry_year")
    IsDefault = serializers.BooleanField(source="is_default")


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class SignUpRider(MobileOperationView):
    operations = {"POST": "signUpRider"}
    authentication_classes: list = []

    def post(self, request):
        body = self.body
        rider = app_accounts.rider_sign_up(
            app_label_name=body["AppLabel"], email=body["Email"], password=body["Password"],
            firstname=body.get("Firstname", ""), lastname=body.get("Lastname", ""), language=body.get("Language", ""),
            app_platform=body.get("AppPlatform"), app_version=body.get("AppVersion"))
        raw, token = app_accounts.rider_log_in(app_label_name=body["AppLabel"], email=rider.email,
                                               password=body["Password"], ip=_client_ip(request),
                                               user_agent=request.headers.get("User-Agent", ""))
        return self.respond({"Token": raw, "ExpiresAt": token.expires_at, "Rider": RiderProfileOut(rider).data})


class LogInRider(MobileOperationView):
    operations = {"POST": "logInRider"}
    authentication_classes: list = []

    def post(self, request):
        raw, token = app_accounts.rider_log_in(
            app_label_name=self.body["AppLabel"], email=self.body["Email"], password=self.body["Password"],
            ip=_client_ip(request), user_agent=request.headers.get("User-Agent", ""),
            app_platform=self.body.get("AppPlatform"), app_version=self.body.get("AppVersion"))
        return self.respond({"Token": raw, "ExpiresAt": token.expires_at})


class LogOutRider(MobileOperationView):
    operations = {"POST": "logOutRider"}

    def post(self, request):
        if request.auth is not None:
            logout(token=request.auth)
        return self.respond()


class RiderProfile(MobileOperationView):
    operations = {"GET": "getRiderProfile", "PUT": "updateRiderProfile"}
    output_serializers = {"GET": RiderProfileOut, "PUT": RiderProfileOut}

    def get(self, request):
        return self.respond(RiderProfileOut(request.user).data)

    def put(self, request):
        body = self.body
        rider = app_accounts.rider_update_profile(
            rider=request.user, firstname=body.get("Firstname", UNSET), lastname=body.get("Lastname", UNSET),
            language=body.get("Language", UNSET))
        return self.respond(RiderProfileOut(rider).data)


class RefreshRiderToken(MobileOperationView):
    operations = {"POST": "refreshRiderToken"}

    def post(self, request):
        if request.auth is None:  # a session (the browsable API) has no token to refresh
            raise NotAuthenticated("Only a rider's token can be refreshed.")
        raw, token = token_refresh(token=request.auth, user_agent=request.headers.get("User-Agent", ""))
        return self.respond({"Token": raw, "ExpiresAt": token.expires_at})


class RiderDeviceOut(serializers.Serializer):
    DeviceId = serializers.CharField(source="device_id")
    Platform = serializers.CharField(source="platform")
    Model = serializers.CharField(source="model")
    OsVersion = serializers.CharField(source="os_version")
    AppVersion = serializers.IntegerField(source="app_version", allow_null=True)
    PushEnabled = serializers.SerializerMethodField()
    FirstSeenAt = serializers.DateTimeField(source="first_seen_at")
    LastSeenAt = serializers.DateTimeField(source="last_seen_at")

    def get_PushEnabled(self, device) -> bool:
        return bool(device.push_token)


class RiderDevices(MobileOperationView):
    operations = {"PUT": "registerRiderDevice"}
    output_serializers = {"PUT": RiderDeviceOut}

    def put(self, request):
        body = self.body
        device = app_accounts.rider_register_device(
            rider=request.user, device_id=body["DeviceId"], platform=body["Platform"], model=body.get("Model", ""),
            os_version=body.get("OsVersion", ""), app_version=body.get("AppVersion"),
            push_token=body.get("PushToken", ""))
        return self.respond(RiderDeviceOut(device).data)


class DeleteRiderAccount(MobileOperationView):
    operations = {"POST": "deleteRiderAccount"}
    stepped_methods = ("POST",)  # the cards are removed at the provider, each between commits (rider_erase)

    def post(self, request):
        app_accounts.rider_delete_account(rider=request.user, password=self.body["Password"])
        return self.respond()


class RiderCards(MobileOperationView):
    operations = {"GET": "listRiderCards", "POST": "addRiderCard"}
    output_serializers = {"GET": RiderCardOut, "POST": RiderCardOut}

    def get(self, request):
        cards = request.user.payment_methods.filter(detached_at__isnull=True).order_by("-is_default", "-created_at",
                                                                                        "-id")
        return self.respond(RiderCardOut(cards, many=True).data)

    def post(self, request):
        return self.respond(RiderCardOut(app_accounts.rider_add_card(rider=request.user, token=self.body["Token"])).data)


class RiderCardView(MobileOperationView):
    def card(self):
        card = self.request.user.payment_methods.filter(pk=self.kwargs["id"], detached_at__isnull=True).first()
        if card is None:  # another rider's card is not found either
            raise MobileError("err_CardNotFound", "No saved card of yours has this id.", 404)
        return card


class RiderCardDefault(RiderCardView):
    operations = {"PUT": "setRiderDefaultCard"}
    output_serializers = {"PUT": RiderCardOut}

    def put(self, request, id):
        # at call time: payments imports riders at load time (a cycle).
        from apps.payments.services import payment_method_make_default

        return self.respond(RiderCardOut(payment_method_make_default(method=self.card())).data)


class RiderCardDetail(RiderCardView):
    operations = {"DELETE": "deleteRiderCard"}
    stepped_methods = ("DELETE",)  # the provider removes it before the row is written (apps.payments.services)

    def delete(self, request, id):
        # at call time: payments imports riders at load time (a cycle).
        from apps.payments.services import payment_method_detach

        payment_method_detach(method=self.card())
        return self.respond()


class RiderWalletEntryOut(serializers.Serializer):
    Date = serializers.DateTimeField(source="created_at")
    Kind = serializers.CharField(source="kind")
    Amount = serializers.SerializerMethodField()
    Reason = serializers.CharField(source="reason")

    def get_Amount(self, entry) -> str:
        return str(entry.wallet.currency.quantize(entry.amount))


class RiderWallet(MobileOperationView):
    operations = {"GET": "getRiderWallet"}

    def get(self, request):
        # at call time: payments imports riders at load time (a cycle).
        from apps.payments.models import Wallet, WalletEntry

        wallets = (Wallet.objects.filter(rider=request.user, closed_at__isnull=True).select_related("currency")
                   .annotate(balance=Sum("entries__amount")).order_by("currency_id"))
        index, size = self.query["PageIndex"], self.query["PageSize"]
        entries = (WalletEntry.objects.filter(wallet__rider=request.user, wallet__closed_at__isnull=True)
                   .select_related("wallet__currency").order_by("-created_at", "-id"))
        return self.respond({
            "Balances": [{"Currency": w.currency_id, "Balance": str(w.currency.quantize(w.balance or 0))}
                         for w in wallets],
            "Entries": RiderWalletEntryOut(entries[index * size:(index + 1) * size], many=True).data,
            "PageIndex": index, "PageSize": size, "TotalCount": entries.count()})


class AcceptRiderTerms(MobileOperationView):
    operations = {"POST": "acceptRiderTerms"}

    def post(self, request):
        network = None
        if self.body.get("NetworkId") is not None:
            network = riders_network(rider=request.user, network_id=self.body["NetworkId"])
        accepted = app_accounts.rider_accept_terms(rider=request.user, network=network)
        return self.respond({"Accepted": [{"Id": terms.pk, "Version": terms.version} for terms in accepted]})


class RequestRiderPasswordReset(MobileOperationView):
    operations = {"POST": "requestRiderPasswordReset"}
    authentication_classes: list = []

    def post(self, request):
        app_accounts.rider_request_password_reset(app_label_name=self.body["AppLabel"], email=self.body["Email"])
        return self.respond()


class ResetRiderPassword(MobileOperationView):
    operations = {"POST": "resetRiderPassword"}
    authentication_classes: list = []

    def post(self, request):
        app_accounts.rider_reset_password(code=self.body["Code"], password=self.body["Password"])
        return self.respond()


class RequestRiderPhoneCode(MobileOperationView):
    operations = {"POST": "requestRiderPhoneCode"}
    authentication_classes: list = []
    stepped_methods = ("POST",)  # the code is committed before the SMS provider is called

    def post(self, request):
        app_accounts.rider_request_phone_code(app_label_name=self.body["AppLabel"],
                                              phone_number=self.body["PhoneNumber"])
        return self.respond()


class VerifyRiderPhoneCode(MobileOperationView):
    operations = {"POST": "verifyRiderPhoneCode"}
    authentication_classes: list = []
    stepped_methods = ("POST",)  # a wrong code is counted in a transaction of its own, kept with the refusal

    def post(self, request):
        raw, token, rider, created = app_accounts.rider_verify_phone_code(
            app_label_name=self.body["AppLabel"], phone_number=self.body["PhoneNumber"], code=self.body["Code"],
            user_agent=request.headers.get("User-Agent", ""))
        return self.respond({"Token": raw, "ExpiresAt": token.expires_at, "Created": created,
                             "Rider": RiderProfileOut(rider).data})
