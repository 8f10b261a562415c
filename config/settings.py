"""Oversight settings: one file, every value that differs between machines read from the
environment (see the README's Configuration table)."""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment (or DEBUG=1 to develop).")
    SECRET_KEY = "insecure-development-key-never-use-in-production"

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Oversight")
_site = urlsplit(SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.hostname:
    raise ImproperlyConfigured("SITE_URL must be an absolute http(s) URL, e.g. https://example.org")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or (
    ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [_site.hostname]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS") or [f"{_site.scheme}://{_site.netloc}"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.redirects",  # old addresses: WordPress permalinks, changed slugs
    "django.contrib.sitemaps",
    "taggit",
    "core",
    "blog",
    "inspections",
    "comments",
    "sharing",
    "search",
    "django_tasks",
    "django_tasks_db",
    "subscriptions",
    "privacy",  # plug-in: the privacy page, readers' data requests, the retention purge
    "wordpress",  # top floor: `import_wordpress` brings a WordPress site over
    "demo",  # the top floor: demo content, loaded through the other apps' services
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.permissions_policy_middleware",
    "core.db.replica_reads_middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.i18n.language_query_middleware",  # ?lang=cy: one page in one language, no cookie
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): second factor used
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside CSP (a cached page gets a fresh policy) and outside the redirects.
    "core.pagecache.page_cache_middleware",
    # Old addresses (django.contrib.redirects): `/?p=12`-style ones before the home page
    # answers them, every other one when nothing else did (a 404).
    "core.redirects.query_redirect_middleware",
    # WordPress's date archives (/?m=201612, /2016/12/): 301 to this site's archives.
    "wordpress.archives.date_archive_middleware",
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

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
                "csp.context_processors.nonce",
                "core.context_processors.site",
            ],
        },
    },
]

# Connections are kept (CONN_MAX_AGE) and checked with a `SELECT 1` before a request's first
# query, so one the server dropped is reopened instead of failing the request. Measured on
# PostgreSQL (issue 13): 0.03-0.05 ms CPU and 0.05-0.09 ms wall a request, under 2% of an
# article page with its fragments kept; kept for the recovery.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Read replicas (core/db.py): anonymous GETs read from them until the request writes.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS")):
    DATABASE_REPLICAS.append(f"replica_{_number}")
    DATABASES[f"replica_{_number}"] = {
        **dj_database_url.parse(
            _url,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        ),
        # Tests have one database: a replica alias is the primary's test database under a name.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["core.db.ReplicaRouter"] if DATABASE_REPLICAS else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Pages keep working without Redis (core/cache.py); rate limits then refuse politely.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "oversight",
            "OPTIONS": {
                "socket_connect_timeout": env_float("REDIS_CONNECT_TIMEOUT", 0.5),
                "socket_timeout": env_float("REDIS_TIMEOUT", 0.5),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Anonymous readers' pages (core/pagecache.py). The full-page cache needs a cache every
# process shares, so it is on with REDIS_URL; without it pages still get ETags and 304s.
PAGE_CACHE = env_bool("PAGE_CACHE", bool(REDIS_URL))
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)  # keys are versioned; this bounds memory
# Parts of anonymous pages (a comment section, a share bar, the sidebar) kept in each process
# under the shared content version, so uncached pages skip rendering them: needs the version
# every process shares, so on with REDIS_URL, whether or not whole pages are cached.
FRAGMENT_CACHE = env_bool("FRAGMENT_CACHE", bool(REDIS_URL))
# What a CDN or the nginx micro-cache may keep without asking again (it cannot see changes).
CACHE_SHARED_MAX_AGE = env_int("CACHE_SHARED_MAX_AGE", 10)
CACHE_STALE_WHILE_REVALIDATE = env_int("CACHE_STALE_WHILE_REVALIDATE", 30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded media served by Django itself: fine for one small machine; use a web server or
# object storage (django-storages) beyond that.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
# Uploads go through Django's storage API only, so object storage is a setting: e.g.
# MEDIA_STORAGE_BACKEND=storages.backends.s3.S3Storage with its options as JSON (README).
try:
    _media_storage_options = json.loads(os.environ.get("MEDIA_STORAGE_OPTIONS") or "{}")
except ValueError as exc:
    raise ImproperlyConfigured(f"MEDIA_STORAGE_OPTIONS is not valid JSON: {exc}") from exc
if not isinstance(_media_storage_options, dict):
    raise ImproperlyConfigured("MEDIA_STORAGE_OPTIONS must be a JSON object")
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "MEDIA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": _media_storage_options,
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email: EMAIL_URL (smtp://user:pass@host:port, console://, file:///path) or the EMAIL_* variables.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@{_site.hostname}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_email_url = urlsplit(os.environ.get("EMAIL_URL", ""))
if _email_url.scheme == "console" or (not _email_url.scheme and DEBUG):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif _email_url.scheme == "file":
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = _email_url.path
elif _email_url.scheme in {"smtp", "smtps", "submission"}:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email_url.hostname or "localhost"
    EMAIL_PORT = _email_url.port or {"smtps": 465, "submission": 587}.get(_email_url.scheme, 25)
    EMAIL_HOST_USER = _email_url.username or ""
    EMAIL_HOST_PASSWORD = _email_url.password or ""
    EMAIL_USE_SSL = _email_url.scheme == "smtps"
    EMAIL_USE_TLS = _email_url.scheme == "submission"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# Every email the site sends (core/email.py) is retried when the mail server fails: the first
# retry after EMAIL_RETRY_SECONDS, doubling up to EMAIL_RETRY_MAX_SECONDS apart, and given
# up after EMAIL_MAX_ATTEMPTS tries.
EMAIL_MAX_ATTEMPTS = 10
EMAIL_RETRY_SECONDS = 60
EMAIL_RETRY_MAX_SECONDS = 6 * 60 * 60

# HTTPS hardening: on unless DEBUG, each one overridable (e.g. behind a TLS-terminating proxy).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Where the client's address is read (rate limits, login lockout, comment IP hashes):
# REMOTE_ADDR, or HTTP_X_FORWARDED_FOR behind a proxy (its last entry, the one the proxy added).
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "REMOTE_ADDR")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page uses are switched off (copy-link and Web Share keep their
# default, this origin only). Feature -> allowed origins; () means none.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "browsing-topics",
    )
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60  # the switcher remembers the choice for a year
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

TAGGIT_CASE_INSENSITIVE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Oversight's own settings.
# UTM parameters added to shared links, e.g. {"utm_source": "{network}", "utm_medium": "social"}.
SHARE_UTM = (
    {"utm_source": "{network}", "utm_medium": "social", "utm_campaign": os.environ["SHARE_UTM"]}
    if os.environ.get("SHARE_UTM")
    else {}
)
SITE_LOGO = "img/logo.png"  # a static file; publisher logo in structured data
ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 10)
FEED_ITEMS = env_int("FEED_ITEMS", 20)

# Comments
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 180)  # 0: never close
COMMENTS_TRUST_RETURNING = env_bool("COMMENTS_TRUST_RETURNING", True)
COMMENTS_NOTIFY_EMAILS = env_list("COMMENTS_NOTIFY_EMAILS")
COMMENTS_MIN_SUBMIT_SECONDS = 3
COMMENTS_RATE_LIMIT = 5  # comments per IP address per window, counted in the shared cache
COMMENTS_RATE_WINDOW_SECONDS = 600
COMMENTS_MAX_LINKS = 3
COMMENTS_MAX_LENGTH = 5000
COMMENTS_MAX_DEPTH = 3
COMMENTS_COOKIE_MAX_AGE = 60 * 60 * 24 * 365  # "remember me": name, email and website

# Readers' data (core.personal_data, privacy/). IP-address hashes and user agents are
# blanked once older than PRIVACY_RETENTION_DAYS by `manage.py purge_personal_data` (run
# daily: deploy/systemd/oversight-purge.timer); the privacy page quotes these numbers.
PRIVACY_RETENTION_DAYS = env_int("PRIVACY_RETENTION_DAYS", 90)
PRIVACY_LINK_MAX_AGE_HOURS = 24  # an emailed download/erasure link works this long
PRIVACY_RATE_LIMIT_IP = 5  # data requests per IP address per window
PRIVACY_RATE_LIMIT_ADDRESS = 3  # data requests per email address per window
PRIVACY_RATE_WINDOW_SECONDS = 3600

# Subscriptions and tasks
# Background work runs through django-tasks (DEP 14, `django.tasks` from Django 6). The
# database backend queues tasks in a table that any number of `manage.py db_worker`
# processes, on any machines, share. With DEBUG (`make run`) tasks run at once in the web
# process instead, so a newcomer sees emails on the console without starting a worker.
# TASKS_BACKEND=database|immediate overrides either default.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if DEBUG else "database")
if TASKS_BACKEND not in {"database", "immediate"}:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'database' or 'immediate'.")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
    }
}
# Deliveries one worker claims and sends over one SMTP connection.
SUBSCRIPTIONS_BATCH_SIZE = env_int("SUBSCRIPTIONS_BATCH_SIZE", 200)
# Send tasks queued at once for a digest: about the number of workers you run.
SUBSCRIPTIONS_SEND_PARALLELISM = env_int("SUBSCRIPTIONS_SEND_PARALLELISM", 4)
# Confirmation links expire after this many days.
SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS = 7
# Confirmation (or "you are already subscribed") emails per address per calendar day.
SUBSCRIPTIONS_CONFIRMATIONS_PER_DAY = 3
# Subscribe requests per client IP address and per email address, per window, counted in
# the shared cache.
SUBSCRIPTIONS_RATE_LIMIT_IP = 10
SUBSCRIPTIONS_RATE_LIMIT_ADDRESS = 5
SUBSCRIPTIONS_RATE_WINDOW_SECONDS = 3600
# A claimed delivery whose worker has not finished it after this long is claimed again.
# (Retries follow EMAIL_MAX_ATTEMPTS, EMAIL_RETRY_SECONDS and EMAIL_RETRY_MAX_SECONDS.)
SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS = env_int("SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS", 15 * 60)
# Accepted messages are recorded as sent in groups of this many (one UPDATE a group). A
# worker killed outright (SIGKILL, power loss) may send again at most this many, once its
# claim times out; 1 records every message at once (exactly-once up to the SMTP reply
# itself), at a cost in speed. A graceful stop (SIGTERM) records everything it sent.
SUBSCRIPTIONS_SENT_FLUSH = env_int("SUBSCRIPTIONS_SENT_FLUSH", 25)
# Permanent refusals (SMTP 5xx) in a row before an address is suppressed.
SUBSCRIPTIONS_BOUNCE_LIMIT = 3
# Articles published longer ago than this are never announced as new (imports, edits).
SUBSCRIPTIONS_NEW_ARTICLE_MAX_AGE_DAYS = 8
# Tags offered on the subscribe and manage forms: the most used ones.
SUBSCRIPTIONS_TAG_CHOICES = 40
# The List-Id header; empty: "<SITE_NAME> newsletter <newsletter.<SITE_URL host>>".
SUBSCRIPTIONS_LIST_ID = ""
# One log line per task is for workers (`db_worker` turns it back on); elsewhere it is noise.
LOGGING.setdefault("loggers", {})["django_tasks"] = {"level": "WARNING"}

# Open data: the licence of the /inspections/data/ downloads, named on the data page and in
# each dataset's schema.org metadata.
OPEN_DATA_LICENCE = {
    "name": os.environ.get("OPEN_DATA_LICENCE_NAME", "CC BY 4.0"),
    "url": os.environ.get("OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"),
}

# Editors
# The admin runs Oversight's site (config/admin.py): throttled login, editors' dashboard.
INSTALLED_APPS[INSTALLED_APPS.index("django.contrib.admin")] = "config.apps.OversightAdminConfig"
# Two-step sign-in for staff (config/two_factor.py): who must use it — "superusers" and/or
# role groups; empty turns the requirement off (anyone may still set it up). Off by default
# with DEBUG (`make run`), so trying the demo needs no phone.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
TWO_FACTOR_REQUIRED = env_list(
    "TWO_FACTOR_REQUIRED", "" if DEBUG else "superusers,Editor,Moderator"
)
OTP_TOTP_ISSUER = SITE_NAME
SESSION_EXPIRE_AT_BROWSER_CLOSE = True  # and at most SESSION_COOKIE_AGE (8 hours) in all
# Failed admin logins: after LOGIN_MAX_FAILURES from one address or for one username, that
# address or username waits LOGIN_LOCKOUT_SECONDS (counted in the shared cache).
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
# The article body's WYSIWYG editor: its scripts, styles and font ship in the package.
INSTALLED_APPS.append("django_prose_editor")
