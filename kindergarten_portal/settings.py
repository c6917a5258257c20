"""Settings for the kindergarten methodological-office portal.

Everything that differs between a laptop, CI and production is read from environment
variables; see docs/configuration.md for the list.
"""

import datetime
import ipaddress
import os
import tempfile
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_month_day(name, default):
    """A day of the year as "MM-DD" (e.g. "05-31"), checked to be a real date."""
    value = os.environ.get(name) or default
    try:
        month, day = (int(part) for part in value.split("-"))
        datetime.date(2000, month, day)  # a leap year: 02-29 is a real day
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a day as MM-DD, e.g. 05-31, got {value!r}") from exc
    return f"{month:02d}-{day:02d}"


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_networks(name, default):
    """'127.0.0.1,10.0.0.0/24' -> the same list, refusing anything that is not an address or network."""
    networks = env_list(name, default)
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} must list addresses or networks, got {network!r}") from exc
    return networks


def env_addresses(name):
    """'Name <a@b>,c@d' -> [("Name", "a@b"), ("", "c@d")], refusing anything that is not an address."""
    addresses = getaddresses(env_list(name))
    for _name, address in addresses:
        if "@" not in address:
            raise ImproperlyConfigured(f"{name} must list e-mail addresses, got {os.environ[name]!r}")
    return addresses


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "kindergarten_portal.access.lockout_app.SignInLockoutsConfig",  # django-axes, named in Russian
    # The ground every app stands on: the e-mail outbox.
    "kindergarten_portal",
    "staff",
    "events",
    "portfolios",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every reader of a kindergarten's rows sees only the request's kindergartens' (django-scopes).
    "kindergarten_portal.tenancy.KindergartenScopeMiddleware",
    "kindergarten_portal.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kindergarten_portal.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kindergarten_portal.urls"

TEMPLATE_LOADERS = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Production parses each template once per process; development reads edits at once.
            "loaders": TEMPLATE_LOADERS
            if DEBUG
            else [("django.template.loaders.cached.Loader", TEMPLATE_LOADERS)],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kindergarten_portal.access.roles.roles_context",
                "staff.access.current_teacher_context",
            ],
        },
    },
]

WSGI_APPLICATION = "kindergarten_portal.wsgi.application"

# Unset DATABASE_URL means a SQLite file beside the code: zero set-up for a demo.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's backend, reading the staff record and roles with the user (one query per page, not three).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a locked-out sign-in before the password is checked.
# Axes first (it refuses a locked account); then the portal's model backend, which reads the user,
# her roles and her staff record in one query.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kindergarten_portal.access.auth.PortalBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Yekaterinburg")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Serve from the app folders directly where collectstatic has not run (development).
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Seconds the sender waits for the mail server before counting the send as refused (none: forever).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@kindergarten.local")
# The outbox's sender (send_mail_queue): a message the mail server refused this many times is
# given up and shown to the office; the --loop worker looks for due mail this often.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_LOOP_SECONDS = env_int("OUTBOX_LOOP_SECONDS", 15)
# Password-reset mails per e-mail address and per visitor's address in the window; past the first
# limit the page answers as usual and sends nothing (no hint whether the account exists).
PASSWORD_RESET_LIMIT_PER_EMAIL = env_int("PASSWORD_RESET_LIMIT_PER_EMAIL", 3)
PASSWORD_RESET_LIMIT_PER_CLIENT = env_int("PASSWORD_RESET_LIMIT_PER_CLIENT", 10)
PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60)
# Registrations for one open event from one visitor's address per hour (each mails a confirmation).
EVENT_REGISTRATION_LIMIT = env_int("EVENT_REGISTRATION_LIMIT", 10)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Domain rules the office may tune.
YOUNG_TEACHER_YEARS = env_int("YOUNG_TEACHER_YEARS", 2)
CATEGORY_VALIDITY_YEARS = env_int("CATEGORY_VALIDITY_YEARS", 5)
COURSE_PERIOD_YEARS = env_int("COURSE_PERIOD_YEARS", 3)
# The day of each academic year by which teachers submit their self-reports ("MM-DD").
SELF_REPORT_DEADLINE = env_month_day("SELF_REPORT_DEADLINE", "05-31")
# How many days ahead of an attestation application, conformity or course due date the teacher and
# the senior educator are reminded by e-mail (and again on the day itself).
ATTESTATION_REMINDER_DAYS = env_int("ATTESTATION_REMINDER_DAYS", 90)
PHOTO_MAX_SIDE = env_int("PHOTO_MAX_SIDE", 800)
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 10)
# One request's budget (staff.images.uploads_budget_check): files, and pixels of all its pictures
# together, read from their headers before any is decoded (decoding costs about 4-20 bytes a pixel).
UPLOAD_MAX_FILES = env_int("UPLOAD_MAX_FILES", 10)
UPLOAD_MAX_TOTAL_PIXELS = env_int("UPLOAD_MAX_TOTAL_PIXELS", 120_000_000)
# Django's own cap, met while the request is read: a flood of files gets a 400 before any form runs.
# Above UPLOAD_MAX_FILES so that a few too many get the form's explanation instead.
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("DATA_UPLOAD_MAX_NUMBER_FILES", 2 * UPLOAD_MAX_FILES)

# ---- Shared state of several app processes: the cache (rate-limit counters) and backups.
# The cache is shared by every process: a table in the database by default (created by `migrate`),
# Redis when REDIS_URL is set (e.g. redis://127.0.0.1:6379/0). Both count atomically, see
# kindergarten_portal/caching/cache.py. CACHE_KEY_PREFIX separates portals that share one Redis.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "kindergarten_portal.caching.cache.AtomicDatabaseCache",
            "LOCATION": os.environ.get("CACHE_TABLE", "portal_cache"),
        }
    }
CACHES["default"]["KEY_PREFIX"] = os.environ.get("CACHE_KEY_PREFIX", "")
# Cached public pages (kindergarten_portal/caching/pagecache.py), shared by every process so that a page
# taken down is gone from all of them at once: in Redis when it is there, else in a table of their
# own in the database (created by `migrate`), apart from the rate-limit counters, which culling a
# full page table must never drop.
CACHES["pages"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": os.environ.get("PAGE_CACHE_TABLE", "portal_page_cache"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
)
CACHES["pages"]["KEY_PREFIX"] = CACHES["default"]["KEY_PREFIX"] + "pages"
# With Redis, a signed-in page reads its session from Redis instead of querying the database (written
# to both, so a flushed Redis signs nobody out).
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# `make backup` writes one dated folder here (see docs/production.md, "Backups and restores").
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backups"))
# ---- end of shared state

# The request.META key of the header the reverse proxy sets with the visitor's address, e.g.
# HTTP_X_REAL_IP. Only behind a proxy that sets it: anyone can send the header. It is read only on
# requests from TRUSTED_PROXIES (addresses or networks): a client that reaches the server directly
# is counted by its own address, whatever header it sends.
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "")
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES", "127.0.0.1,::1")

# Absolute links in e-mails (password resets take the host from the request; notices sent by cron
# have no request), e.g. https://portal.sad12.ru
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "")
# The operator of personal data (152-FZ) named in the consent texts and the privacy policy: the body
# that runs a portal of several kindergartens (the municipal education body or the city's centre),
# e.g. «МКУ «Информационно-методический центр»»; empty: our kindergarten runs the portal itself.
PERSONAL_DATA_OPERATOR = os.environ.get("PERSONAL_DATA_OPERATOR", "")
# Set to e.g. /protected-media/ when nginx serves checked files via X-Accel-Redirect (see docs/production.md).
PORTFOLIO_X_ACCEL_REDIRECT_PREFIX = os.environ.get("PORTFOLIO_X_ACCEL_REDIRECT_PREFIX", "")
# Larger images are refused before decoding (decompression bombs); 60 MP admits a 50 MP phone photo.
# PORTFOLIO_MAX_IMAGE_PIXELS is its former name, still read.
MAX_IMAGE_PIXELS = env_int("MAX_IMAGE_PIXELS", env_int("PORTFOLIO_MAX_IMAGE_PIXELS", 60_000_000))
# A picture this large (a phone's 24+ MP photo) takes a second or more to decode: such pictures are
# decoded one at a time by all workers of this machine together (a lock file in this folder), so that
# a few heavy uploads at once cannot occupy every worker. One that would wait longer is refused with a
# message to try again: a sync worker that waits serves nobody else, so the wait stays short.
IMAGE_DECODE_HEAVY_PIXELS = env_int("IMAGE_DECODE_HEAVY_PIXELS", 24_000_000)
IMAGE_DECODE_WAIT_MS = env_int("IMAGE_DECODE_WAIT_MS", 100)
IMAGE_DECODE_LOCK_DIR = os.environ.get(
    "IMAGE_DECODE_LOCK_DIR", os.path.join(tempfile.gettempdir(), "kindergarten-portal-locks")
)

# ---- Sign-in throttling (django-axes) ------------------------------------------------------------
# Failures are counted per account AND address: a password guesser is stopped, while colleagues
# behind the kindergarten's one address (NAT) and the owner signing in from elsewhere are not.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And the account alone, from all addresses together, at a higher limit (tries spread over many).
AXES_HANDLER = "kindergarten_portal.access.lockout.AccountAndAddressHandler"
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 20)
AXES_RESET_ON_SUCCESS = True
# The wait runs from the last real failure: attempts while locked out (the owner, too) do not prolong it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "kindergarten_portal.views.sign_in_locked_out"
AXES_CLIENT_IP_CALLABLE = "kindergarten_portal.access.clients.client_address"
# Only failures are kept (the lockout and its audit); not a row for every successful sign-in.
AXES_DISABLE_ACCESS_LOG = True

# ---- Production hardening ------------------------------------------------------------------------
# HTTPS only (behind the proxy that terminates TLS, see SECURE_PROXY_SSL_HEADER): plain-HTTP requests
# are redirected wherever the cookies are HTTPS-only anyway (production by default; a plain-HTTP
# intranet sets SECURE_COOKIES=false and so gets no redirect). HSTS is sticky in browsers, so it is
# off until set: 31536000 (a year) once HTTPS works (docs/production.md).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG and env_bool("SECURE_COOKIES", True))
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# The load balancer's or monitor's health check may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Read by kindergarten_portal.middleware; no inline scripts or styles anywhere in the pages.
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
)
# Shared computers in the staff room: end the session when the browser closes.
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)
# Server errors are mailed here (DEBUG off): ADMINS="Ирина Петрова <metodist@sad12.ru>,it@sad12.ru"
ADMINS = env_addresses("ADMINS")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

FORMAT_MODULE_PATH = ["kindergarten_portal.formats"]

# Days after an open event that the personal data of partners who registered for it are kept
# (named in the consent and the privacy policy); then `purge_personal_data` anonymises them.
EXTERNAL_PERSONAL_DATA_KEEP_DAYS = env_int("EXTERNAL_PERSONAL_DATA_KEEP_DAYS", 365)
