"""The one settings module. Every value comes from the environment (see README)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from openkam.env import (
    ConfigError,
    database_config,
    env_bool,
    env_int,
    env_list,
    env_positive_int,
    env_proxy_ssl_header,
    env_str,
    private_sqlite_file,
    secret_key,
)

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("OPENKAM_VAR_DIR", str(PROJECT_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key(VAR_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "openkam.common",
    "openkam.team",
    "openkam.accounts",
    "openkam.relationships",
    "openkam.ledger",
    "openkam.portfolio",
    "openkam.demo",
    "openkam.web",
    "openkam.analyze",
    "openkam.interactions",
    "openkam.plans",
    "openkam.governance",
    "openkam.contracts",
    "openkam.pipeline",
    "openkam.service",
    "openkam.surveys",
    "openkam.alerts",
    "openkam.retention",
    "openkam.performance",
    "openkam.imports",
    "openkam.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "openkam.common.middleware.PrivatePagesMiddleware",
    "openkam.common.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a refused log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
    "openkam.web.errors.DomainErrorMiddleware",
]

# Scripts only from our static files: no inline <script>, no on* handlers, no eval (htmx's
# trigger filters included). Inline style= attributes stay allowed (charts and the group tab
# size things inline); images may be data: URLs (ECharts' "save as image", Tabler's icons).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

# Work a page hands off (an uploaded file's import) waits in the database for `openkam
# db_worker`; "immediate" runs it inside the request instead (no worker; a big file then holds
# the request until it is imported).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = env_str("OPENKAM_TASKS_BACKEND", "database")
if _tasks_backend not in _TASK_BACKENDS:
    raise ConfigError(
        f"OPENKAM_TASKS_BACKEND={_tasks_backend!r} is not one of {', '.join(_TASK_BACKENDS)}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_tasks_backend], "QUEUES": ["default"]}}

# What an imported or analysed file may hold before it is refused (a hostile XLSX or zip bomb
# would otherwise exhaust the memory of the worker), and when a run left running is failed.
IMPORT_MAX_FILE_MB = env_positive_int("IMPORT_MAX_FILE_MB", 512)
IMPORT_MAX_UNPACKED_MB = env_positive_int("IMPORT_MAX_UNPACKED_MB", 1024)
IMPORT_MAX_ROWS = env_positive_int("IMPORT_MAX_ROWS", 5_000_000)
IMPORT_MAX_COLUMNS = env_positive_int("IMPORT_MAX_COLUMNS", 1_000)
IMPORT_MAX_CELLS = env_positive_int("IMPORT_MAX_CELLS", 50_000_000)
IMPORT_MAX_CELL_CHARS = env_positive_int("IMPORT_MAX_CELL_CHARS", 32_767)
IMPORT_STALLED_MINUTES = env_positive_int("IMPORT_STALLED_MINUTES", 30)

ROOT_URLCONF = "openkam.urls"
WSGI_APPLICATION = "openkam.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": database_config(
        env_str("DATABASE_URL", f"sqlite:///{(VAR_DIR / 'openkam.sqlite3').as_posix()}")
    )
}
private_sqlite_file(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "team.User"
# django-axes first: it refuses a locked user or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "openkam.common.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# OPENKAM_MODE=promotion: an investment-promotion office's tool (招商模式): its words over the
# app catalogues (目标企业, 招商项目, 招商专员, 局领导; openkam/pipeline/vocabulary.py) and the
# promotion stages; the same models, pages and rules.
OPENKAM_MODE = env_str("OPENKAM_MODE", "sales").strip().lower()
if OPENKAM_MODE not in {"sales", "promotion"}:
    raise ConfigError(f"OPENKAM_MODE={OPENKAM_MODE!r} is not one of sales, promotion")
PROMOTION_LOCALE = BASE_DIR / "pipeline" / "promotion_locale"
LOCALE_PATHS = [*([PROMOTION_LOCALE] if OPENKAM_MODE == "promotion" else []), BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# Money is Decimal with a currency; CNY unless the company says otherwise.
OPENKAM_CURRENCY = env_str("OPENKAM_CURRENCY", "CNY")
OPENKAM_DEMO_PASSWORD = env_str("OPENKAM_DEMO_PASSWORD", "openkam-demo")
OPENKAM_PAGE_SIZE = env_int("OPENKAM_PAGE_SIZE", 25)

# Mail (the alerts' digest and immediate mails): printed on the console unless an SMTP server
# is named; links in mails start with OPENKAM_SITE_URL.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ConfigError("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other: set one")
EMAIL_TIMEOUT = env_positive_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OpenKAM <openkam@localhost>")
OPENKAM_SITE_URL = env_str("OPENKAM_SITE_URL", "http://127.0.0.1:8000")

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
WHITENOISE_USE_FINDERS = DEBUG

# Behind HTTPS (README, production): the proxy's header says a request came over HTTPS.
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)

# Login throttling (django-axes): after OPENKAM_LOGIN_FAILURE_LIMIT failed log-ins for one
# username, or from one address, log-ins for it are refused for the lockout minutes. API
# tokens do not log in, so they are never counted nor refused.
OPENKAM_LOGIN_FAILURE_LIMIT = env_positive_int("OPENKAM_LOGIN_FAILURE_LIMIT", 5)
OPENKAM_LOGIN_LOCKOUT_MINUTES = env_positive_int("OPENKAM_LOGIN_LOCKOUT_MINUTES", 15)
OPENKAM_PROXY_COUNT = env_int("OPENKAM_PROXY_COUNT", 0)
AXES_ENABLED = env_bool("OPENKAM_LOGIN_THROTTLING", True)
AXES_FAILURE_LIMIT = OPENKAM_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=OPENKAM_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "openkam.common.security.client_ip"
AXES_LOCKOUT_CALLABLE = "openkam.common.security.lockout_response"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
