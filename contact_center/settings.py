"""Settings from environment variables, with embedded defaults (SQLite, memory channels)."""

from __future__ import annotations

import dataclasses
import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_APP_URL = "http://127.0.0.1:8000"


def _var_dir() -> Path:
    return Path(os.environ.get("CC_VAR_DIR", "var")).resolve()


def _secret_key(var_dir: Path) -> str:
    """A stable signing key: from the environment, else one generated once and kept under var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


@dataclass(frozen=True, slots=True)
class DatabaseSettings:
    url: str
    echo: bool = False
    # Connections kept open per process. Above it, extra connections are opened and closed per request,
    # which costs PostgreSQL a process fork each: keep it at least the requests one worker has in flight.
    pool_size: int = 30

    @property
    def backend(self) -> str:
        return "postgresql" if self.url.startswith("postgresql") else "sqlite"


@dataclass(frozen=True, slots=True)
class AmiSettings:
    host: str = "127.0.0.1"
    port: int = 5038
    user: str = "cc"
    secret: str = field(default="cc-secret", repr=False)


@dataclass(frozen=True, slots=True)
class Settings:
    database: DatabaseSettings
    redis_url: str | None
    ami: AmiSettings
    app_url: str
    bridge_token: str | None = field(repr=False)
    secret_key: str = field(repr=False)
    var_dir: Path = field(default_factory=_var_dir)
    default_region: str = "TW"
    # Isolates the Redis channels of one deployment (or one test run) from another on the same Redis.
    channels_prefix: str = "cc"
    log_level: str = "INFO"
    # Origins besides APP_URL's whose pages may use a signed-in browser's cookie (comma-separated URLs).
    trusted_origins: str = ""
    # Proxies whose X-Forwarded-For is believed (their addresses); nobody else's is.
    trusted_proxies: frozenset[str] = frozenset()
    # Mark the session cookie Secure (sent over HTTPS only): on whenever users reach the app over HTTPS.
    secure_cookies: bool = False
    # Roles that may not sign in without two-factor sign-in (TOTP), e.g. "admin,supervisor".
    require_2fa_roles: frozenset[str] = frozenset()
    # The support addresses mail is accepted for (the SMTP receiver answers 550 for any other).
    mail_addresses: frozenset[str] = frozenset()
    mail_max_bytes: int = 25 * 1024 * 1024
    # Where replies go out: smtp://host:port (STARTTLS when offered), smtps://host:port (TLS), with
    # user:password@ when the server wants them. Unset: e-mail replies wait, marked "queued".
    smtp_url: str | None = field(default=None, repr=False)
    # The address replies come from (default: the first of MAIL_ADDRESSES).
    mail_from: str | None = None

    @property
    def channels_backend(self) -> str:
        return "redis" if self.redis_url else "memory"

    @property
    def jobs_backend(self) -> str:
        return "arq" if self.redis_url else "in-process"


def load_settings() -> Settings:
    """Reads the environment now (tests call this after changing it)."""
    var_dir = _var_dir()
    default_db = f"sqlite+aiosqlite:///{var_dir / 'contact_center.sqlite3'}"
    return Settings(
        database=DatabaseSettings(
            url=os.environ.get("DATABASE_URL") or default_db,
            echo=os.environ.get("SQL_ECHO") == "1",
            pool_size=int(os.environ.get("DB_POOL_SIZE", "30")),
        ),
        redis_url=os.environ.get("REDIS_URL") or None,
        ami=AmiSettings(
            host=os.environ.get("AMI_HOST", "127.0.0.1"),
            port=int(os.environ.get("AMI_PORT", "5038")),
            user=os.environ.get("AMI_USER", "cc"),
            secret=os.environ.get("AMI_SECRET", "cc-secret"),
        ),
        app_url=os.environ.get("APP_URL") or DEFAULT_APP_URL,
        bridge_token=os.environ.get("BRIDGE_TOKEN") or None,
        secret_key=_secret_key(var_dir),
        var_dir=var_dir,
        channels_prefix=os.environ.get("CHANNELS_PREFIX", "cc"),
        log_level=os.environ.get("LOG_LEVEL", "INFO").upper(),
        trusted_origins=os.environ.get("TRUSTED_ORIGINS", ""),
        trusted_proxies=frozenset(p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()),
        secure_cookies=os.environ.get("SECURE_COOKIES", "").lower() in ("1", "true", "yes", "on"),
        require_2fa_roles=frozenset(r.strip() for r in os.environ.get("REQUIRE_2FA_ROLES", "").split(",") if r.strip()),
        mail_addresses=frozenset(
            a.strip().lower() for a in os.environ.get("MAIL_ADDRESSES", "").split(",") if "@" in a.strip()
        ),
        mail_max_bytes=int(os.environ.get("MAIL_MAX_BYTES", str(25 * 1024 * 1024))),
        smtp_url=os.environ.get("SMTP_URL") or None,
        mail_from=os.environ.get("MAIL_FROM") or None,
    )


def served_at(settings: Settings, host: str, port: int) -> Settings:
    """The settings of a process serving on host:port: unless APP_URL says otherwise, links the app
    hands out (the CSAT survey, say) name the address it serves on."""
    if os.environ.get("APP_URL"):
        return settings
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104  (compared, not bound)
    url = f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"
    os.environ["APP_URL"] = url  # the workers of `serve --workers N` read the environment
    return dataclasses.replace(settings, app_url=url)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
