"""The one settings module. Everything that differs between a laptop, CI and production comes
from the environment; with nothing set the site runs on SQLite and the embedded search backend."""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Fail closed: DEBUG is off unless DJANGO_DEBUG says otherwise (`make run` and the test runner set it), and
# without DEBUG there is no fallback secret key: start-up stops instead of signing with a known key.
DEBUG = env_bool("DJANGO_DEBUG", False)
_DEV_SECRET = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (DEBUG is off unless DJANGO_DEBUG=1). "
        "Set a long random DJANGO_SECRET_KEY for production, or DJANGO_DEBUG=1 on a development machine.")

# bench/web_bench.py only: serves /bench/bare/ (config/bench.py), the baseline pages are compared with.
BENCH = env_bool("DJANGO_BENCH", False)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "accounts",
    "jobs",
    "marketplace.core",
    "cms",
    "marketplace.taxonomy",
    "marketplace.listings",
    "marketplace.deals",
    "marketplace.agreements",
    "marketplace.events",
    "marketplace.payments",
    "marketplace.challenges",
    "marketplace.inquiries",
    "marketplace.programs",
    "marketplace.alerts",
    "marketplace.transfers",
    "marketplace.bookings",
    "search",
    "marketplace.api",
    "ninja",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "marketplace.core.page_cache.PageCacheUpdateMiddleware",  # sees every Set-Cookie (marketplace/core/page_cache.py)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.security.SecurityHeadersMiddleware",  # after XFrameOptions: its response step runs first
    "allauth.account.middleware.AccountMiddleware",
    "config.ratelimit.RateLimitMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "marketplace.core.page_cache.PageCacheFetchMiddleware",  # last: a hit has passed every request step
]
# Whole public pages for visitors who are not signed in are kept this long at most (0: off).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
PAGE_CACHE_HIT_HEADER = DEBUG or BENCH  # X-Page-Cache: hit on a cached answer (development and bench/ only)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.navigation",
            ],
        },
    },
]

# SQLite (make run): a request's transaction takes the write lock when it begins (IMMEDIATE), so two
# requests writing at once wait their turn (up to `timeout` seconds) instead of the second failing with
# "database is locked" when it tries to upgrade its read lock; WAL lets pages be read during a write.
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL"}
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
for _db in DATABASES.values():
    # A request's writes (e.g. a publish and its search-outbox row) commit together or not at all.
    _db["ATOMIC_REQUESTS"] = True
    if _db["ENGINE"] == "django.db.backends.sqlite3":
        _db.setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts: e-mail is the login; verification is mandatory; allauth's rate limits stay on (default).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
# allauth counts these in the shared cache (CACHES below) and answers with config.urls.handler429.
ACCOUNT_RATE_LIMITS = {
    "login": os.environ.get("RATE_LIMIT_LOGIN", "30/m/ip"),
    "login_failed": os.environ.get("RATE_LIMIT_LOGIN_FAILED", "10/m/ip,5/300s/key"),
    "signup": os.environ.get("RATE_LIMIT_SIGNUP", "20/m/ip"),
    "reset_password": os.environ.get("RATE_LIMIT_RESET_PASSWORD", "20/m/ip,5/m/key"),
}
LOGIN_REDIRECT_URL = "/accounts/dashboard/"
LOGIN_URL = "/accounts/login/"

# Chinese first, English second. Asia/Shanghai for display.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# User uploads (listing attachments, contract scans, ...): outside MEDIA_ROOT, served only by views that check
# permission (accounts.private_files).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private-media"))
AGREEMENT_SCAN_MAX_BYTES = int(os.environ.get("AGREEMENT_SCAN_MAX_BYTES", 20 * 1024 * 1024))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Attachments on listings: PDF or image, at most this many bytes.
LISTING_ATTACHMENT_MAX_BYTES = int(os.environ.get("LISTING_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Wagtail
WAGTAIL_SITE_NAME = "滨州技术交易公共服务平台"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "csv", "txt"]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Moderation mails to owners (templates/wagtailadmin/notifications/workflow_state_*): HTML + text parts.
WAGTAILADMIN_NOTIFICATION_USE_HTML = True

# Search: embedded on-disk engine unless an Elasticsearch URL is configured. A cluster is given as a
# comma-separated list of node URLs, so a request moves to another node when one is lost. With security on
# (production), the site authenticates with an API key (the base64 "encoded" value Elasticsearch returns) or,
# failing that, a user and password.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_API_KEY = os.environ.get("ELASTICSEARCH_API_KEY", "")
ELASTICSEARCH_USERNAME = os.environ.get("ELASTICSEARCH_USERNAME", "")
ELASTICSEARCH_PASSWORD = os.environ.get("ELASTICSEARCH_PASSWORD", "")
# One replica on a cluster keeps every document on two nodes; a single development node cannot place it.
SEARCH_INDEX_REPLICAS = int(os.environ.get("SEARCH_INDEX_REPLICAS", "0"))
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "elasticsearch" if ELASTICSEARCH_URL else "embedded")
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "techmarket")
SEARCH_EMBEDDED_PATH = Path(os.environ.get("SEARCH_EMBEDDED_PATH", VAR_DIR / "search-index"))

# Payments (Stripe). STRIPE_API_BASE points the official library at stripe-mock in tests.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")


def _email_settings(url: str) -> dict:
    """EMAIL_URL=smtp://user:pass@host:587?tls=1 (or console:// for development)."""
    if not url or url.startswith("console:"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if url.startswith("locmem:"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    parsed = urlparse(url)
    if parsed.scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(f"EMAIL_URL scheme {parsed.scheme!r} is not smtp, smtps or console")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
        "EMAIL_USE_TLS": "tls=1" in (parsed.query or ""),
    }


globals().update(_email_settings(os.environ.get("EMAIL_URL", "")))
# Every e-mail goes out through a task (jobs.mail): the request only enqueues it once its transaction commits;
# the worker delivers it with the backend EMAIL_URL chose, retrying with backoff while the server is away.
EMAIL_DELIVERY_BACKEND = globals()["EMAIL_BACKEND"]
EMAIL_BACKEND = "jobs.mail.TaskEmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@techmarket.binzhou.example")

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]  # probed over plain HTTP from inside
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"

# Security headers (config/security.py). The public site: scripts and styles from this origin only, no inline
# script or event handler. Style attributes stay allowed (progress bars take their width from data);
# <style> elements do not. form-action names Stripe: Checkout is a POST answered by a redirect there.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "script-src-attr": ["'none'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "style-src-elem": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],  # QR codes are data: URIs
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", "https://checkout.stripe.com"],
    }
}
# The Wagtail and Django admins (staff only) ship inline scripts and styles, avatars and a preview iframe.
CSP_ADMIN_PREFIXES = ["/admin/", "/django-admin/"]
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The shared cache: Redis when REDIS_URL is set (production, tests, CI), else this process's memory (`make
# run`). Rate limits are only as good as the cache is shared, so production refuses to start without it.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "techmarket")}}
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured("REDIS_URL must be set when DJANGO_DEBUG is off (rate limits need a shared cache).")

# Rate limits of config.ratelimit.RateLimitMiddleware ("count/period", per user or per IP for visitors).
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATE_LIMITS = {
    "post": os.environ.get("RATE_LIMIT_POST", "60/m"),  # every POST form
    "search": os.environ.get("RATE_LIMIT_SEARCH", "60/m"),
    "api": os.environ.get("RATE_LIMIT_API", "120/m"),  # /api/v1/ (matches)
}
RATE_LIMIT_EXEMPT_PATHS = ["/payments/stripe/webhook/"]  # Stripe retries; every call is signature-checked
# Behind the HTTPS proxy REMOTE_ADDR is the proxy: set to e.g. HTTP_X_REAL_IP (a header the proxy overwrites).
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY", "REMOTE_ADDR")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"jieba": {"level": "WARNING"}},
}
# LOG_FORMAT=json: one JSON object per line (time, level, logger, message, and any `extra` fields), for a
# log collector; the default stays plain text for people.
if os.environ.get("LOG_FORMAT", "").lower() == "json":
    LOGGING["formatters"] = {"json": {"()": "pythonjsonlogger.json.JsonFormatter",
                                      "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                                      "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"}}}
    LOGGING["handlers"]["console"]["formatter"] = "json"

PLATFORM_NAME = _("滨州技术交易公共服务平台")

# Background tasks (Celery, config/celery.py). With CELERY_BROKER_URL set (production: Redis, a database
# number apart from the cache's, e.g. redis://127.0.0.1:6379/2) tasks go to the broker and the worker and
# beat of services/celery.sh run them. Without it (`make run`) nothing else needs to run: every task runs
# in-process at the moment it is sent (task_always_eager), retries included.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "techmarket")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None  # jobs keep their own state in the database (jobs.Job)
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# A late-acked task is redelivered if its worker dies; the timeout must exceed the longest task and countdown.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Periodic jobs (services/celery.sh starts beat): the outbox sweep drains what a search outage left behind
# (replaces the search_sync cron entry); the inquiry digest replaces the send_inquiry_digests cron entry.
CELERY_BEAT_SCHEDULE = {
    "search-outbox-sweep": {"task": "search.drain_outbox", "schedule": 300.0},
    "inquiry-digests": {"task": "inquiries.send_digests", "schedule": 1800.0},
    # Unpaid registrations whose checkout expired without Stripe's webhook give their seats back.
    "unpaid-registration-expiry": {"task": "payments.expire_unpaid", "schedule": 600.0},
    # Match alerts: daily digests every day, weekly ones once per ISO week (the task decides which are due).
    "match-alert-digests": {"task": "alerts.send_digests", "schedule": 3600.0 * 24},
    # Listed transfers whose bidding window (or publicity period) has ended are closed within a minute.
    "transfer-close-due": {"task": "transfers.close_due", "schedule": 60.0},
    # A waiting-list offer (promoted into 待支付) not paid within WAITLIST_OFFER_HOURS passes to the next.
    "waitlist-offer-lapse": {"task": "events.lapse_offers", "schedule": 600.0},
    # Reminders go out once each (jobs.SentNotice); hourly runs catch up after beat was down.
    "demand-deadline-reminders": {"task": "listings.deadline_reminders", "schedule": 3600.0},
    "event-reminders": {"task": "events.send_reminders", "schedule": 3600.0},
}
WAITLIST_OFFER_HOURS = int(os.environ.get("WAITLIST_OFFER_HOURS", "48"))
DEMAND_DEADLINE_REMINDER_DAYS = int(os.environ.get("DEMAND_DEADLINE_REMINDER_DAYS", "3"))
