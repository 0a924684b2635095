"""Reads of money: listTransactions' filters."""
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db.models import F, QuerySet, Value

from apps.core.api.params import require_ordered_ranges
from apps.core.filters import filter_by
from apps.core.timezones import local_midnight

from .models import Transaction

TRANSACTION_FILTERS = {
    "transaction_id_min": "id__gte", "transaction_id_max": "id__lte",
    "amount_w_vat_min": "amount_w_vat__gte", "amount_w_vat_max": "amount_w_vat__lte",
    "amount_min": "amount__gte", "amount_max": "amount__lte", "user_id": "rider_id",
    "email": "rider__email__icontains", "product_title": "product_title__icontains",
    "auto_payment": "auto_payment", "payment_provider_fee_min": "payment_provider_fee__gte",
    "payment_provider_fee_max": "payment_provider_fee__lte", "payment_provider": "payment_provider__icontains",
    "payment_method_type": "payment_method_type__icontains",
}
DAY_BOUNDS = {"date_min": "date__gte", "refund_date_min": "refund_date__gte",
              "date_max": "date__lt", "refund_date_max": "refund_date__lt"}
UTC = ZoneInfo("UTC")


def with_net(*, queryset: QuerySet) -> QuerySet:
    return queryset.annotate(net_amount=F("amount_w_vat") - F("refunded_amount") - F("payment_provider_fee"))


def narrows_transactions(*, filters: dict) -> bool:
    """Whether the query has a listTransactions filter besides the networks."""
    return any(filters.get(name) not in (None, []) for name in (*TRANSACTION_FILTERS, *DAY_BOUNDS, "refunded"))


def transaction_list(*, queryset: QuerySet, filters: dict) -> QuerySet:
    """listTransactions filters: bounds inclusive (dates are UTC days), e-mails, titles, providers and method types
    by fragment (case-insensitive), `refunded`: something was refunded."""
    require_ordered_ranges(filters, "transaction_id", "date", "amount_w_vat", "amount", "refund_date",
                           "payment_provider_fee")
    rows = filter_by(queryset, filters, TRANSACTION_FILTERS)
    for name, lookup in DAY_BOUNDS.items():
        if filters.get(name):
            day = filters[name] + timedelta(days=1) if name.endswith("_max") else filters[name]
            rows = rows.filter(**{lookup: local_midnight(day, UTC)})
    if filters.get("refunded") is not None:
        rows = rows.filter(refunded_amount__gt=0) if filters["refunded"] else rows.filter(refunded_amount=0)
    return with_net(queryset=rows).select_related("rider")


def payments_of(rider, visible) -> QuerySet:
    """The rider's payments as last actions (apps.riders.selectors.ACTION_SOURCES)."""

    return visible(Transaction.objects.filter(rider=rider)).order_by().values(
        type=Value("transaction"), moment=F("date"), object_id=F("id"), network_ref=F("network_id"))
