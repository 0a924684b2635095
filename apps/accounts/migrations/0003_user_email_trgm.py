from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_app_label")]

    operations = [
        TrigramExtension(),
        # E-mail fragments are matched with UPPER(email) LIKE UPPER('%...%') (Django's icontains).
        migrations.RunSQL(
            "CREATE INDEX user_email_upper_trgm ON accounts_user USING gin (UPPER(email) gin_trgm_ops)",
            "DROP INDEX user_email_upper_trgm",
        ),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(fields=["register_at", "id"], name="user_register_at_idx"),
        ),
    ]
