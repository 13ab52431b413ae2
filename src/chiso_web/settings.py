"""Django settings of the chiso site, all from ``CHISO_*`` environment variables (env.py)."""

from __future__ import annotations

from pathlib import Path

from chiso_web import env

CHISO = env.load()
BASE_DIR = Path(__file__).resolve().parent
HOME: Path = CHISO["CHISO_HOME"]

SECRET_KEY = CHISO["CHISO_SECRET_KEY"]
DEBUG = CHISO["CHISO_DEBUG"]
ALLOWED_HOSTS = CHISO["CHISO_ALLOWED_HOSTS"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "chiso_web.units",
    "chiso_web.audit",
    "chiso_web.dashboard",
    "chiso_web.publications",
    "chiso_web.imports",
    "chiso_web.reports",
    "chiso_web.ratings",
    "chiso_web.api",
    "chiso_web.public",
    "chiso_web.digest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chiso_web.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "chiso_web.middleware.SecurityHeadersMiddleware",
    "chiso_web.middleware.ErrorShapeMiddleware",
]

ROOT_URLCONF = "chiso_web.urls"
WSGI_APPLICATION = "chiso_web.wsgi.application"

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
                "chiso_web.context_processors.site",
            ],
        },
    }
]

DATABASES = {"default": CHISO["CHISO_DATABASE"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"  # each role lands where its work is
LOGOUT_REDIRECT_URL = "public:index"

# Pages in CHISO_LANG (vi by default); the push API in its caller's Accept-Language
# (chiso_web.language).  The site's texts: English ids, src/chiso_web/locale (docs/web.md).
USE_I18N = True
LANGUAGE_CODE = CHISO["CHISO_LANG"]
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]  # vendored htmx/ECharts and the site's CSS/JS
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = HOME / "files"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Security: cookies are HttpOnly/SameSite always, Secure and HSTS behind HTTPS.
HTTPS = CHISO["CHISO_HTTPS"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = 8 * 3600
# Sessions are read from the process's memory cache and written through to the database:
# every signed-in request would otherwise cost a query before any work.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The user of each request from a short per-process cache (chiso_web.units.backends).
AUTHENTICATION_BACKENDS = ["chiso_web.units.backends.CachedModelBackend"]

# E-mail (the weekly digest): printed to the log (console) unless an SMTP server is set.
DEFAULT_FROM_EMAIL = CHISO["CHISO_MAIL_FROM"]
if CHISO["CHISO_SMTP_HOST"]:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = CHISO["CHISO_SMTP_HOST"]
    EMAIL_PORT = CHISO["CHISO_SMTP_PORT"]
    EMAIL_HOST_USER = CHISO["CHISO_SMTP_USER"]
    EMAIL_HOST_PASSWORD = CHISO["CHISO_SMTP_PASSWORD"]
    EMAIL_USE_TLS = CHISO["CHISO_SMTP_TLS"]
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"chiso_web": {"handlers": ["console"], "level": "INFO"}},
}
