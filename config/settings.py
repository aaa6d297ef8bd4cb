"""Settings of apart, read from the environment with safe defaults.

Every variable is documented in README.md and .env.example. APART_ENV selects the profile:
``development`` (default: DEBUG, SQLite under var/, demo mailbox), ``test`` (the test suite) or
``production`` (refuses to start without a real SECRET_KEY, ALLOWED_HOSTS and HTTPS).
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config import safety
from config.env import env_bool, env_decimal, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

APART_ENV = env_str("APART_ENV", "development")
if APART_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("APART_ENV must be development, test or production")
IS_PRODUCTION = APART_ENV == "production"

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", APART_ENV == "development")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Automated tests only: every captcha of the site accepts this answer. Never in production.
APART_CAPTCHA_TEST_ANSWER = env_str("APART_CAPTCHA_TEST_ANSWER")

# Public address used in email links (production: https, required).
APART_PUBLIC_URL = env_str("APART_PUBLIC_URL", "http://127.0.0.1:8000")
# Addresses of the reverse proxies in front of the nodes (nginx), comma-separated. A request from
# one of them is counted for the right-most X-Forwarded-For address that is not a proxy (per-address
# login, registration and recovery limits), and only its X-Forwarded-Proto is believed (HTTPS).
# Empty (the default): REMOTE_ADDR as is, no forwarded header believed.
APART_TRUSTED_PROXIES = env_list("APART_TRUSTED_PROXIES")

if IS_PRODUCTION:
    for _refusal in (
        safety.secret_key_refusal(SECRET_KEY, dev_key=_DEV_SECRET_KEY),
        safety.allowed_hosts_refusal(ALLOWED_HOSTS, given=bool(env_str("ALLOWED_HOSTS"))),
        safety.public_url_refusal(APART_PUBLIC_URL, given=bool(env_str("APART_PUBLIC_URL"))),
        safety.trusted_proxies_refusal(APART_TRUSTED_PROXIES),
    ):
        if _refusal:
            raise ImproperlyConfigured(_refusal)
    if APART_CAPTCHA_TEST_ANSWER:
        raise ImproperlyConfigured("APART_CAPTCHA_TEST_ANSWER is never honoured in production")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production")

INSTALLED_APPS = [
    "apart.accounts.apps.ApartAdminConfig",  # django.contrib.admin, administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "dsfr",
    "captcha",
    "apart.core",
    "apart.audit",
    "apart.directory",
    "apart.accounts",
    "apart.accounts.recovery",
    "apart.mfa",
    "apart.establishments",
    "apart.habilitations",
    "apart.notifications",
    "apart.registration",
    "apart.space",
    "apart.backoffice",
    "apart.dap",
    "apart.claims",
    "apart.fraud",
    "apart.privacy",
    "apart.proconnect",
    "apart.metrics",
]

MIDDLEWARE = [
    "apart.core.requestid.RequestIdMiddleware",  # first: every log line of the request has its id
    "apart.metrics.middleware.RequestMetricsMiddleware",  # latency of the whole chain, per route
    "apart.core.proxy.TrustedProxyMiddleware",  # the client address behind nginx
    "django.middleware.security.SecurityMiddleware",
    # the language first: every page from here on (the 413 one included) is in the user's own,
    # not in the one this worker thread served last
    "apart.core.middleware.CookieLocaleMiddleware",
    "apart.core.uploads.UploadLimitMiddleware",  # before anything reads the body
    "apart.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "apart.accounts.middleware.SessionTimeoutMiddleware",
    "apart.accounts.middleware.AccountStateMiddleware",
    "apart.accounts.middleware.PasswordChangeGateMiddleware",
    "apart.mfa.middleware.SecondFactorGateMiddleware",
    "apart.accounts.middleware.FormDraftMiddleware",  # after the gates (a kept form's values)
    "apart.core.errors.UserErrorMiddleware",  # a refusal no view handled: an alert, same page
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "apart.core.context_processors.site",
                "apart.space.context_processors.space",
                "apart.accounts.context_processors.session_timeout",
            ],
        },
    }
]

# Django's renderer, with the plain <input> widgets written without templates (same output),
# and one DSFR rendering of every form field: ``{{ form.x.as_field_group }}``.
FORM_RENDERER = "apart.core.rendering.DsfrFormRenderer"

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'apart.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at BEGIN,
    # so concurrent writers queue (busy timeout) instead of failing with "database is locked".
    # Connections persist as on PostgreSQL (DATABASE_CONN_MAX_AGE): opening one per request,
    # with its PRAGMAs, was an eighth of a login's time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, rate limits -----------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# Sessions: Django's cached_db (Redis) or db engines, writing a login's session once
# (apart.accounts.session_engines).
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "apart.core.cache.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "apart.accounts.session_engines.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "apart.accounts.session_engines.db"

# Parts of pages the same for every request of a language (page frame: head, brand, menus,
# footer; home page introduction, empty login form; never a user, token or nonce): rendered once
# per process, kept in process memory ({% frame %}, apart/core/templatetags/frames.py).
APART_KEEP_FRAMES = True

SESSION_COOKIE_AGE = 12 * 3600  # absolute timeout (12 h), enforced by the accounts app too
SESSION_IDLE_TIMEOUT = env_int("APART_SESSION_IDLE_SECONDS", 30 * 60)
# The page warns this long before the idle timeout, with « Prolonger ma session » (RGAA 13.1:
# at least 20 s to act; shorter sessions warn at half their length).
APART_SESSION_WARNING_SECONDS = max(env_int("APART_SESSION_WARNING_SECONDS", 2 * 60), 20)
# What a form sent after the session or the reauthentication window ended holds is kept this
# long for the same account (apart.accounts.drafts).
APART_DRAFT_SECONDS = env_int("APART_DRAFT_SECONDS", 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# --- Email ------------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@asp-public.fr")
# With no SMTP server configured in development, emails stay in the outbox and are read in the
# demo mailbox ("boîte de réception de démonstration"); it never exists in production.
APART_DEMO_MAILBOX = not IS_PRODUCTION and env_bool("APART_DEMO_MAILBOX", not EMAIL_HOST)

# --- Email outbox (apart.notifications; worker: `manage.py outbox_worker`) ---------------------
# Display name of the sender, shown before DEFAULT_FROM_EMAIL ("" for the bare address).
APART_EMAIL_FROM_NAME = env_str("APART_EMAIL_FROM_NAME", "Agence de Services et de Paiement (ASP)")
APART_OUTBOX_POLL_SECONDS = env_int("APART_OUTBOX_POLL_SECONDS", 2)
APART_OUTBOX_BATCH_SIZE = env_int("APART_OUTBOX_BATCH_SIZE", 50)
# A claimed row not marked sent within this lease (worker killed) is claimed again by another.
APART_OUTBOX_LEASE_SECONDS = env_int("APART_OUTBOX_LEASE_SECONDS", 300)
# Retry back-off after a failed send: base, 2×base, 4×base... capped; retried at the cap for ever.
APART_OUTBOX_RETRY_BASE_SECONDS = env_int("APART_OUTBOX_RETRY_BASE_SECONDS", 30)
APART_OUTBOX_RETRY_MAX_SECONDS = env_int("APART_OUTBOX_RETRY_MAX_SECONDS", 3600)

# --- Passwords --------------------------------------------------------------------------------
# One hasher per algorithm name: Django verifies a stored hash with the LAST hasher of this list
# that has its algorithm, so Django's own Argon2 hasher must not follow ours (ours reads every
# Argon2 hash it can: tests/accounts/test_hashing.py).
PASSWORD_HASHERS = [
    "apart.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# --- Accounts: password policy, temporary passwords, login limits (apart.accounts) ------------
# The policy of the guide, in one place: PasswordPolicyValidator's options drive both the checks
# and the text shown to users (apart.accounts.passwords.policy_sentence / policy_rules).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "apart.accounts.passwords.PasswordPolicyValidator",
        "OPTIONS": {
            "min_length": env_int("APART_PASSWORD_MIN_LENGTH", 8),
            "min_lower": 1,
            "min_upper": 1,
            "min_digits": 1,
            "min_special": 1,
        },
    },
    {"NAME": "apart.accounts.passwords.FrenchCommonPasswordValidator"},
]
# A temporary password (sent by email) opens one session, within this many days.
APART_TEMPORARY_PASSWORD_DAYS = env_int("APART_TEMPORARY_PASSWORD_DAYS", 30)
# Brute force: per typed login, N attempts in the window, then locked (CNIL, 8-char passwords).
APART_LOGIN_MAX_FAILURES = env_int("APART_LOGIN_MAX_FAILURES", 5)
APART_LOGIN_FAILURE_WINDOW_SECONDS = env_int("APART_LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
APART_LOGIN_LOCKOUT_SECONDS = env_int("APART_LOGIN_LOCKOUT_SECONDS", 15 * 60)
# Per client IP address: login attempts (successful or not) in the window.
APART_LOGIN_IP_MAX_ATTEMPTS = env_int("APART_LOGIN_IP_MAX_ATTEMPTS", 100)
APART_LOGIN_IP_WINDOW_SECONDS = env_int("APART_LOGIN_IP_WINDOW_SECONDS", 15 * 60)
# Site-wide quotas per hour (apart.core.quotas), far above real traffic: what stops a script
# spread over many addresses. Surge mode (manage.py surge on) divides every quota by the divisor.
APART_GLOBAL_QUOTAS = {
    "registration": env_int("APART_GLOBAL_REGISTRATIONS_PER_HOUR", 3000),
    "recovery": env_int("APART_GLOBAL_RECOVERIES_PER_HOUR", 6000),
    "login": env_int("APART_GLOBAL_LOGINS_PER_HOUR", 360000),
}
APART_SURGE_DIVISOR = env_int("APART_SURGE_DIVISOR", 5)
# Per client IP address: lockouts it caused in the last hour before its attempts are refused
# (locking many people out takes many addresses).
APART_LOGIN_IP_MAX_LOCKS = env_int("APART_LOGIN_IP_MAX_LOCKS", 5)
# Dotted paths of callables (account) -> French refusal message | None, run after the password
# is verified (the habilitations app registers its gate here).
APART_LOGIN_CHECKS: list[str] = ["apart.habilitations.gate.login_refusal"]
# Dotted path of a callable (request, account) -> URL | None run last: an account with a second
# factor is sent to that URL before any session opens (apart.mfa).
APART_LOGIN_SECOND_STEP = "apart.mfa.login.second_step"
# The same for « Confirmez votre identité » (recent authentication): an object with
# needed(account) and begin(request, account, next_path) -> URL (apart.mfa.reauth).
APART_REAUTH_SECOND_STEP = "apart.mfa.reauth.SECOND_STEP"

# --- Second factor (apart.mfa; docs/mfa.md) ---------------------------------------------------
# Agents must always use one; this makes it mandatory for employers too (enrolment at login).
APART_MFA_REQUIRED_FOR_EMPLOYERS = env_bool("APART_MFA_REQUIRED_FOR_EMPLOYERS", False)
# Between the password and the second factor, the half-open login waits this long.
APART_MFA_PENDING_SECONDS = env_int("APART_MFA_PENDING_SECONDS", 5 * 60)
# Name shown in authenticator apps and passkey managers.
APART_MFA_ISSUER = env_str("APART_MFA_ISSUER", "Activité Partielle (ASP)")
# WebAuthn relying party: by default the host name of the request (checked against ALLOWED_HOSTS)
# and its origin; set them when the site answers under several names.
APART_WEBAUTHN_RP_ID = env_str("APART_WEBAUTHN_RP_ID")
APART_WEBAUTHN_ORIGINS = env_list("APART_WEBAUTHN_ORIGINS")
LOGIN_REDIRECT_URL = "/espace/"
# Dotted paths of callables (request) -> URL | None, asked by the logout view before the session
# ends: the first URL returned is where the browser goes next (the identity provider's
# end-session endpoint for a session opened through ProConnect), instead of the home page.
APART_LOGOUT_REDIRECTS: list[str] = ["apart.proconnect.views.end_session_redirect"]
# Sensitive changes (secret question, email, phone, bank details, colleagues, main contact) ask
# for the current password again; it stays valid this long in the session (apart.accounts.reauth).
APART_RECENT_AUTH_SECONDS = env_int("APART_RECENT_AUTH_SECONDS", 10 * 60)
# The « Ce n'était pas moi ? » link of a sensitive-change email freezes the account; valid this
# many days, once.
APART_NOT_ME_LINK_DAYS = env_int("APART_NOT_ME_LINK_DAYS", 30)
# An open session re-checks its account (habilitation gate, login lock) at most this long after
# the previous check (cached in between; capped at 60 s). Freezes are checked on every request.
APART_ACCESS_CHECK_SECONDS = env_int("APART_ACCESS_CHECK_SECONDS", 30)

# --- Account recovery: forgotten password / login (apart.accounts.recovery; guide ch. 3-4) ------
# The emailed reset link (jeton) is valid this long, once, and only while it is the newest one.
APART_RECOVERY_TOKEN_MINUTES = env_int("APART_RECOVERY_TOKEN_MINUTES", 60)
# Wrong secret answers per account (and per typed value) before recovery locks for LOCK_MINUTES;
# the account holder is warned by email when it locks.
APART_RECOVERY_MAX_ANSWER_FAILURES = env_int("APART_RECOVERY_MAX_ANSWER_FAILURES", 3)
APART_RECOVERY_LOCK_MINUTES = env_int("APART_RECOVERY_LOCK_MINUTES", 30)
# The guide asks the secret question before sending anything; a deployment allowed to rely on the
# mailbox alone (ASVS/NIST advise against secret questions) may turn the step off.
APART_RECOVERY_SECRET_QUESTION = env_bool("APART_RECOVERY_SECRET_QUESTION", True)
# Decoy questions (unknown values) are drawn from the questions in use by at least this many
# accounts, weighted by use; the pool is cached this many seconds (see recovery/decoys.py).
APART_RECOVERY_DECOY_FLOOR = env_int("APART_RECOVERY_DECOY_FLOOR", 5)
APART_RECOVERY_DECOY_POOL_SECONDS = env_int("APART_RECOVERY_DECOY_POOL_SECONDS", 600)
# Per client IP, for each step (form posts) and for wrong captchas, within the window.
APART_RECOVERY_IP_MAX_POSTS = env_int("APART_RECOVERY_IP_MAX_POSTS", 30)
APART_RECOVERY_IP_MAX_CAPTCHA_FAILURES = env_int("APART_RECOVERY_IP_MAX_CAPTCHA_FAILURES", 10)
APART_RECOVERY_IP_WINDOW_MINUTES = env_int("APART_RECOVERY_IP_WINDOW_MINUTES", 60)
# Emails (reset links, login reminders) per account or typed value per hour: no mailbox flooding.
APART_RECOVERY_MAX_EMAILS_PER_HOUR = env_int("APART_RECOVERY_MAX_EMAILS_PER_HOUR", 5)
# The journey's state (what was typed at step 1) is forgotten after this long.
APART_RECOVERY_STATE_MINUTES = env_int("APART_RECOVERY_STATE_MINUTES", 15)

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
# Where collectstatic writes (nginx may serve it directly in production).
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # WhiteNoise's compressed storage, not the manifest one (it rewrites the DSFR CSS and breaks its
    # SRI hashes); each file's URL computed once per process.
    "staticfiles": {"BACKEND": "apart.core.staticfiles.StaticStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Captcha (django-simple-captcha) ----------------------------------------------------------
CAPTCHA_FONT_SIZE = 32
CAPTCHA_LETTER_ROTATION = (-15, 15)
CAPTCHA_LENGTH = 6
CAPTCHA_TIMEOUT = 10  # minutes
# A captcha solved on a form shown again for a non-blocking check only is not asked again on
# its next submission, within this delay (apart/core/captcha_proof.py).
APART_CAPTCHA_PROOF_SECONDS = env_int("APART_CAPTCHA_PROOF_SECONDS", 10 * 60)
CAPTCHA_IMAGE_SIZE = (180, 50)

# --- Service ----------------------------------------------------------------------------------
APART_SERVICE_NAME = "Activité Partielle"
APART_ASSISTANCE_PHONE = env_str("APART_ASSISTANCE_PHONE", "0800.705.800")
APART_ASSISTANCE_HOURS = env_str("APART_ASSISTANCE_HOURS", "08h00 à 18h00")

# --- Registration: "Créer mon espace" (apart.registration) -----------------------------------
# Step 2 must follow step 1 within this many seconds (the SIRET validated at step 1 is signed
# with a timestamp in the session).
APART_REGISTRATION_STEP1_MAX_AGE = env_int("APART_REGISTRATION_STEP1_MAX_AGE", 30 * 60)
# Submissions of each step allowed per client address and window (atomic counter, see
# apart.core.ratelimit); generous because an office may share one address.
# Step 2 answers no sooner than this, whether the email was new (account and space written) or
# known (an emailed claim): the clock does not tell who has an account (docs/security.md).
APART_REGISTRATION_MIN_SECONDS = env_int("APART_REGISTRATION_MIN_MS", 150) / 1000
APART_REGISTRATION_RATE_LIMIT = env_int("APART_REGISTRATION_RATE_LIMIT", 30)
APART_REGISTRATION_RATE_WINDOW = env_int("APART_REGISTRATION_RATE_WINDOW_SECONDS", 10 * 60)

# --- Habilitations ------------------------------------------------------------------------------
# Renewal reminder sent this many days before an habilitation's end date (habilitations_lifecycle).
APART_HABILITATION_REMINDER_DAYS = env_int("APART_HABILITATION_REMINDER_DAYS", 30)
# Deposit deadlines quoted in the email "Habilitation à l'activité partielle": the DAP within N days
# of the placement in activité partielle, the claims within N months of the end of the period.
APART_DAP_DEADLINE_DAYS = env_int("APART_DAP_DEADLINE_DAYS", 30)
APART_CLAIM_DEADLINE_MONTHS = env_int("APART_CLAIM_DEADLINE_MONTHS", 6)

# --- DAP, decisions and DI (apart.dap, apart.claims; docs/dap.md) ------------------------------
# Code du travail R5122-4: without a decision this many days after the DAP was received, the
# authorisation is granted (`manage.py dap_implicit_decisions`, scheduled daily, records it).
APART_DAP_SILENCE_DAYS = env_int("APART_DAP_SILENCE_DAYS", 15)
# R5122-2: the CSE's opinion goes with the DAP from this workforce on.
APART_DAP_CSE_WORKFORCE = env_int("APART_DAP_CSE_WORKFORCE", 50)
# R5122-9: commitments are required after a use of partial activity within this many months.
APART_DAP_PREVIOUS_USE_MONTHS = env_int("APART_DAP_PREVIOUS_USE_MONTHS", 36)
# Attachments: PDF only, this size at most, this many per DAP (stored under MEDIA_ROOT).
APART_DAP_ATTACHMENT_MAX_BYTES = env_int("APART_DAP_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
APART_DAP_MAX_ATTACHMENTS = env_int("APART_DAP_MAX_ATTACHMENTS", 10)
# The ministry named under « RÉPUBLIQUE FRANÇAISE » at the head of the decision document (PDF):
# its name changes with governments.
APART_DECISION_MINISTRY = env_str(
    "APART_DECISION_MINISTRY", "Ministère du Travail et des Solidarités"
)
# Uploads (apart.core.uploads): a file stops being read past this size, and a body announced
# larger than it plus the form around it is refused before it is read. nginx: 6m.
APART_UPLOAD_MAX_BYTES = APART_DAP_ATTACHMENT_MAX_BYTES
APART_UPLOAD_FORM_OVERHEAD_BYTES = 64 * 1024
FILE_UPLOAD_HANDLERS = [
    "apart.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Allocation d'activité partielle paid to the employer per hour not worked (R5122-12 and
# D5122-13): RATE × the hourly gross pay, that pay counted up to CEILING_SMIC × SMIC_HOURLY, and
# never below FLOOR. These amounts change by decree (and the SMIC every year): update them here.
APART_ALLOWANCE_RATE = env_decimal("APART_ALLOWANCE_RATE", "0.36")
APART_ALLOWANCE_FLOOR = env_decimal("APART_ALLOWANCE_FLOOR", "8.57")
APART_SMIC_HOURLY = env_decimal("APART_SMIC_HOURLY", "11.88")
APART_ALLOWANCE_CEILING_SMIC = env_decimal("APART_ALLOWANCE_CEILING_SMIC", "4.5")

# --- Fraud signals (apart.fraud; docs/fraud.md) ---------------------------------------------
# No signal blocks an employer by itself: they inform the agents and raise the risk level.
# A change of bank details less than this many days before a DI's submission marks it for review.
APART_FRAUD_BANK_CHANGE_DAYS = env_int("APART_FRAUD_BANK_CHANGE_DAYS", 30)
# A legal unit or establishment created less than this many months before the placement.
APART_FRAUD_RECENT_CREATION_MONTHS = env_int("APART_FRAUD_RECENT_CREATION_MONTHS", 6)
# Same IBAN, phone, email or registration address for this many other, unrelated SIRENs.
APART_FRAUD_SHARED_SIRENS = env_int("APART_FRAUD_SHARED_SIRENS", 1)
# A burst: this many registrations or DAPs from one address or one email domain within the window
# (common webmail domains are not counted as one "domain" for bursts).
APART_FRAUD_BURST_COUNT = env_int("APART_FRAUD_BURST_COUNT", 5)
APART_FRAUD_BURST_HOURS = env_int("APART_FRAUD_BURST_HOURS", 24)
# Risk level from the weights of the signals raised (docs/fraud.md lists each weight): medium
# from this score, high (a second agent must approve) from this one.
APART_FRAUD_MEDIUM_SCORE = env_int("APART_FRAUD_MEDIUM_SCORE", 2)
APART_FRAUD_HIGH_SCORE = env_int("APART_FRAUD_HIGH_SCORE", 5)
# Uploaded files (DAP attachments): never served as static files, only by views that check
# who asks.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")

# INSEE API Sirene 3.11 (second source of the directory); empty URL = local directory only.
APART_SIRENE_API_URL = env_str("APART_SIRENE_API_URL")
APART_SIRENE_API_KEY = env_str("APART_SIRENE_API_KEY")
APART_SIRENE_API_TIMEOUT = env_int("APART_SIRENE_API_TIMEOUT", 5)

# --- Employer's space: establishments, colleagues, "Mon compte" (apart.establishments, apart.space)
# A colleague's invitation link is valid this many days, once; invitations per establishment/day.
APART_INVITATION_DAYS = env_int("APART_INVITATION_DAYS", 7)
APART_INVITATIONS_PER_DAY = env_int("APART_INVITATIONS_PER_DAY", 20)
# "DEMANDE CRÉATION DE COMPTE" while logged in: SIRETs checked per account per hour.
APART_ADD_SIRET_PER_HOUR = env_int("APART_ADD_SIRET_PER_HOUR", 20)
# The link confirming a new email address is valid this many hours; requests per account/day.
APART_EMAIL_CHANGE_HOURS = env_int("APART_EMAIL_CHANGE_HOURS", 24)
APART_EMAIL_CHANGES_PER_DAY = env_int("APART_EMAIL_CHANGES_PER_DAY", 5)
# "Créer mon espace" with the email of an existing account (the guide's case 2, with proof):
# the link sent to that account is valid this many hours, once; such emails per account/day.
APART_SIRET_CLAIM_HOURS = env_int("APART_SIRET_CLAIM_HOURS", 48)
APART_SIRET_CLAIMS_PER_DAY = env_int("APART_SIRET_CLAIMS_PER_DAY", 5)
# Email domains of the agents (comma-separated): never usable for an employer space.
APART_AGENT_EMAIL_DOMAINS = [
    domain.strip().lower()
    for domain in env_str("APART_AGENT_EMAIL_DOMAINS", "asp-public.fr").split(",")
    if domain.strip()
]

# --- ProConnect: "S'identifier avec ProConnect" (apart.proconnect; docs/proconnect.md) -----------
# Unset issuer: no button, no route, nothing changes. Discovery reads
# {issuer}/.well-known/openid-configuration (ProConnect's integration environment, for instance).
APART_PROCONNECT_ISSUER = env_str("APART_PROCONNECT_ISSUER").rstrip("/")
APART_PROCONNECT_CLIENT_ID = env_str("APART_PROCONNECT_CLIENT_ID")
APART_PROCONNECT_CLIENT_SECRET = env_str("APART_PROCONNECT_CLIENT_SECRET")
# Required assurance level (acr), e.g. eidas1; empty: any level. See apart/proconnect/acr.py.
APART_PROCONNECT_ACR = env_str("APART_PROCONNECT_ACR")
APART_PROCONNECT_SCOPES = env_str(
    "APART_PROCONNECT_SCOPES", "openid email given_name usual_name uid siret phone"
)
# Seconds before a call to the provider (discovery, token, keys, userinfo) is given up.
APART_PROCONNECT_TIMEOUT = env_int("APART_PROCONNECT_TIMEOUT", 5)
# Email domains (after the @) whose ProConnect identities may be linked to agents' accounts.
APART_PROCONNECT_AGENT_EMAIL_DOMAINS = [
    domain.lower().lstrip("@") for domain in env_list("APART_PROCONNECT_AGENT_EMAIL_DOMAINS")
]
# Origins a form may be redirected to (CSP form-action): the provider's sign-in and logout.
APART_CSP_FORM_ACTION = env_list(
    "APART_CSP_FORM_ACTION",
    ["/".join(APART_PROCONNECT_ISSUER.split("/")[:3])] if APART_PROCONNECT_ISSUER else [],
)
# The emailed link that proves an account is valid this many minutes, once.
APART_PROCONNECT_LINK_MINUTES = env_int("APART_PROCONNECT_LINK_MINUTES", 30)
# The verified identity waits this long in the session for its account to be proven.
APART_PROCONNECT_PENDING_MINUTES = env_int("APART_PROCONNECT_PENDING_MINUTES", 15)
if APART_PROCONNECT_ISSUER:
    if not (APART_PROCONNECT_CLIENT_ID and APART_PROCONNECT_CLIENT_SECRET):
        raise ImproperlyConfigured(
            "APART_PROCONNECT_ISSUER needs APART_PROCONNECT_CLIENT_ID and _CLIENT_SECRET"
        )
    if IS_PRODUCTION and not APART_PROCONNECT_ISSUER.startswith("https://"):
        raise ImproperlyConfigured("APART_PROCONNECT_ISSUER must be an https:// URL in production")

# --- Personal data (RGPD): retention periods (apart.privacy; docs/rgpd.md) ----------------------
# `manage.py purge_personal_data` (run it daily) anonymises or deletes what is past its period.
# Employers without login for this long and without a pending or active habilitation: anonymised.
APART_RETENTION_INACTIVE_ACCOUNT_DAYS = env_int("APART_RETENTION_INACTIVE_ACCOUNT_DAYS", 3 * 365)
# What was typed in "Créer mon espace" (once decided) and colleagues' invitations: deleted.
APART_RETENTION_REGISTRATION_REQUEST_DAYS = env_int(
    "APART_RETENTION_REGISTRATION_REQUEST_DAYS", 365
)
# Sent (or refused) emails: deleted from the outbox.
APART_RETENTION_EMAIL_DAYS = env_int("APART_RETENTION_EMAIL_DAYS", 180)
# Password reset tokens (valid one hour anyway): deleted.
APART_RETENTION_TOKEN_DAYS = env_int("APART_RETENTION_TOKEN_DAYS", 30)
# IP addresses and browser names (audit rows, requests, last login): cleared; the rows stay.
APART_RETENTION_CONNECTION_DATA_DAYS = env_int("APART_RETENTION_CONNECTION_DATA_DAYS", 365)

# --- Security ---------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Believed only from APART_TRUSTED_PROXIES: apart.core.proxy drops the header otherwise.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The language choice too: every cookie of the site is Secure, HttpOnly and SameSite.
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True
    LANGUAGE_COOKIE_SAMESITE = "Lax"

# Logs: one JSON object per line in production (APART_LOG_FORMAT=json), plain text otherwise;
# every line carries the request id (apart.core.requestid), "-" outside a request.
APART_LOG_FORMAT = env_str("APART_LOG_FORMAT", "json" if IS_PRODUCTION else "text")
if APART_LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("APART_LOG_FORMAT must be json or text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "apart.core.requestid.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": APART_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # fpdf2 subsets the PDF font with fontTools, which says each step at INFO.
        "fontTools": {"level": "WARNING"},
    },
}

# Metrics for operators at /metrics (apart.metrics, docs/operations.md): never public. Readable
# from APART_METRICS_ALLOWED_NETWORKS (CIDR list; loopback outside production, none in production)
# or with "Authorization: Bearer $APART_METRICS_TOKEN".
APART_METRICS_ALLOWED_NETWORKS = env_list(
    "APART_METRICS_ALLOWED_NETWORKS", [] if IS_PRODUCTION else ["127.0.0.0/8", "::1/128"]
)
APART_METRICS_TOKEN = env_str("APART_METRICS_TOKEN")

# Optional error reporting to Sentry, secrets scrubbed before sending (apart.core.error_reporting).
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from apart.core.error_reporting import init_error_reporting

    init_error_reporting(
        dsn=SENTRY_DSN,
        environment=APART_ENV,
        traces_sample_rate=float(env_decimal("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

AUTH_USER_MODEL = "accounts.Account"
# Django's ModelBackend, reading an open session's account with one prepared statement (a session
# opened under another backend's name is not recognised: its holder logs in again once).
AUTHENTICATION_BACKENDS = ["apart.accounts.backends.AccountBackend"]
LOGIN_URL = "/connexion/"
