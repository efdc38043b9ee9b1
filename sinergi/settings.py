"""Sinergi settings: one module, driven by environment variables with strict parsing.

Defaults suit one district on one machine (SQLite under var/). Production sets DATABASE_URL to
PostgreSQL, SECRET_KEY, ALLOWED_HOSTS and leaves DEBUG off. See docs/operations.md.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from whitenoise.compress import Compressor

from sinergi.core.dbconfig import database_settings
from sinergi.core.env import EnvError, env_bool, env_int, env_list, env_str, key_pairs
from sinergi.regions.timezones import parse_overrides

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SINERGI_VAR_DIR", str(BASE_DIR / "var")))

INSECURE_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
INSECURE_AUDIT_KEY = "insecure-development-audit-key-do-not-use-in-production"

try:
    DEBUG = env_bool("DEBUG", False)
    SECRET_KEY = env_str("SECRET_KEY", INSECURE_SECRET_KEY)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
    TIME_ZONE = env_str("TIME_ZONE", "Asia/Makassar")
    # A province's zone where it is not the default of regions/timezones.py: "51=Asia/Makassar,...".
    PROVINCE_TIME_ZONES = parse_overrides(env_list("PROVINCE_TIME_ZONES", []))
    DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sinergi.sqlite3'}")
    SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
    HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
    BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
    # Optional online base map, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png. Empty: the
    # map shows the shipped village polygons only, so it works with no internet at all.
    MAP_TILE_URL = env_str("MAP_TILE_URL", "")
    MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")
    # The address people reach Sinergi at (https://sinergi.example.go.id, no trailing slash), printed
    # on documents and in QR codes (core/links.py); empty: the host name of the request.
    SITE_URL = env_str("SITE_URL", "").strip().rstrip("/")
    # How long an invitation's activation link (sinergi invite, the users page) may be used to set
    # a password, in hours (docs/accounts.md); it works once in that time.
    INVITATION_HOURS = env_int("INVITATION_HOURS", 72)
    LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
    LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
    # Two-factor sign-in (docs/accounts.md): on, every desk account (admin, staff, superuser)
    # without a TOTP device enrols one at its next sign-in. Off by default so that the demo's
    # accounts and the production smoke test sign in with a password; a production deployment
    # sets TOTP_REQUIRED=1. Accounts with a device give its code either way; field accounts never.
    TOTP_REQUIRED = env_bool("TOTP_REQUIRED", False)
    # Per client address (docs/operations.md): reports sent through the public form, and look-ups
    # of a tracking code (the tracking form, the status page, the receipt), as "count/period"
    # with period s, m, h or d. Generous, because a village office or a mobile network puts many
    # people behind one address.
    RATE_LIMIT_PUBLIC_REPORTS = env_str("RATE_LIMIT_PUBLIC_REPORTS", "20/h")
    RATE_LIMIT_TRACKING = env_str("RATE_LIMIT_TRACKING", "60/m")
    # Solver iterations per routing problem of the distribution plan (docs/logistics.md): more is
    # better and slower; the Klungkung plan takes about 8 s at 3,000 on a 2-core machine.
    ROUTING_ITERATIONS = env_int("ROUTING_ITERATIONS", 3000)
    # The shared secret an SMS gateway sends with each message (docs/sms.md); empty: SMS intake off.
    SMS_WEBHOOK_TOKEN = env_str("SMS_WEBHOOK_TOKEN", "")
    # Outbound SMS (core/outbound_sms.py): "console" writes each message to the log and sends
    # nothing; "http" asks the same gateway to send it (SMS_GATEWAY_URL, with SMS_GATEWAY_TOKEN —
    # by default the intake's token — in X-Sinergi-Token). docs/operations.md.
    SMS_BACKEND = env_str("SMS_BACKEND", "console")
    SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
    SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN", SMS_WEBHOOK_TOKEN)
    SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT", 10)
    # Web Push of notifications (docs/notifications.md): the VAPID key pair that signs each push,
    # made once with `sinergi vapid-keys` (public key: the uncompressed point, private key: the
    # raw 32 bytes, both base64url), and the contact the push services may write to. Empty keys:
    # no browser is offered push, the other channels still work.
    WEBPUSH_VAPID_PUBLIC_KEY = env_str("WEBPUSH_VAPID_PUBLIC_KEY", "")
    WEBPUSH_VAPID_PRIVATE_KEY = env_str("WEBPUSH_VAPID_PRIVATE_KEY", "")
    WEBPUSH_VAPID_SUBJECT = env_str("WEBPUSH_VAPID_SUBJECT", "mailto:sinergi@localhost")
    WEBPUSH_TIMEOUT = env_int("WEBPUSH_TIMEOUT", 10)
    # The push services a browser's subscription may point at (a host or its parent domain): the
    # browser vendors'. Sinergi posts to that address, so it accepts no other (docs/notifications.md).
    WEBPUSH_SERVICE_HOSTS = env_list(
        "WEBPUSH_SERVICE_HOSTS", ["fcm.googleapis.com", "push.services.mozilla.com", "notify.windows.com", "push.apple.com"]
    )
    # Where background tasks are queued (docs/operations.md): "database" (django-tasks-db, the
    # default, no other service) or "rq" (Redis through django-tasks-rq, installed separately).
    TASK_QUEUE = env_str("TASK_QUEUE", "database")
    REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
    # Sign-ins with a field code (/lapangan/masuk/) per client address: many PTPS may share a
    # mobile network's address, and 50-bit codes need no tighter limit against guessing.
    RATE_LIMIT_FIELD_CODES = env_str("RATE_LIMIT_FIELD_CODES", "30/m")
    # Reports and incidents are chained into the audit trail in batches (supervisors/sealing.py):
    # each server process seals at most once per this many seconds; 0 seals after every report.
    AUDIT_SEAL_INTERVAL = env_int("AUDIT_SEAL_INTERVAL", 1)
    # Whether intake requests seal at all (above). Off when sealers run in processes of their own
    # (`sinergi seal-intake --follow`, docs/operations.md): the request then only INSERTs.
    AUDIT_SEAL_IN_REQUEST = env_bool("AUDIT_SEAL_IN_REQUEST", True)
    # A report or incident still not chained this long after it arrived raises the situation
    # room's backlog alert (supervisors/sealing.py) for those who read the audit trail.
    AUDIT_BACKLOG_ALERT_SECONDS = env_int("AUDIT_BACKLOG_ALERT_SECONDS", 120)
    # The audit chain's HMAC key (audit/chain.py), kept out of the database so that whoever can
    # write to the database cannot rewrite an event and recompute the chain. Each event stores the
    # id of the key that sealed it; after a rotation the earlier keys stay in AUDIT_OLD_KEYS
    # ("id:key,id:key") for verification. docs/operations.md, "Audit".
    AUDIT_KEY = env_str("AUDIT_KEY", INSECURE_AUDIT_KEY if DEBUG else "")
    # The built-in development key has its own id, so that it can never pass for a real key "1".
    AUDIT_KEY_ID = env_str("AUDIT_KEY_ID", "dev" if AUDIT_KEY == INSECURE_AUDIT_KEY else "1")
    _old_audit_keys = env_list("AUDIT_OLD_KEYS", [])
    # Legal deadlines (cases/deadlines.py, docs/cases.md): whether collective-leave days (cuti
    # bersama) are days off for working-day limits, and, for limits worded "sejak …" only, whether
    # the day of the event is day one (Bawaslu's convention: a result set on 21 May 2019 could be
    # reported until 29 May); limits worded "setelah …" always start the next day.
    DEADLINE_COLLECTIVE_LEAVE_IS_DAY_OFF = env_bool("DEADLINE_COLLECTIVE_LEAVE_IS_DAY_OFF", True)
    DEADLINE_FIRST_DAY_COUNTS = env_bool("DEADLINE_FIRST_DAY_COUNTS", True)
    # The days (working days for a Pemilu, calendar days for a Pilkada) a reporter has to complete
    # a report that lacks a requirement, counted from Bawaslu's notice (docs/cases.md).
    CASE_COMPLETION_DAYS = env_int("CASE_COMPLETION_DAYS", 2)
    # Case reminders (sinergi case-reminders) and password-reset links are e-mailed from this
    # address when SMTP is set up (EMAIL_HOST); without it they go to the log (MAILERS below).
    _smtp = {
        "host": env_str("EMAIL_HOST", ""),
        "port": env_int("EMAIL_PORT", 587),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
    }
    DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sinergi@localhost")
    # Where uploaded files go (report photos, checklist evidence, handover photos): "local", the
    # disk under VAR_DIR/media, or "s3", any S3-compatible object store (needs the `s3` extra:
    # pip install -c constraints.txt ".[s3]"). docs/operations.md.
    MEDIA_STORAGE = env_str("MEDIA_STORAGE", "local")
    S3_BUCKET = env_str("S3_BUCKET", "")
    S3_ENDPOINT_URL = env_str("S3_ENDPOINT_URL", "")
    S3_REGION = env_str("S3_REGION", "")
    S3_ACCESS_KEY_ID = env_str("S3_ACCESS_KEY_ID", "")
    S3_SECRET_ACCESS_KEY = env_str("S3_SECRET_ACCESS_KEY", "")
except (EnvError, ValueError) as error:
    raise ImproperlyConfigured(str(error)) from None
MAILERS = {
    "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": _smtp}
    if _smtp["host"]
    # No SMTP server: each message (a password-reset link, a case reminder) is written to the
    # process's standard output, i.e. the server's log, instead of being sent (docs/operations.md).
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}

if SMS_BACKEND not in {"console", "http"}:
    raise ImproperlyConfigured(f"SMS_BACKEND: {SMS_BACKEND!r} is neither 'console' nor 'http'.")
if SMS_BACKEND == "http" and (urlsplit(SMS_GATEWAY_URL).scheme not in {"http", "https"} or not SMS_GATEWAY_TOKEN):
    raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_GATEWAY_URL (http:// or https://) and SMS_GATEWAY_TOKEN or SMS_WEBHOOK_TOKEN.")
if TASK_QUEUE not in {"database", "rq"}:
    raise ImproperlyConfigured(f"TASK_QUEUE: {TASK_QUEUE!r} is neither 'database' nor 'rq'.")
if SITE_URL and (urlsplit(SITE_URL).scheme not in {"http", "https"} or not urlsplit(SITE_URL).netloc):
    raise ImproperlyConfigured(f"SITE_URL: {SITE_URL!r} is not a full address; use e.g. https://sinergi.example.go.id")
if INVITATION_HOURS < 1:
    raise ImproperlyConfigured(f"INVITATION_HOURS={INVITATION_HOURS}: an activation link must be good for at least one hour")
if not DEBUG and SECRET_KEY == INSECURE_SECRET_KEY:
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is the built-in development key. Set SECRET_KEY to a long "
        "random value (or DEBUG=1 on a development machine)."
    )

if not DEBUG and AUDIT_KEY in ("", INSECURE_AUDIT_KEY):
    raise ImproperlyConfigured(
        "DEBUG is off but AUDIT_KEY is not set. Set AUDIT_KEY to a long random value kept outside the "
        "database (and AUDIT_KEY_ID to its name); see docs/operations.md, Audit."
    )
if not AUDIT_KEY_ID or len(AUDIT_KEY_ID) > 16 or any(c in AUDIT_KEY_ID for c in ":, "):
    raise ImproperlyConfigured(f"AUDIT_KEY_ID={AUDIT_KEY_ID!r}: 1 to 16 characters, without ':', ',' or spaces")
try:
    AUDIT_OLD_KEYS = key_pairs("AUDIT_OLD_KEYS", _old_audit_keys)
except EnvError as error:
    raise ImproperlyConfigured(str(error)) from None

DATABASES = {"default": database_settings(DATABASE_URL, VAR_DIR)}
# Request counts of the throttled public pages live in the database, shared by every server
# process (a per-process memory cache would multiply the allowance by the number of workers).
# The table is made by migration core.0001.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {"BACKEND": "sinergi.core.ratelimits.AtomicDatabaseCache", "LOCATION": "sinergi_rate_limit"},
}
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_IP_META_KEY = "sinergi.core.ratelimits.client_address"
RATELIMIT_VIEW = "sinergi.core.ratelimits.too_many_requests"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    # The deployment operator's admin at /admin/ (superusers only, every change audited): audit/admin_site.py.
    "sinergi.audit.apps.SinergiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_ratelimit",
    "ninja",
    "django_tasks_db",
    "sinergi.core",
    "sinergi.regions",
    "sinergi.elections",
    "sinergi.accounts",
    "sinergi.audit",
    "sinergi.stations",
    "sinergi.risk",
    "sinergi.guard",
    "sinergi.logistics",
    "sinergi.supervisors",
    "sinergi.cases",
    "sinergi.coordination",
    "sinergi.visits",
    "sinergi.situation",
    "sinergi.notifications",
    "sinergi.demo",  # `sinergi demo`: above every app, it calls each app's demo module
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sinergi.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session passed the TOTP step (accounts/totp.py).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Turns a throttled request (sinergi/core/ratelimits.py) into the 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes requires: it turns a lockout signalled by its backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sinergi.urls"
WSGI_APPLICATION = "sinergi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sinergi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sinergi.elections.context_processors.elections",
                # The header's unread count and the late-worker banner: one query, when shown.
                "sinergi.notifications.context_processors.header",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "sinergi.accounts.backends.AgencyModelBackend",
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "elections:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failures (django-axes), per username so that a whole office behind one
# NAT address is not locked out by one person's typos.
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The lockouts are shown in the operator's admin by accounts/admin.py, where lifting one is audited.
AXES_ENABLE_ADMIN = False
# axes.W006 asks to lock per IP address as well; we lock per username on purpose (see above).
# django_ratelimit.W001 warns about any cache backend it does not list; ours is Django's database
# cache with an atomic increment (its reason for not listing the database cache), core/ratelimits.py.
# The name authenticator apps show next to the account's username (the otpauth:// address).
OTP_TOTP_ISSUER = "Sinergi"

SILENCED_SYSTEM_CHECKS = ["axes.W006", "django_ratelimit.W001"]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "sinergi" / "locale"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "sinergi" / "static"]
STATIC_ROOT = VAR_DIR / "static"
if MEDIA_STORAGE == "local":
    _media = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}}
elif MEDIA_STORAGE == "s3":
    if not S3_BUCKET:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT_URL for a service other than AWS).")
    _media = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT_URL or None,
            "region_name": S3_REGION or None,
            "access_key": S3_ACCESS_KEY_ID or None,
            "secret_key": S3_SECRET_ACCESS_KEY or None,
            "default_acl": None,  # private: files are read through Sinergi's permission checks
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE: {MEDIA_STORAGE!r} is neither 'local' nor 's3'.")
STORAGES = {
    "default": _media,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Source maps (django-ninja's API docs ship 5 MB of them) are fetched only by a developer's tools:
# compressing them took most of collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
if DEBUG:
    # Development serves static files from the apps; an empty STATIC_ROOT keeps WhiteNoise quiet.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Background work (Django's tasks: field codes by SMS, supervisors/tasks.py; re-planning the
# distribution, logistics/tasks.py): queued in the database by django-tasks-db and run by a second
# process, `sinergi worker` (or `sinergi db_worker`; docs/operations.md). A queued task survives a restart of either
# process; nothing long runs inside a request. `sinergi worker` runs that worker and the periodic
# scheduler (core/schedule.py); a larger deployment may put the same tasks on Redis with RQ by
# changing only this setting (docs/operations.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
if TASK_QUEUE == "rq":
    # The same tasks on Redis through RQ (pip install -c constraints.txt django-tasks-rq; a Redis
    # server at REDIS_URL): run `sinergi rqworker --job-class django_tasks_rq.Job --with-scheduler
    # default` and `sinergi worker --scheduler-only` (docs/operations.md, "A larger deployment").
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 900}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}

# Security headers and cookies.
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60
# A field account (a PTPS) signs in before dawn on voting day and reports until the count ends,
# often past midnight: its sign-in lasts two days, set when it signs in (accounts/views.py).
FIELD_SESSION_AGE = 48 * 60 * 60
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = HSTS_SECONDS
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True

# Content Security Policy (Django 6): our own origin only; no inline script or style. The optional
# online tile server is the one outside origin allowed, for images.
_tile_origin = ""
if MAP_TILE_URL:
    _parts = urlsplit(MAP_TILE_URL)
    # Leaflet's {s} subdomain placeholder becomes a CSP wildcard.
    _tile_origin = f"{_parts.scheme}://{_parts.netloc.replace('{s}', '*')}"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([_tile_origin] if _tile_origin else [])],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Request bodies other than files; uploaded files are capped by each form (stations/forms.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
