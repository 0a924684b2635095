"""Money records are never deleted, and their amounts and numbers never rewritten, whoever writes: the services,
the admin, a shell through the models or raw SQL (docs/commerce.md, "Records nothing can delete"). Corrections are
reversals: refunds with credit notes, wallet entries of the opposite sign. TRUNCATE (a test database's flush) is
not a row deletion and is not refused."""
from django.db import migrations

from apps.payments.immutability import IMMUTABLE, create_sql, drop_sql


class Migration(migrations.Migration):
    dependencies = [("payments", "0006_money_records"), ("commerce", "0002_money_records")]

    operations = [migrations.RunSQL(create_sql(IMMUTABLE), drop_sql(IMMUTABLE))]
