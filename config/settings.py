"""Settings read from environment variables (see .env.example).

Laptop defaults: SQLite (WAL) and the filesystem Celery broker under var/, console email.
Production switches: DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY, ALLOWED_HOSTS, DEBUG.
"""

import base64
import hashlib
import ipaddress
import os
from pathlib import Path

import csp.constants as csp
import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str, load_env_file

BASE_DIR = Path(__file__).resolve().parent.parent
# A checkout's own variables (`make install` writes .env with DEBUG=1 and a random SECRET_KEY), so a bare
# `manage.py <command>` works on a laptop; a variable set in the real environment always wins.
# ENV_FILE names another file; set but empty, no file is read.
ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    load_env_file(ENV_FILE)
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)

_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET)
# The built-in key and .env.example's placeholder are for development only.
if SECRET_KEY in (_DEV_SECRET, "change-me") and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "import_export",
    "simple_history",
    "django_celery_beat",
    "django_celery_results",
    "config.apps.AxesConfig",  # django-axes, with a translated name in the admin
    "staff",
    "notifications",
    "training",
    "kpis",
    "linkage",
    "improvement",
    "incentives",
    "insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files are answered here, before the headers below
    "csp.middleware.CSPMiddleware",
    "config.middleware.SecurityHeadersMiddleware",  # Permissions-Policy; no-store when signed in and on the API
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "staff.context_processors.roles",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# Database: SQLite in WAL mode by default; DATABASE_URL switches to PostgreSQL.
# DB_CONN_MAX_AGE (seconds a connection outlives its request) is 0 by default: every request closes its
# connection. Django keeps one connection per thread, and the development server starts a thread per request,
# so a reused connection stays open with its thread gone (81 of them, "too many clients"). Under gunicorn
# (config/gunicorn.py: a fixed number of workers × threads) 60 is safe as long as, summed over every gunicorn
# and Celery process, workers × threads stays under PostgreSQL's max_connections (README).
# DB_CONN_HEALTH_CHECKS checks a reused connection before a request uses it.
DB_CONN_MAX_AGE = env_int("DB_CONN_MAX_AGE", 0)
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True)
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked-out username + IP is refused before the password hash is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login protection: lock a username from one IP after repeated failures. Agents on one floor
# share an IP, so the lock is per (username, IP) pair, never per IP alone.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# An attempt refused during a lockout is not recorded: no UPDATE (and no growing copy of the form) per
# attempt, and the lockout ends AXES_COOLOFF_MINUTES after the last attempt that counted.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = env_bool("AXES_VERBOSE", False)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's IP: REMOTE_ADDR, or behind AXES_PROXY_COUNT reverse proxies the address they put in
# X-Forwarded-For (config.auth.client_ip). Unset, X-Forwarded-For is never trusted: a client could invent it.
AXES_CLIENT_IP_CALLABLE = "config.auth.client_ip"
CLIENT_IP_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
CLIENT_IP_TRUSTED_PROXIES = env_list("AXES_TRUSTED_PROXIES", [])  # addresses or networks of the proxies, if known
for _network in CLIENT_IP_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"AXES_TRUSTED_PROXIES: {exc}") from exc

# Internationalisation: Simplified Chinese by default, English as the source language.
LANGUAGE_CODE = "zh-hans"  # also the default language of an employee's notifications
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# locale/ is ours (make messages refreshes it from the source); locale_vendor/ translates what the
# third-party apps show HR in the admin and leave untranslated (axes, Celery results and beat, ...).
# makemessages never writes there; the first directory wins where both have a string.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Third-party assets come from npm packages installed at setup time (package.json).
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("STATIC_MANIFEST", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))  # for the file-based backend
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an integrator without valid credentials gets 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["staff.api.permissions.IsActiveUser"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "staff.api.filters.SearchFilter",
        # Orders only by a view's declared ordering_fields (none by default); other names are ignored.
        "staff.api.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Services raise Django's ValidationError / PermissionDenied: one place turns them into 400 / 403.
    "EXCEPTION_HANDLER": "config.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Contact-center staff development API",
    "DESCRIPTION": (
        "Staff development for contact centres, scoped by the same permission policy as the pages: every list "
        "holds only what the caller may see, and anything else answers 404.\n\n"
        "* **Staff** (read): employees, teams, positions with their job descriptions.\n"
        "* **KASH**: the competency framework (indicators and rubrics), profiles with current levels, targets "
        "and gaps, and assessments (read; create, e.g. from an exam or QA tool). Submitted assessments are "
        "immutable. A supervisor's private note is returned only to the subject's supervisor and HR.\n"
        "* **Onboarding**: enrollments and their moves between cycles, activities (mark done), 1:1 coaching "
        "sessions (log, acknowledge) and pass-the-gate checks.\n\n"
        "**Authentication**: `Authorization: Token <key>` (keys are issued by HR in the admin), or the "
        "browser session of a signed-in user (then unsafe methods need the CSRF token). Without valid "
        "credentials: 401.\n\n"
        "**Creates** accept an `Idempotency-Key` header (any unique string, at most 100 characters): a retry "
        "with the same key by the same user returns the row already created.\n\n"
        "**Lists** are paginated (`page`, 50 a page), filter by the parameters each one names (an id that "
        "names nothing visible gives an empty list) and order only by the fields each one names in "
        "`ordering`; other ordering names are ignored.\n\n"
        "**Errors**: 400 with the messages per field (or a list of messages), 401 / 403 / 404 with "
        '`{"detail": ...}`. A text field takes only a JSON string.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["staff.api.permissions.IsActiveUser"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # 400 / 401 / 403 / 404 answered by config.api.exception_handler, documented on every operation.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "config.api.document_errors"],
    # A case's channel (phone, chat…) and an ingest's channel (API, file) are both "channel"; a QA finding's kind
    # shares its name with others.
    "ENUM_NAME_OVERRIDES": {
        "CaseChannelEnum": "linkage.models.CaseChannel",
        "FindingKindEnum": "linkage.models.FindingKind",
        "SuggestionStatusEnum": "improvement.models.SuggestionStatus",
        "SuggestionCategoryEnum": "improvement.models.Category",
        "ReportKindEnum": "insights.models.ReportKind",
        "ReportStatusEnum": "insights.models.ReportStatus",
    },
}

# Celery: the filesystem broker under var/ unless CELERY_BROKER_URL names Redis.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The folders below are the whole address; kombu still wants a host name and logs "No hostname was
    # supplied" on every connection without one (in the middle of seed_demo's output, at every e-mail kick).
    CELERY_BROKER_URL = "filesystem://localhost/"
    _broker_dir = VAR_DIR / "celery-broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # Bounded socket waits for the worker and beat. A request publishes through config.celery.publish_quickly
    # (0.1 s waits, no retry): a broker that is down or hung never holds up a save, and the periodic
    # outbox sweep sends what could not be kicked.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": env_int("CELERY_BROKER_SOCKET_CONNECT_TIMEOUT", 2),
        "socket_timeout": env_int("CELERY_BROKER_SOCKET_TIMEOUT", 2),
    }
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 2)
CELERY_TASK_PUBLISH_RETRY = env_bool("CELERY_TASK_PUBLISH_RETRY", True)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": env_int("CELERY_TASK_PUBLISH_MAX_RETRIES", 1),
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "django-db")
CELERY_RESULT_EXTENDED = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The one place where periodic tasks are declared. DatabaseScheduler copies these rows into
# django-celery-beat's tables at start-up, where HR sees (and may pause) them in the admin.
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "staff.tasks.heartbeat", "schedule": 60.0},
    # DOMAIN §3: the schedule, never a hand-edited status, moves a new hire forward. Every five minutes (one
    # count when nothing is due), so whatever a killed worker left due moves within minutes of a restart.
    "onboarding-sweep": {"task": "training.tasks.sweep_enrollments", "schedule": crontab(minute="*/5")},
    "onboarding-reminders": {"task": "training.tasks.send_reminders", "schedule": crontab(hour=7, minute=30)},
    # Issue 15 §9: trainees in cycle 4 are asked "How was your week?" on Monday morning (keyed: once a week).
    "onboarding-mood-checkins": {
        "task": "training.tasks.ask_for_mood_checkins",
        "schedule": crontab(hour=9, minute=0, day_of_week=1),
    },
    # The outbox: e-mail that could not be handed to the broker at commit time goes out here.
    "deliver-emails": {"task": "notifications.tasks.deliver_emails", "schedule": 60.0},
    "import-uploads-sweep": {"task": "staff.tasks.remove_expired_uploads", "schedule": 3600.0},
    "import-jobs-sweep": {"task": "staff.tasks.sweep_import_jobs", "schedule": 60.0},
    # Seed 004: the open month's scorecards (and last month's until HR closes it), at night after the day's files.
    "kpi-scorecards": {"task": "kpis.tasks.compute_scorecards", "schedule": crontab(hour=2, minute=30)},
    # A big KPI file whose publish was lost starts here; one whose worker died is marked failed (kpis.files.sweep).
    "kpi-file-ingests-sweep": {"task": "kpis.tasks.sweep_file_ingests", "schedule": 60.0},
    # Issue 12 §5: whoever has not acknowledged a playbook that applies to her is reminded, once a day at most.
    "linkage-acknowledgement-reminders": {
        "task": "linkage.tasks.send_acknowledgement_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # Issue 12 §7: tenured staff whose certification expires soon are reminded and set a refresher drill, once.
    "linkage-refreshers": {"task": "linkage.tasks.sweep_refreshers", "schedule": crontab(hour=7, minute=30)},
    # Issue 13 §2: owners reminded before a case breaches, escalation level by level after it (keyed, once each).
    "linkage-case-sweep": {"task": "linkage.tasks.sweep_cases", "schedule": crontab(minute="*/5")},
    # Issue 13 §3: payout per complaint per team and issuances per agent this month against HR's guardrails.
    "linkage-guardrails": {"task": "linkage.tasks.check_guardrails", "schedule": crontab(hour=6, minute=45)},
    # Issue 13 §5: yesterday's cases and coupons into the KPI measures where the platform sent no row (platform wins).
    "linkage-kpi-feed": {"task": "linkage.tasks.feed_kpis", "schedule": crontab(hour=1, minute=30)},
    # Issue 13 §4: last week's QA sample on Monday morning; undisputed findings past their window confirmed daily.
    "linkage-qa-sample": {"task": "linkage.tasks.qa_sample", "schedule": crontab(hour=6, minute=0, day_of_week=1)},
    "linkage-qa-confirm": {"task": "linkage.tasks.qa_confirm", "schedule": crontab(hour=2, minute=15)},
    # Issue 14 §3: task stages remind their owners before the due day ends and escalate level by level after it.
    "improvement-task-stages": {"task": "improvement.tasks.sweep_stages", "schedule": crontab(minute="*/15")},
    # Issue 14 §2: each running initiative's guardrail KPIs over the last seven days against their thresholds.
    "improvement-guardrails": {"task": "improvement.tasks.check_guardrails", "schedule": crontab(hour=6, minute=15)},
    # Issue 14 §4: every agent's risk flags (KPI band drop, expired certification, overdue stages), raised and cleared.
    "improvement-risk-flags": {"task": "improvement.tasks.raise_risk_flags", "schedule": crontab(hour=6, minute=45)},
    # incentives: honours (beat entries below)
    # Issue 15 §3: remind nominators of open award windows and deciders of closed ones (keyed: once per window).
    "incentives-honour-reminders": {
        "task": "incentives.tasks.send_honour_reminders",
        "schedule": crontab(hour=8, minute=10),
    },
    # incentives: pk (beat entries below)
    # issue 15 §4: live PK standings, refreshed every 30 minutes while a competition runs
    "incentives-refresh-pk-standings": {
        "task": "incentives.tasks.refresh_pk_standings",
        "schedule": crontab(minute="*/30"),
    },
    # issue 15 §4: close each PK once its period has ended (a compare-and-set: a second firing closes nothing)
    "incentives-close-due-pk": {
        "task": "incentives.tasks.close_due_pk_competitions",
        "schedule": crontab(minute="5,35"),
    },
    # incentives: pulse (beat entries below)
    # Issue 15 §5: open the next pulse wave when due (keyed), remind the day before it closes, raise its alerts.
    "incentives-pulse-waves": {"task": "incentives.tasks.run_pulse_waves", "schedule": crontab(hour=8, minute=10)},
    # Issue 15 §1: welcome cards on a newcomer's first day, farewell cards in the week before a last day.
    "incentives-ritual-cards": {"task": "incentives.tasks.post_ritual_cards", "schedule": crontab(hour=7, minute=5)},
    # Issue 16 §6: the KPI ramp's aggregate, after the night's KPI feed (01:30) and scorecards (02:30).
    "insights-aggregates": {"task": "insights.tasks.refresh_aggregates", "schedule": crontab(hour=3, minute=0)},
    # Issue 16 §4: each period's report drafts (keyed: once per team and week, once per month), then reminders.
    "insights-report-drafts": {"task": "insights.tasks.open_due_reports", "schedule": crontab(hour=3, minute=30)},
    "insights-report-reminders": {
        "task": "insights.tasks.remind_report_authors",
        "schedule": crontab(hour=8, minute=20),
    },
}
HEARTBEAT_STALE_AFTER_SECONDS = env_int("HEARTBEAT_STALE_AFTER_SECONDS", 300)
# Issue 13 §3 guardrails of tiered authority (CNY per complaint case per team; issuances per agent in a month):
# HR is told once per team or agent and month when this month passes them (linkage.tasks.check_guardrails).
LINKAGE_GUARDRAIL_PAYOUT_PER_COMPLAINT_CNY = env_int("LINKAGE_GUARDRAIL_PAYOUT_PER_COMPLAINT_CNY", 30)
LINKAGE_GUARDRAIL_ISSUANCES_PER_AGENT_MONTH = env_int("LINKAGE_GUARDRAIL_ISSUANCES_PER_AGENT_MONTH", 40)

# Import/export: the whole file in one transaction; any bad row rolls everything back.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# What one import file may hold (staff.spreadsheets), shown on the import page; a bigger file is refused
# before it is parsed, so that no upload takes a worker past 300 MB. 32,767 characters is Excel's own cell limit.
IMPORT_LIMITS = {
    "MAX_FILE_BYTES": 20 * 1024 * 1024,
    "MAX_ROWS": 100_000,
    "MAX_COLUMNS": 50,
    "MAX_CELL_CHARS": 32_767,
    "MAX_UNCOMPRESSED_BYTES": 100 * 1024 * 1024,
    "MAX_SHARED_STRINGS_BYTES": 20 * 1024 * 1024,  # an XLSX's distinct texts; 100,000 rows need about 10 MB
}
# An upload waits here between its preview and its confirm; staff.tasks.remove_expired_uploads deletes
# the ones never confirmed.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "staff.imports.ImportTempStorage"
IMPORT_TMP_DIR = VAR_DIR / "import-tmp"
IMPORT_TMP_MAX_AGE_HOURS = 6
# An upload bigger than this (about 5,000 employee rows of CSV) is checked and imported on the worker, with a
# progress bar (staff.import_jobs); a job may run this long.
IMPORT_BACKGROUND_BYTES = env_int("IMPORT_BACKGROUND_BYTES", 256 * 1024)
IMPORT_JOB_TIME_LIMIT_SECONDS = 600

# Security: production defaults that `check --deploy` expects; relaxed only under DEBUG.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts and style sheets only from this site's own files; no inline
# <script>, no on*= handler, no javascript: URL, no eval (scripts live in static/js/). Style attributes
# (style="width: 40%" on a progress bar, and in third-party admin pages) are allowed: they cannot run code
# or select elements, and a nonce cannot be put on an attribute. The API docs relax style-src for
# Swagger UI's own injected styles (config/urls.py).
_IMPORT_EXPORT_HANDLER = base64.b64encode(hashlib.sha256(b"onSelectToggleChange(event)").digest()).decode()
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        # One exception, by hash: django-import-export's export page (admin) has the handler
        # onchange="onSelectToggleChange(event)" on its "Select all" box; only that exact text may run.
        "script-src-attr": [csp.UNSAFE_HASHES, f"'sha256-{_IMPORT_EXPORT_HANDLER}'"],
        "style-src": [csp.SELF],
        "style-src-attr": [csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}
# Permissions-Policy (config.middleware): no page uses these browser features; nothing embedded may either.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
