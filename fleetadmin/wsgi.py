import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetadmin.settings")
application = get_wsgi_application()
# What is loaded by now (Django, the apps, their modules) lives as long as the worker: moved out of the collector's
# reach, a full collection walks only what requests allocate. A year of Metro's statistics allocates ~100 MB of
# arrays a request; the full collections it set off made one request in ten 70-100 ms slower (docs/performance.md).
gc.freeze()

from apps.core.collector import freeze_what_requests_keep  # noqa: E402 (the apps are loaded only now)

freeze_what_requests_keep()
