from django.db import migrations, models


def trigram_index(apps, schema_editor):
    """E-mail fragments are matched with UPPER(email) LIKE UPPER('%...%') (Django's icontains): a trigram index serves
    them. pg_trgm ships with PostgreSQL's contrib, which some builds lack (the embedded pgserver): there the search
    still works, by a scan, and the migration says so."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            print("\n  pg_trgm is not available on this PostgreSQL: e-mail searches will scan the users table.")
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute("CREATE INDEX IF NOT EXISTS user_email_upper_trgm ON accounts_user "
                       "USING gin (UPPER(email) gin_trgm_ops)")


def drop_trigram_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS user_email_upper_trgm")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_app_label")]

    operations = [
        migrations.RunPython(trigram_index, drop_trigram_index),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(fields=["register_at", "id"], name="user_register_at_idx"),
        ),
    ]
