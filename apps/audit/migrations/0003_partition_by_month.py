"""The access log becomes a table partitioned by month (apps.audit.partitions): the rows are copied into the new
table, whose partitions cover every month they fall in and the next ones; the model is unchanged (Django reads
and writes it as before)."""
from django.db import migrations

TABLE = "audit_accesslog"


def partition(apps, schema_editor):
    from apps.audit import partitions

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0), min(date) FROM {TABLE}_unpartitioned")
        last_id, first = cursor.fetchone()
        cursor.execute(f"ALTER TABLE {TABLE}_unpartitioned ALTER COLUMN id DROP IDENTITY")
        cursor.execute(f"CREATE SEQUENCE {TABLE}_id_seq START WITH {last_id + 1}")
        cursor.execute(f"CREATE TABLE {TABLE} (LIKE {TABLE}_unpartitioned INCLUDING CONSTRAINTS, "
                       f"PRIMARY KEY (id, date)) PARTITION BY RANGE (date)")
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{TABLE}_id_seq')")
        cursor.execute(f"ALTER SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id")
        cursor.execute(f"CREATE TABLE {partitions.DEFAULT} PARTITION OF {TABLE} DEFAULT")
        partitions.ensure_partitions(first=first.date() if first else None)
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {TABLE}_unpartitioned")
        cursor.execute(f"DROP TABLE {TABLE}_unpartitioned")
        # The model's indexes, under the names Django gave them.
        cursor.execute(f"CREATE INDEX audit_accesslog_date_3ff557c6 ON {TABLE} (date)")
        cursor.execute(f"CREATE INDEX accesslog_user_id_idx ON {TABLE} (user_id, id)")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_accesslog_api'),
    ]

    operations = [
        # The old table keeps its indexes until it is dropped: its primary key's name must be free for the new one.
        migrations.RunSQL(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_unpartitioned; "
                          f"ALTER INDEX {TABLE}_pkey RENAME TO {TABLE}_unpartitioned_pkey"),
        migrations.RunPython(partition),
    ]
