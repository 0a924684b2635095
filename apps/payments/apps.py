from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "apps.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self):
        from django.db.models import F, Value

        from . import signals  # noqa: F401  (stored income hours stay exact)

        from apps.riders.selectors import ACTION_SOURCES

        from .models import Transaction

        def transactions(rider, visible):
            return visible(Transaction.objects.filter(rider=rider)).order_by().values(
                type=Value("transaction"), moment=F("date"), object_id=F("id"), network_ref=F("network_id"))

        # A rider's last actions (listUserLastActions) include its payments.
        if transactions.__qualname__ not in {source.__qualname__ for source in ACTION_SOURCES}:
            ACTION_SOURCES.append(transactions)
