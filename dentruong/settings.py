"""The one settings module, read from the environment.

DJANGO_ENV: development (default) | production. Production turns on secure cookies, HSTS and
DEBUG=False, and refuses to start without DJANGO_SECRET_KEY. DATABASE_URL selects PostgreSQL;
without it the app uses an embedded SQLite database in WAL mode.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    try:
        return default if raw in (None, "") else int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")  # no default: production refuses to start without one
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters long.")
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-" + "x" * 40)

DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves its Swagger UI from local static files (no CDN)
    "django_htmx",
    "axes",
    "django_tasks_db",
    "apps.core",
    "apps.imports",
    "apps.orgunits",
    "apps.accounts",
    "apps.schools",
    "apps.students",
    "apps.funds",
    "apps.documents",
    "apps.notifications",
    "apps.indicators",
    "apps.targets",
    "apps.standards",
    "apps.retention",
    "apps.plans",
    "apps.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.core.middleware.reject_nul_bytes",
    "apps.core.middleware.request_memo",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.idle_sessions",
    "apps.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.core.middleware.no_store",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.core.middleware.login_redirects",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dentruong.urls"
WSGI_APPLICATION = "dentruong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.accounts.context_processors.navigation",
                "apps.notifications.context_processors.notifications",
            ],
        },
    },
]

# SQLite by default (WAL so the task worker and the server can share it); PostgreSQL via DATABASE_URL.
# A SQLite database named by DATABASE_URL ("sqlite:////path") gets the same options as the default one.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    "transaction_mode": "IMMEDIATE",
}
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
        DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    SQLITE_PATH = Path(env_str("SQLITE_PATH", str(BASE_DIR / "var" / "dentruong.sqlite3")))
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": SQLITE_PATH, "OPTIONS": SQLITE_OPTIONS}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "apps.accounts.signin.AddressLimitBackend",  # the slower limit per address, across user names
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock an account + address after repeated failures (answers HTTP 429).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "apps.accounts.signin.locked_out"  # the site's own page, in Vietnamese (429)
# Behind a reverse proxy every request comes from the proxy's address: with DJANGO_TRUSTED_PROXY_COUNT=N (1 for
# one nginx) the client's address is read from X-Forwarded-For, N entries from the right. Without it (0) the
# header is ignored, since a client can write anything in it.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "apps.accounts.signin.client_ip"
# Password spraying: this many failures from one address within the window, whatever the user names, and the
# address is refused (HTTP 429) until the oldest of them leaves the window. Kept in the database (SignInFailure).
SIGNIN_ADDRESS_LIMIT = env_int("SIGNIN_ADDRESS_LIMIT", 20)
SIGNIN_ADDRESS_WINDOW_MINUTES = env_int("SIGNIN_ADDRESS_WINDOW_MINUTES", 60)

# API tokens last this many days (renewable on the token page) and stop working when the password changes.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)

# A session ends after this long without a request (each request starts the period again).
SESSION_IDLE_HOURS = env_int("SESSION_IDLE_HOURS", 8)
SESSION_COOKIE_AGE = SESSION_IDLE_HOURS * 3600
SESSION_TOUCH_SECONDS = 300  # the idle time starts again on a request, written at most this often

# Django's own English CSRF page replaced by a Vietnamese one in the site's layout.
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["dentruong.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Content Security Policy (Django 6 built in): no inline script or style, no third-party origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")},
}

# The demo data's shared password (printed by seed_demo); never used in production.
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo-dentruong-2025")

# Largest page of a list and of an API answer.
PAGE_SIZE = 50
NINJA_PAGINATION_CLASS = "apps.core.api.Pagination"

# Limits on imported files, each named in the message that refuses a file over it. Rows: a province export is
# about 200,000. Columns and cells bound the grid a spreadsheet reader allocates (a 1.6 KB file can declare a
# cell at XFD1048576); the uncompressed size bounds what a zip bomb inflates to; the memory bound is the address
# space a check or write may add to the worker (and what a forked reader of .xls/.ods may use).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 300_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 256)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 20_000_000)
# A sheet reaching further down than this row (its far cell or its declared dimension) must hold at least one row
# in IMPORT_SPARSE_RATIO of those: a real export is dense, a forged grid (two cells at A1 and Z100000) is not.
IMPORT_SPARSE_ROWS = env_int("IMPORT_SPARSE_ROWS", 50_000)
IMPORT_SPARSE_RATIO = env_int("IMPORT_SPARSE_RATIO", 20)
IMPORT_MAX_UNCOMPRESSED_MB = env_int("IMPORT_MAX_UNCOMPRESSED_MB", 1024)
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 50)
IMPORT_MAX_UPLOAD_BYTES = IMPORT_MAX_UPLOAD_MB * 2**20
IMPORT_MEMORY_MB = env_int("IMPORT_MEMORY_MB", 3072)

# E-mail (notifications are sent by a task after their write commits): SMTP in production (DJANGO_EMAIL_HOST,
# _PORT, _USER, _PASSWORD, _TLS=true), the console elsewhere (it prints them). Django 6.1's MAILERS, not the
# EMAIL_BACKEND it deprecates (and refuses beside MAILERS). SITE_URL makes the links in e-mails absolute.
MAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
SMTP_OPTIONS = {  # only what is set: the SMTP backend's own defaults otherwise (localhost:25)
    key: value
    for key, value in {
        "host": env_str("DJANGO_EMAIL_HOST", ""),
        "port": env_int("DJANGO_EMAIL_PORT", 0),
        "username": env_str("DJANGO_EMAIL_USER", ""),
        "password": env_str("DJANGO_EMAIL_PASSWORD", ""),
        "use_tls": env_str("DJANGO_EMAIL_TLS", "") == "true",
    }.items()
    if value
}
MAILERS = {"default": {"BACKEND": MAIL_BACKEND, "OPTIONS": SMTP_OPTIONS if "smtp" in MAIL_BACKEND else {}}}
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Đến Trường <no-reply@localhost>")
SITE_URL = env_str("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"DJANGO_SITE_URL must start with http:// or https://, not {SITE_URL!r}.")
