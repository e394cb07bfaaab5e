"""Settings from the environment, one class per mode.

The mode is chosen explicitly with ``TRIBUNAL_ENV`` (``development``, ``testing`` or
``production``); anything else, including an unset variable, means production, which
refuses to start without a real ``SECRET_KEY``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# Values that must never serve as a production secret key.
WEAK_SECRET_KEYS = frozenset({"", "dev", "changeme", "change-me", "secret", "development", "test"})
MIN_SECRET_KEY_LENGTH = 32


class ConfigError(RuntimeError):
    """The configuration is unsafe or unusable; the app refuses to start."""


def _default_sqlite_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'tribunal.db'}"


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs written without one (postgres://, postgresql://)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _parse_iso_date(name: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an ISO date (YYYY-MM-DD), got {value!r}") from exc


FORM_OVERHEAD_BYTES = 64 * 1024


def _whole_number(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from exc


def _positive_int(name: str, value: str) -> int:
    number = _whole_number(name, value)
    if number <= 0:
        raise ConfigError(f"{name} must be positive, got {number}")
    return number


def _non_negative_int(name: str, value: str) -> int:
    number = _whole_number(name, value)
    if number < 0:
        raise ConfigError(f"{name} must be 0 or more, got {number}")
    return number


def _admiralty_grade(name: str, value: str) -> str:
    grade = value.strip().upper()
    if len(grade) != 2 or grade[0] not in "ABCDEF" or grade[1] not in "123456":
        raise ConfigError(f"{name} must be an Admiralty grade such as B2 (A-F then 1-6), got {value!r}")
    return grade


def _ern_prefix(value: str) -> str:
    prefix = value.strip()
    if not re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)*", prefix) or len(prefix) > 40:
        raise ConfigError(f"ERN_PREFIX must be capital letters and digits in parts joined by -, got {value!r}")
    return prefix


def _switch(name: str, value: str) -> bool:
    flag = value.strip().lower()
    if flag in ("1", "true", "yes", "on"):
        return True
    if flag in ("", "0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be 1 (on) or 0 (off), got {value!r}")


def engine_options(url: str, env: os._Environ[str] | dict[str, str]) -> dict[str, object]:
    """Connection pooling: on PostgreSQL a pool per process (DB_POOL_SIZE connections kept,
    DB_MAX_OVERFLOW more under load, recycled every 30 minutes); SQLite needs none.

    PostgreSQL's JIT compilation is turned off for the app's connections: it starts on any
    statement the planner prices high (a search of a common word over a million exhibits)
    and spent ~35 ms compiling for queries that then ran in a few; pages need answers in
    milliseconds, not long reports."""
    options: dict[str, object] = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        options.update(
            pool_size=_positive_int("DB_POOL_SIZE", env.get("DB_POOL_SIZE", "5")),
            max_overflow=_positive_int("DB_MAX_OVERFLOW", env.get("DB_MAX_OVERFLOW", "10")),
            pool_recycle=1800,
            pool_timeout=30,
            connect_args={"options": "-c jit=off"},
        )
    return options


class BaseConfig:
    ENV_NAME = "base"
    TESTING = False
    DEBUG = False

    def __init__(self) -> None:
        env = os.environ
        self.SECRET_KEY = env.get("SECRET_KEY", "")
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(env.get("DATABASE_URL") or _default_sqlite_url())
        self.EVIDENCE_DIR = env.get("EVIDENCE_DIR") or str(INSTANCE_DIR / "evidence")
        # The instance's Ed25519 key that signs exported case files (created on first use)
        self.EXPORT_KEY_PATH = env.get("EXPORT_KEY_PATH") or str(INSTANCE_DIR / "export-signing-key.pem")
        # The key that encrypts two-factor secrets (services/auth/two_factor.py; created on first use)
        self.TOTP_KEY_PATH = env.get("TOTP_KEY_PATH") or str(INSTANCE_DIR / "totp-key")
        # The key of the custody chains and the audit trail (services/common/chain_keys.py): created on
        # first start in development and testing; production refuses to start without it
        self.CHAIN_KEY_PATH = env.get("CHAIN_KEY_PATH") or str(INSTANCE_DIR / "chain-key")
        self.CHAIN_KEY_CREATE = True
        # Named in every case file's bag-info.txt
        self.SOURCE_ORGANIZATION = env.get("SOURCE_ORGANIZATION", "Tribunal Scope")
        # The Admiralty grade an imported sanctions listing starts with (source reliability A-F,
        # credibility 1-6): an official list is usually a reliable source of information
        # that other sources confirm only in part
        self.IMPORT_LISTING_GRADE = _admiralty_grade("IMPORT_LISTING_GRADE", env.get("IMPORT_LISTING_GRADE", "B2"))
        # The prefix of the evidence registration numbers stamped on disclosed PDF pages
        # (services/disclosure/stamping.py): STCA-OTP gives STCA-OTP-0001-0042
        self.ERN_PREFIX = _ern_prefix(env.get("ERN_PREFIX", "STCA-OTP"))
        # Four eyes on grades (services/evidence/confirmations.py): an exhibit graded A-C proves a
        # leadership (tenure) or conduct (involvement) fact only once a second analyst confirms the
        # link; until then it counts as partial. Off unless set. After changing it, run `flask
        # dossiers refresh` (the stored summaries of the dossiers index were computed without it)
        self.FOUR_EYES_GRADES = _switch("FOUR_EYES_GRADES", env.get("FOUR_EYES_GRADES", "0"))
        # The largest upload accepted, in bytes (1 GiB unless set); a larger one gets 413
        self.MAX_UPLOAD_BYTES = _positive_int("MAX_UPLOAD_BYTES", env.get("MAX_UPLOAD_BYTES", str(1024**3)))
        # The request also carries the form around the files
        self.MAX_CONTENT_LENGTH = self.MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES
        # Bulk intake (services/evidence/intake/): an intake holding more files, or more bytes once
        # unpacked (a zip bomb), is refused whole before anything is read
        self.INTAKE_MAX_FILES = _positive_int("INTAKE_MAX_FILES", env.get("INTAKE_MAX_FILES", "10000"))
        self.INTAKE_MAX_BYTES = _positive_int("INTAKE_MAX_BYTES", env.get("INTAKE_MAX_BYTES", str(20 * 1024**3)))
        # The largest body of any other request (a form, a JSON document: 4 MiB unless set);
        # only upload addresses take files, and only from users allowed to upload
        self.MAX_BODY_BYTES = _positive_int("MAX_BODY_BYTES", env.get("MAX_BODY_BYTES", str(4 * 1024**2)))
        self.TEMPORAL_SCOPE_START = _parse_iso_date(
            "TEMPORAL_SCOPE_START", env.get("TEMPORAL_SCOPE_START", "2014-02-20")
        )
        # The queue of background jobs (services/jobs/queue.py): Redis when REDIS_URL is set (several
        # servers share it), else huey's SQLite storage in this file, which needs no service
        self.REDIS_URL = env.get("REDIS_URL", "").strip() or None
        self.JOBS_DB = env.get("JOBS_DB") or str(INSTANCE_DIR / "jobs.sqlite3")
        self.JOBS_MEMORY = False
        self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(self.SQLALCHEMY_DATABASE_URI, env)
        self.SQLALCHEMY_TRACK_MODIFICATIONS = False
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = env.get("SESSION_COOKIE_SECURE", "0") == "1"
        self.WTF_CSRF_ENABLED = True
        # Sign-in sessions end after this much inactivity, and in any case after the lifetime.
        self.SESSION_IDLE_MINUTES = int(env.get("SESSION_IDLE_MINUTES", "30"))
        self.SESSION_LIFETIME_HOURS = int(env.get("SESSION_LIFETIME_HOURS", "12"))
        self.PERMANENT_SESSION_LIFETIME = dt.timedelta(hours=self.SESSION_LIFETIME_HOURS)
        self.SESSION_COOKIE_NAME = "tribunal_session"
        self.LIST_PER_PAGE = 50
        # Rendered dossier and index pages each worker keeps until the data changes (views/page_cache.py),
        # in bytes; 0 turns the cache off
        self.PAGE_CACHE_BYTES = _non_negative_int("PAGE_CACHE_BYTES", env.get("PAGE_CACHE_BYTES", str(64 * 1024**2)))
        # With REDIS_URL set, every server also keeps them in Redis (sealed) for the others, each
        # for this many seconds; PAGE_CACHE_SHARED=0 keeps them in each worker only
        self.PAGE_CACHE_SHARED = env.get("PAGE_CACHE_SHARED", "1") != "0"
        self.PAGE_CACHE_TTL = _positive_int("PAGE_CACHE_TTL", env.get("PAGE_CACHE_TTL", "3600"))
        # Argon2id parameters for new password hashes (services/auth/accounts.py HASH_COSTS)
        self.ARGON2_COST = "standard"
        # How many reverse proxies in front of the app append to X-Forwarded-For: the client's
        # address (which sign-in throttling counts by) is read from that header only when this
        # is set, and then only as far as those proxies vouch for it; 0 trusts the header never
        self.TRUSTED_PROXY_COUNT = _non_negative_int("TRUSTED_PROXY_COUNT", env.get("TRUSTED_PROXY_COUNT", "0"))
        # E-mail for notifications (services/workspace/mail.py): only when SMTP_HOST is set
        self.SMTP_HOST = env.get("SMTP_HOST", "").strip() or None
        self.SMTP_PORT = _positive_int("SMTP_PORT", env.get("SMTP_PORT", "25"))
        self.SMTP_USER = env.get("SMTP_USER") or None
        self.SMTP_PASSWORD = env.get("SMTP_PASSWORD") or None
        self.SMTP_FROM = env.get("SMTP_FROM") or "tribunal-scope@localhost"
        self.SMTP_STARTTLS = env.get("SMTP_STARTTLS", "0") == "1"
        # The address users reach the app at, for the link in a notification's e-mail
        self.PUBLIC_URL = env.get("PUBLIC_URL", "").strip() or None

    def validate(self) -> None:
        """Raise ConfigError when the settings are unsafe for this mode."""


class DevelopmentConfig(BaseConfig):
    ENV_NAME = "development"
    DEBUG = False  # the interactive debugger stays off even in development

    def __init__(self) -> None:
        super().__init__()
        if not self.SECRET_KEY:
            self.SECRET_KEY = _instance_secret_key()


class TestingConfig(BaseConfig):
    __test__ = False  # not a pytest test class
    ENV_NAME = "testing"
    TESTING = True

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = self.SECRET_KEY or secrets.token_hex(32)
        # Tests change data inside one rolled-back transaction, seen by every request without a
        # commit: the page cache is turned on by the tests that check it (tests/test_views/test_page_cache.py)
        self.PAGE_CACHE_BYTES = 0
        self.PAGE_CACHE_SHARED = False  # a test's rolled-back generations would meet another's in Redis
        # One Argon2 verify per sign-in at the standard cost would dominate the suite's time;
        # hashes made with this cost are worthless outside the tests, and no other mode uses it
        self.ARGON2_COST = "test"
        # Jobs wait in memory and run only where a test runs them (tests/test_services/test_jobs.py)
        self.JOBS_MEMORY = True


class ProductionConfig(BaseConfig):
    ENV_NAME = "production"

    def __init__(self) -> None:
        super().__init__()
        self.CHAIN_KEY_CREATE = False  # `make chain-key` creates it, once
        # SQL errors in the log name the statement, never the values (passwords, testimony)
        self.SQLALCHEMY_ENGINE_OPTIONS["hide_parameters"] = True

    def validate(self) -> None:
        if os.environ.get("FLASK_DEBUG", "").strip().lower() not in ("", "0", "false", "no"):
            raise ConfigError(
                "FLASK_DEBUG is set: the debugger runs any code a visitor sends, so production refuses to start with it"
            )
        key = self.SECRET_KEY
        if key.strip().lower() in WEAK_SECRET_KEYS or len(key) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(
                "SECRET_KEY must be set to a random value of at least "
                f"{MIN_SECRET_KEY_LENGTH} characters in production "
                "(python -c 'import secrets; print(secrets.token_hex(32))')"
            )


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> BaseConfig:
    """The settings object for the mode named by TRIBUNAL_ENV (production when unset)."""
    name = os.environ.get("TRIBUNAL_ENV", "production").strip().lower()
    return CONFIGS.get(name, ProductionConfig)()


def _instance_secret_key() -> str:
    """A per-checkout random key for development, kept in instance/ so sessions survive restarts."""
    path = INSTANCE_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
