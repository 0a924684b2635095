from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_app_label")]

    operations = [
        TrigramExtension(),
        migrations.AddIndex(
            model_name="user",
            index=GinIndex(fields=["email"], name="user_email_trgm", opclasses=["gin_trgm_ops"]),
        ),
    ]
