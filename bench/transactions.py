"""Benchmark listTransactions and the income statistics at 2,000,000 transactions through the whole HTTP stack.

    createdb -h 127.0.0.1 -U postgres fleetadmin_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench ./fleet manage migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fleetadmin_bench .venv/bin/python bench/transactions.py

Seeds two networks ("Money City", EUR, 1,600,000 transactions; "Money Town", USD, 400,000) over the last 365
days with INSERT ... SELECT generate_series (kinds, providers, fees, some refunds), and 400 days of exchange rates.
Stores the settled income hours as the beat would, then times listTransactions (first page with `total`, deep page,
sorts, filters) and the four income statistics over 365 days in EUR and in GBP, each beside the raw SQL of the same
aggregate over the transactions. `--reseed` starts again.
"""
import argparse
import os
import sys
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.applabels.models import AppLabel  # noqa: E402
from apps.networks.models import Network  # noqa: E402
from apps.payments.models import ExchangeRate, Transaction  # noqa: E402
from apps.payments.tasks import fill_income_hours  # noqa: E402
from apps.reference.models import Country, Currency  # noqa: E402
from bench.harness import sql_median, timed  # noqa: E402

NETWORKS = (("Money City", "EUR", 1_600_000), ("Money Town", "USD", 400_000))


@transaction.atomic
def seed(riders: int) -> list[Network]:
    label, _ = AppLabel.objects.get_or_create(name="moneybench", defaults={"display_name": "Money"})
    networks = []
    table = Transaction._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO {User._meta.db_table} (password, is_superuser, email, firstname, lastname, phone_number,
                                               is_staff, is_active, register_at)
            SELECT '!', false, 'payer-' || g || '@money.bench', 'Payer', 'P' || g, '', false, true, now()
            FROM generate_series(1, %s) g""", [riders])
        cursor.execute(f"SELECT min(id), max(id) FROM {User._meta.db_table} WHERE email LIKE 'payer-%%@money.bench'")
        lo, hi = cursor.fetchone()
        for name, code, count in NETWORKS:
            network = Network.objects.create(
                name=name, default_vat="0.2", country=Country.objects.get(alpha_2="FR"),
                currency=Currency.objects.get(code=code), default_vehicle_guarantee=150,
                trip_to_skip_pre_auth_guarantee=0, timezone="Europe/Paris", app_label=label)
            networks.append(network)
            cursor.execute(f"""
                INSERT INTO {table} (network_id, rider_id, kind, status, date, currency_id, amount, amount_w_vat,
                    vat_rate, product_title, payment_provider, payment_method_type, payment_provider_fee,
                    provider_reference, auto_payment, refunded_amount, refund_date, created_at, updated_at)
                SELECT %(network)s, %(lo)s + (g %% (%(hi)s - %(lo)s)), k.kind,
                       CASE WHEN g %% 53 = 0 THEN 'declined' ELSE 'paid' END, s,
                       %(code)s, round(a / 1.2, 2), a, 0.2, k.title,
                       (ARRAY['stripe','stripe','stripe','braintree','uzcard','hdcpay'])[1 + g %% 6],
                       (ARRAY['card','card','sepa_debit','paypal'])[1 + g %% 4], round(a * 0.014 + 0.25, 2),
                       'ch_' || g, k.kind IN ('trip', 'subscription'),
                       CASE WHEN g %% 37 = 0 THEN round(a / 2, 2) ELSE 0 END,
                       CASE WHEN g %% 37 = 0 THEN s + interval '2 days' END, s, s
                FROM (SELECT g, now() - ((g %% 365) || ' days')::interval - ((g::bigint * 7919) %% 86400 || ' seconds')::interval AS s,
                             round((1 + (g %% 40) * 0.37)::numeric, 2) AS a,
                             (ARRAY['trip','trip','trip','trip','pass','subscription','wallet_top_up','penalty'])[1 + g %% 8] AS kind
                      FROM generate_series(1, %(count)s) g) t
                CROSS JOIN LATERAL (SELECT t.kind, initcap(replace(t.kind, '_', ' ')) AS title) k""",
                           {"network": network.pk, "lo": lo, "hi": hi, "code": code, "count": count})
        today = timezone.now().date()
        rates = []
        for back in range(400, -1, -1):
            day = today - timedelta(days=back)
            rates += [ExchangeRate(currency_id="USD", date=day, rate=1.08 + back % 7 / 100),
                      ExchangeRate(currency_id="GBP", date=day, rate=0.85 + back % 5 / 100)]
        ExchangeRate.objects.bulk_create(rates, ignore_conflicts=True)
    return networks


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--riders", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    networks = list(Network.objects.filter(name__in=[n[0] for n in NETWORKS]).order_by("pk"))
    if len(networks) != len(NETWORKS) or args.reseed:
        started = time.perf_counter()
        networks = seed(args.riders)
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Transaction._meta.db_table}")
        print(f"seeded {sum(n[2] for n in NETWORKS):,} transactions in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()  # what the worker's beat does every 15 minutes (a no-op once all are stored)
    written = fill_income_hours()
    print(f"stored {written:,} income hour rows in {time.perf_counter() - started:.1f} s")
    admin, _ = User.objects.get_or_create(email="bench@fleetadmin.local", defaults={"is_superuser": True, "is_staff": True})
    client = APIClient()
    client.force_authenticate(admin)
    city = networks[0]
    table = Transaction._meta.db_table
    deep = Transaction.objects.filter(network=city).order_by("-id").values_list("id", flat=True)[1000]
    base = {"networks": str(city.pk)}
    lists = [
        ("first page + total", base, f"SELECT id FROM {table} WHERE network_id = {city.pk} ORDER BY id DESC LIMIT 20"),
        ("1,000 rows deep", {**base, "last_primary_key": deep}, None),
        ("by date", {**base, "sort_by": "date"}, None),
        ("by amount_w_vat", {**base, "sort_by": "amount_w_vat"}, None),
        ("refunded=true", {**base, "refunded": "true"}, None),
        ("last 30 days", {**base, "date_min": (timezone.now().date() - timedelta(days=30)).isoformat()}, None),
        ("both networks", {"networks": f"{networks[0].pk},{networks[1].pk}"}, None),
    ]
    print(f"{'listTransactions':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'raw SQL ms':>11}")
    for name, params, sql in lists:
        median, p95, queries = timed(client, "/api/dashboard/v1/transactions", params, args.repeat)
        raw = f"{sql_median(sql, [], args.repeat):11.1f}" if sql else ""
        print(f"{name:34} {median:10.1f} {p95:8.1f} {queries:8d} {raw}")
    today = timezone.now().date()
    period = {"start_date": (today - timedelta(days=364)).isoformat(), "end_date": today.isoformat(),
              "timezone": "Europe/Paris"}
    raw = f"""SELECT (date AT TIME ZONE 'Europe/Paris')::date AS day, currency_id, kind, count(*), sum(amount_w_vat),
                     sum(amount), sum(refunded_amount), sum(payment_provider_fee)
              FROM {table} WHERE status = 'paid' AND date >= %s AND date < %s GROUP BY 1, 2, 3"""
    low = timezone.now() - timedelta(days=366)
    raw_ms = sql_median(raw, [low, timezone.now() + timedelta(days=1)], args.repeat)
    print(f"\n{'income, 365 days':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'raw SQL ms':>11}")
    for op in ("summary", "sources", "dow", "days"):
        for currency in ("EUR", "GBP"):
            median, p95, queries = timed(client, f"/api/dashboard/v1/income/{op}", {**period, "currency": currency},
                                         args.repeat)
            print(f"{op + ' in ' + currency:34} {median:10.1f} {p95:8.1f} {queries:8d} {raw_ms:11.1f}")


if __name__ == "__main__":
    main()
