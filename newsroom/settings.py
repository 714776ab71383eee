"""Settings for newsroom, read from the environment (twelve-factor).

Every value that differs between deployments comes through the small helpers below,
under the names of ``shared/CONTRACT.md``. Local defaults are safe: DEBUG is off unless
set, and with DEBUG off the production hardening is on, so ``check --deploy`` is clean.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE as CSP_NONCE

from core.storage import media_storage_from_environment

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """A setting from the environment; an empty value counts as unset."""
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        # One clear sentence instead of a traceback: this is a configuration mistake.
        sys.exit(
            "newsroom: SECRET_KEY is not set; set SECRET_KEY in the environment "
            "(or DEBUG=1 for local development)."
        )
    SECRET_KEY = "local-development-only-key-never-use-in-production-0123456789"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "localhost,127.0.0.1"
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The admin site with our staff login (lockout, optional two-factor): security block.
    "newsroom.adminconfig.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "newsroom.tags_app.TagsConfig",  # django-taggit, named "Tags" in the admin
    "django_filters",
    "reversion",
    "django_prose_editor",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "core",
    "photos",
    "artists",
    "discography",
    "articles",
    "search",
    # Last, so that its post_migrate runs after every app's permissions exist.
    "newsroom",
]

MIDDLEWARE = [
    # First: a stored page carries every header the stack below adds, so a hit is
    # replayed exactly (here, or before Django runs by newsroom.wsgi's front door);
    # cached pages cost no session, auth or view. Plain-HTTP requests that must be
    # redirected, sessions and flash messages bypass it (pagecache.page_key).
    # A stored page is the same for every address.
    "core.pagecache.AnonymousPageCacheMiddleware",
    # Before anything else reads it: REMOTE_ADDR becomes the client's address,
    # decided once from TRUSTED_PROXY_COUNT (behind nginx the peer is nginx).
    "core.clientaddress.ClientAddressMiddleware",
    # Scale-out: so every later database read in the request sees the pin.
    "core.db_router.PinPrimaryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A NUL byte in the URL would reach PostgreSQL (DataError, a 500): 404/400 here.
    "core.middleware.RejectNullBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Django's, answering HEAD with the ETag a GET gets.
    "core.middleware.ConditionalGetMiddleware",
    # Inside CSP so that its nonce reaches the admin's import map; adds the headers
    # Django has no setting for (Permissions-Policy, CORP).
    "core.middleware.SecurityHeadersMiddleware",
    # Last before the view: turns "database unreachable" into a friendly 503.
    "core.middleware.DatabaseUnavailableMiddleware",
    # django-axes wants to be last: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

# Reader pages use Jinja2 (jinja2/; see newsroom/jinja.py for why); the admin, form
# widgets and third-party apps keep Django's template language (templates/).
TEMPLATES = [
    {
        "NAME": "jinja2",
        "BACKEND": "newsroom.jinja.ReaderJinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "newsroom.jinja.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "newsroom.context_processors.site",
                "csp.context_processors.nonce",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: SQLite under var/ by default (WAL, so readers don't block the writer);
# PostgreSQL through DATABASE_URL with persistent, health-checked connections.
SQLITE_PATH = BASE_DIR / "var" / "newsroom.sqlite3"


def _postgres_options(database: dict) -> None:
    """Connection options for every PostgreSQL alias (primary and replicas).

    JIT compilation is off unless DATABASE_JIT=1: it pays off for long analytical
    queries, but a search page's query with a few correlated subqueries is costed
    above ``jit_above_cost`` and spent ~90 ms compiling to run for 20 ms.
    """
    options = database.setdefault("OPTIONS", {})
    options.setdefault("connect_timeout", 5)
    if not env_bool("DATABASE_JIT", False):
        startup = options.get("options", "")
        options["options"] = f"{startup} -c jit=off".strip()
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        options.setdefault("server_side_binding", True)
        options.setdefault("prepare_threshold", 2)


DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"),
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    _postgres_options(DATABASES["default"])

# --- Scale-out: read replicas (issue 11) -------------------------------------------
# DATABASE_REPLICA_URLS (comma-separated) adds the aliases replica_1..n with the same
# connection options; core.db_router sends reads there unless the request is
# pinned to the primary (admin, unsafe methods, anything after a write). In tests a
# replica mirrors the default test database, as Django advises for replicas.
DATABASE_REPLICAS: list[str] = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _alias = f"replica_{_number}"
    DATABASES[_alias] = dj_database_url.parse(
        _url, conn_max_age=600, conn_health_checks=True
    )
    _postgres_options(DATABASES[_alias])
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["core.db_router.PrimaryReplicaRouter"]
# Paths whose every query goes to the primary (staff see their own writes at once).
DATABASE_PRIMARY_PATH_PREFIXES = ["/admin/"]
# --- end scale-out: read replicas ----------------------------------------------------

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Django's Redis cache shared by every process when REDIS_URL is set;
# an in-process cache otherwise.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
        }
    }

# --- Scale-out: sessions and background tasks (issue 11) -----------------------------
# Sessions live in the database with a cache in front (Redis when REDIS_URL is set), so
# any web process can serve any request.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# django-tasks: tasks run inline (ImmediateBackend) in development and tests; with
# TASK_BACKEND=database they are stored by django-tasks-db and run by
# `python manage.py db_worker`.
TASK_BACKEND = env("TASK_BACKEND", "immediate")
if TASK_BACKEND == "database":
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "media"],
        }
    }
elif TASK_BACKEND == "immediate":
    TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "media"],
        }
    }
else:
    sys.exit(
        f"newsroom: TASK_BACKEND={TASK_BACKEND!r} is not known; "
        "use 'immediate' (inline) or 'database' (db_worker)."
    )
# --- end scale-out: sessions and background tasks ------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = env("TIME_ZONE", "Asia/Seoul")
# The site and the admin are English-only: without the translation machinery every
# date and label skips a locale lookup (Django's own advice when it is not used).
USE_I18N = env_bool("USE_I18N", False)
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# --- Scale-out: media and static files (issue 11) ------------------------------------
# Media go to S3-compatible object storage (django-storages) when AWS_STORAGE_BUCKET_NAME
# is set, so every web process and the worker see the same files; local files otherwise.
# Static files are hashed at collectstatic: whitenoise serves hashed names with a
# ten-year immutable Cache-Control, so a CDN may keep them for ever.
STORAGES = {
    "default": media_storage_from_environment(os.environ),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
STATIC_ROOT = Path(env("STATIC_ROOT", str(STATIC_ROOT)))
# Unhashed names (favicon, robots) are revalidated hourly.
WHITENOISE_MAX_AGE = 3600
# --- end scale-out: media and static files -------------------------------------------

# Uploads: keep request bodies and images bounded.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SITE_NAME = env("SITE_NAME", "Newsroom")

# Whole-page cache for anonymous readers (core/pagecache.py), in a store every
# process shares: Redis when REDIS_URL is set, else files under var/ (never a
# per-process cache: an edit would not show in the other workers).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_DIR = env("PAGE_CACHE_DIR", str(BASE_DIR / "var" / "cache" / "pages"))
if REDIS_URL:
    PAGE_CACHE_ALIAS = "default"
else:
    PAGE_CACHE_ALIAS = "pages"
    CACHES["pages"] = {
        "BACKEND": "core.cache.SharedFileCache",
        "LOCATION": PAGE_CACHE_DIR,
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_MAX_ENTRIES", 50000)},
    }
# Changes that could not reach the store wait here, replayed before any page is
# served again (core/pagecache_outbox.py); shared by the processes of a machine.
PAGE_CACHE_OUTBOX = env("PAGE_CACHE_OUTBOX", str(BASE_DIR / "var" / "pagecache-outbox"))
# CDNs purged by dependency key (core/purge.py), configured by the environment.
PAGE_CACHE_PURGERS = []
if env("VARNISH_PURGE_URLS"):
    PAGE_CACHE_PURGERS.append(
        (
            "core.purge.VarnishXkeyPurge",
            {"urls": [u.strip() for u in env("VARNISH_PURGE_URLS").split(",")]},
        )
    )
if env("FASTLY_SERVICE_ID") and env("FASTLY_API_TOKEN"):
    PAGE_CACHE_PURGERS.append(
        (
            "core.purge.FastlyPurge",
            {
                "service_id": env("FASTLY_SERVICE_ID"),
                "token": env("FASTLY_API_TOKEN"),
                "api_url": env("FASTLY_API_URL", "https://api.fastly.com"),
                "soft": env_bool("FASTLY_SOFT_PURGE", False),
            },
        )
    )
if env("CLOUDFLARE_ZONE_ID") and env("CLOUDFLARE_API_TOKEN"):
    PAGE_CACHE_PURGERS.append(
        (
            "core.purge.CloudflarePurge",
            {
                "zone_id": env("CLOUDFLARE_ZONE_ID"),
                "token": env("CLOUDFLARE_API_TOKEN"),
                "api_url": env(
                    "CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4"
                ),
            },
        )
    )
# With Redis, each change is also announced on a channel every process listens to,
# so a hit on an unchanged page needs no round trip (core/pagecache_watch.py).
PAGE_CACHE_FEED_URL = REDIS_URL if PAGE_CACHE_ALIAS == "default" else None
PAGE_CACHE_FEED_PREFIX = env("CACHE_KEY_PREFIX", "newsroom")
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
PAGE_CACHE_SHARED_SECONDS = env_int("PAGE_CACHE_SHARED_SECONDS", 60)

# ---------------------------------------------------------------------------
# Security: headers, cookies, staff login (owned by the security work, issue 10).
# ---------------------------------------------------------------------------

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
# Load balancers probe these over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Only staff have sessions: they end with the browser, and after 12 hours at most.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Content-Security-Policy (django-csp 4): nothing from other hosts, no inline script
# except tags carrying the per-response nonce ({{ CSP_NONCE }} in templates); the only
# frame is the YouTube player an embed swaps in on click.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        # The nonce covers the admin's inline import map (rich-text editor); django-csp
        # only sends it on responses that used it, never on cached public pages.
        "script-src": ["'self'", CSP_NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "media-src": ["'self'"],
        "manifest-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# ---- embeds (issue 5): oEmbed details for social posts pasted into stories ----
# Off unless EMBEDS_OEMBED=1: the fetch runs after the story's save commits, with a
# strict timeout and size cap, and a failure is only recorded on the post. An empty
# endpoint turns one platform off (Instagram's needs a Meta app token in the URL).
# "iu" is the tag "IU": taggit reuses an existing tag whatever its case
# (migration articles 0521 merged the case duplicates made before).
TAGGIT_CASE_INSENSITIVE = True

EMBEDS_OEMBED_ENABLED = env_bool("EMBEDS_OEMBED", False)
EMBEDS_OEMBED_TIMEOUT = float(env("EMBEDS_OEMBED_TIMEOUT", "3"))
EMBEDS_OEMBED_MAX_BYTES = env_int("EMBEDS_OEMBED_MAX_BYTES", 256 * 1024)
EMBEDS_OEMBED_ENDPOINTS = {
    "x": env("EMBEDS_OEMBED_X", "https://publish.twitter.com/oembed"),
    "youtube": env("EMBEDS_OEMBED_YOUTUBE", "https://www.youtube.com/oembed"),
    "tiktok": env("EMBEDS_OEMBED_TIKTOK", "https://www.tiktok.com/oembed"),
    "instagram": env("EMBEDS_OEMBED_INSTAGRAM", ""),
}
# ---- end embeds ----
# The admin's additions: the one <style> element the rich-text editor (Tiptap, bundled
# in django-prose-editor 0.28) injects, allowed by its hash rather than 'unsafe-inline'.
# tests/browser/test_admin_csp.py names the new hash if an upgrade changes it.
ADMIN_CSP_UPDATE = {
    "style-src": ["'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
}

# Permissions-Policy (core.middleware.SecurityHeadersMiddleware): no powerful
# feature for anyone, except what the YouTube player needs inside its frame.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": ["https://www.youtube-nocookie.com"],
    "camera": [],
    "display-capture": [],
    "encrypted-media": ["https://www.youtube-nocookie.com"],
    "fullscreen": ["self", "https://www.youtube-nocookie.com"],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": ["https://www.youtube-nocookie.com"],
    "publickey-credentials-get": [],
    "usb": [],
}

# Redis, when configured, through a wrapper that falls back to an in-process cache
# while Redis is unreachable (core/cache.py), so the site keeps answering.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "core.cache.ResilientRedisCache"

# The only login is the admin's; a refused or missing ``next=`` lands on its index.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Staff login: django-axes locks out a username+address after repeated failures.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
# By username and address together: a stranger cannot lock an editor out, and in an
# office where colleagues share one address one typo-prone colleague cannot lock out
# the whole newsroom. (Guessing spread over many addresses meets the account-wide
# throttle below.)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = env_bool("AXES_VERBOSE", False)
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# The shared cache when there is one (every worker sees the same count); the
# database otherwise, because a per-process cache would multiply the limit.
AXES_HANDLER = (
    "axes.handlers.cache.AxesCacheHandler"
    if REDIS_URL
    else "axes.handlers.database.AxesDatabaseHandler"
)
# How many proxies in front append to X-Forwarded-For (nginx in
# docker-compose.prod.yml: 1; add one for each load balancer in front of it that
# appends too). 0: the site faces clients directly and the header is never read.
# core.clientaddress puts the client's address in REMOTE_ADDR once per request;
# axes, the account throttle and the reaction limits all read it from there.
TRUSTED_PROXY_COUNT = max(env_int("TRUSTED_PROXY_COUNT", 0), 0)
AXES_CLIENT_IP_CALLABLE = "core.clientaddress.request_address"

# Distributed guessing: the lockout above is per address, so many addresses could
# share out the guesses. After LOGIN_THROTTLE_FAILURES failures for one account
# within LOGIN_THROTTLE_WINDOW_MINUTES, from anywhere, its password alone is refused
# for LOGIN_THROTTLE_MINUTES; the password with a valid two-factor code still works
# (newsroom.login_throttle, the login form in newsroom.security).
LOGIN_THROTTLE_FAILURES = env_int("LOGIN_THROTTLE_FAILURES", 20)
LOGIN_THROTTLE_WINDOW = timedelta(minutes=env_int("LOGIN_THROTTLE_WINDOW_MINUTES", 15))
LOGIN_THROTTLE_COOLOFF = timedelta(minutes=env_int("LOGIN_THROTTLE_MINUTES", 15))
# Failed sign-ins are kept this long (the staff desk lists the last 24 hours).
LOGIN_FAILURE_RETENTION = timedelta(days=env_int("LOGIN_FAILURE_RETENTION_DAYS", 30))

# Two-factor login (django-otp, TOTP): optional for staff; Editors must enrol when
# REQUIRE_2FA_FOR_EDITORS is on, every staff account when REQUIRE_2FA_FOR_STAFF is.
REQUIRE_2FA_FOR_EDITORS = env_bool("REQUIRE_2FA_FOR_EDITORS", False)
REQUIRE_2FA_FOR_STAFF = env_bool("REQUIRE_2FA_FOR_STAFF", False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", SITE_NAME)
# A device's secret (its key, config page and QR code) is never shown in the admin,
# not even to superusers: staff enrol their own phone on the two-factor page, and a
# lost phone is handled by deleting the device. (django-otp's QR view also answered
# a missing device with a server error.)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_4xx": {"()": "core.logfilters.ClientErrorsOnOneLine"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["one_line_4xx"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler (DEBUG) would print each line a second time
        # through the root's: one handler, the root's, prints everything once.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
    },
}

# ---- fan reactions (issue 6): limits, each overridable from the environment ----
# Accepted reactions per fingerprint per window, counted in the (shared) cache.
REACTIONS_RATE_LIMIT = env_int("REACTIONS_RATE_LIMIT", 5)
REACTIONS_RATE_WINDOW = env_int("REACTIONS_RATE_WINDOW", 600)  # seconds
# Per address, whatever the User-Agent: caps robots that rotate it (shared NATs
# get several readers' worth).
REACTIONS_RATE_LIMIT_PER_ADDRESS = env_int("REACTIONS_RATE_LIMIT_PER_ADDRESS", 30)
# A burst (this many from one fingerprint within the window) is held with a flag.
REACTIONS_BURST_COUNT = env_int("REACTIONS_BURST_COUNT", 3)
REACTIONS_BURST_WINDOW = env_int("REACTIONS_BURST_WINDOW", 120)  # seconds
# More links than this are held with a flag.
REACTIONS_MAX_LINKS = env_int("REACTIONS_MAX_LINKS", 1)
# An exact repeat of a message seen within this many seconds is held.
REACTIONS_REPEAT_WINDOW = env_int("REACTIONS_REPEAT_WINDOW", 60 * 60 * 24)
REACTIONS_PER_PAGE = env_int("REACTIONS_PER_PAGE", 20)
# ---- end fan reactions ----

# ---- photo desk (issue 18): body buttons for library photos, galleries and story cards
from django_prose_editor.config import html_tags as _prose_html_tags  # noqa: E402
from js_asset import static_lazy as _static_lazy  # noqa: E402

DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [_static_lazy("photos/prose_figures.js")],
        "extensions": {
            "LibraryFigure": _prose_html_tags(
                ["figure"], {"figure": ["data-photo", "data-gallery", "data-story"]}
            )
        },
    }
]
# ---- end photo desk ----
