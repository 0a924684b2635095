import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")

app = Celery("fleetadmin")
# Every CELERY_* Django setting configures Celery; tasks are found in each app's tasks.py.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
