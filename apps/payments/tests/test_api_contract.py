"""The contract and access matrix of the money operations served by apps.payments."""
from decimal import Decimal

from django.contrib.auth import get_user_model

from apps.applabels.tests.factories import make_app_label
from apps.core.testing.contract import OperationCase, Request, contract_tests
from apps.payments.models import AppLabelPaymentMethod, BankGuarantee, PaymentMethodType
from apps.payments.services import wallet_credit
from apps.reference.models import Currency
from apps.riders.tests.factories import make_member, make_payment_method

from .factories import make_payment

ZEROS = {"transaction_count": 0, "amount_w_vat": 0.0, "amount": 0.0, "vat": 0.0, "refunded_amount": 0.0,
         "payment_provider_fee": 0.0, "net_amount": 0.0}
NO_INCOME = {
    "getIncomeSummary": {**ZEROS, "currency": "EUR", "rates": []},
    "getIncomeSources": {"currency": "EUR", "sources": [], "rates": []},
    "getIncomeByDow": [{"day_of_week": n, **ZEROS} for n in range(1, 8)],
    "getIncomeByDay": [],
}
PERIOD = {"start_date": "2026-01-01", "end_date": "2026-12-31", "currency": "EUR", "timezone": "Europe/Paris"}


def _listed():
    return Request(query={"networks": str(make_payment().network_id)})


def _payment_path():
    return {"id": make_payment().pk}


def _credited():
    rider = make_member()
    wallet_credit(rider=rider, amount=Decimal("5"), currency=Currency.objects.get(code="EUR"), reason="Gesture",
                  actor=None)
    return rider


def _wallet_deleted():
    rider = _credited()
    return Request(path_params={"id": rider.pk}, query={"wallet": rider.wallets.get().pk, "reason": "Closed account"})


def _guarantee():
    rider = make_member()
    method = make_payment_method(rider, is_default=True)
    BankGuarantee.objects.create(rider=rider, payment_method=method, currency_id="EUR", amount=Decimal("50"),
                                 provider_reference="auth_1")
    return Request(path_params={"id": rider.pk})


def _fingerprint():
    rider = make_member()
    make_payment_method(rider, fingerprint="fp-shared", is_default=True)
    make_payment_method(make_member(), fingerprint="fp-shared", is_default=True)
    return Request(query={"fingerprint": "fp-shared"})


def _label_method():
    return {"app_label_id": make_app_label().pk, "method_id": PaymentMethodType.objects.order_by("pk").first().pk}


def _label_method_enabled():
    path = _label_method()
    AppLabelPaymentMethod.objects.create(app_label_id=path["app_label_id"], method_id=path["method_id"])
    return Request(path_params=path)


def _superuser_invoice():
    """An invoice of the superuser the success test calls with (any rider's when there is none yet)."""
    owner = get_user_model().objects.filter(is_superuser=True).first() or make_member()
    return make_payment(rider=owner).invoices.get()


CASES = [
    OperationCase("listTransactions", _listed),
    OperationCase("getTransaction", lambda: Request(path_params=_payment_path())),
    OperationCase("refundTransaction", lambda: Request(path_params=_payment_path(),
                                                       body={"reason": "Vehicle broke down mid-trip", "amount": 4.5})),
    OperationCase("getTransactionInvoice", lambda: Request(path_params=_payment_path()), binary="application/pdf"),
    *[OperationCase(op, lambda: (make_payment(), Request(query=PERIOD))[1], answer_for_no_rows=empty)
      for op, empty in NO_INCOME.items()],
    OperationCase("listPaymentMethodsByFingerprint", _fingerprint),
    OperationCase("listAppLabelPaymentMethods", lambda: Request(path_params={"app_label_id": make_app_label().pk})),
    OperationCase("enableAppLabelPaymentMethod", lambda: Request(path_params=_label_method())),
    OperationCase("disableAppLabelPaymentMethod", _label_method_enabled),
    OperationCase("listInvoices", lambda: (_superuser_invoice(), Request(query={"page": 1}))[1]),
    OperationCase("downloadInvoice", lambda: Request(path_params={"ref": _superuser_invoice().reference}),
                  binary="application/pdf"),
    OperationCase("listUserWallets", lambda: Request(path_params={"id": _credited().pk})),
    OperationCase("createUserWallet", lambda: Request(path_params={"id": make_member().pk},
                                                      body={"amount": 10, "currency": "EUR", "reason": "Goodwill"})),
    OperationCase("deleteUserWallet", _wallet_deleted),
    OperationCase("getUserWalletSum", lambda: Request(path_params={"id": _credited().pk}, query={"currency": "EUR"})),
    OperationCase("listUserBankGuarantees", _guarantee),
    OperationCase("toggleUserPreAuth", lambda: Request(path_params={"id": make_member().pk}, body={"disabled": True})),
]

globals().update(contract_tests(CASES))
