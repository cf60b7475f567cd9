"""Typed readers for settings that come from the environment.

Each helper fails loudly on a value it cannot parse, so a typo in a deployment
stops the process at start-up instead of silently falling back to a default.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse


class ConfigError(ValueError):
    """A setting in the environment has a value that cannot be used."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not an integer") from exc


def env_positive_int(name: str, default: int) -> int:
    """A count or a size that must be at least 1 (a limit of 0 would refuse every file)."""
    value = env_int(name, default)
    if value < 1:
        raise ConfigError(f"{name}={value!r} must be a whole number of at least 1")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_key(var_dir: Path) -> str:
    """SECRET_KEY from the environment, else a key generated once and kept in var/."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


def database_config(url: str) -> dict[str, object]:
    """Django DATABASES entry for a `sqlite:///path` or `postgres://...` URL."""
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///relative/path and sqlite:////absolute/path, as in dj-database-url.
        name = unquote(url[len("sqlite://") :])
        if name.startswith("/"):
            name = name[1:]
        if not name:
            raise ConfigError(f"DATABASE_URL={url!r} names no SQLite file")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {
                # A writer waits up to 20 s for another's transaction (a background import
                # commits a batch at a time) before "database is locked".
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
            },
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": unquote(parsed.hostname or ""),
            "PORT": str(parsed.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
        }
    raise ConfigError(
        f"DATABASE_URL={url!r}: unsupported scheme {scheme!r} (use sqlite:/// or postgres://)"
    )


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """Django's SECURE_PROXY_SSL_HEADER from a header name such as `X-Forwarded-Proto`: set
    only behind a proxy that overwrites that header, else a client could claim HTTPS."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not all(character.isalnum() or character == "-" for character in raw):
        raise ConfigError(f"{name}={raw!r} is not an HTTP header name (e.g. X-Forwarded-Proto)")
    return "HTTP_" + raw.upper().replace("-", "_"), "https"


def private_sqlite_file(config: dict[str, object]) -> None:
    """Create the SQLite file readable by its owner alone (0600) before Django opens it with
    the umask's mode; SQLite gives its -wal and -shm files the same mode."""
    name = str(config.get("NAME", ""))
    if config.get("ENGINE") != "django.db.backends.sqlite3" or name in {"", ":memory:"}:
        return
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        # A file made before this rule (or by hand) is tightened when it is ours.
        status = path.stat()
        if status.st_mode & 0o077 and status.st_uid == os.getuid():
            path.chmod(0o600)
