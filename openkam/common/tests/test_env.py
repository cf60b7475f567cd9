"""Settings come from the environment through typed helpers that fail loudly."""

import pytest

from openkam.env import (
    ConfigError,
    database_config,
    env_bool,
    env_int,
    env_positive_int,
    secret_key,
)


def test_sqlite_url_with_absolute_path() -> None:
    config = database_config("sqlite:////var/lib/openkam/db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/var/lib/openkam/db.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]  # type: ignore[index]


def test_sqlite_url_with_relative_path() -> None:
    assert database_config("sqlite:///var/openkam.sqlite3")["NAME"] == "var/openkam.sqlite3"


def test_postgres_url_is_split_into_its_parts() -> None:
    config = database_config("postgres://kam:s%40cret@db.internal:6543/openkam?sslmode=require")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"]) == ("kam", "s@cret")
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", "6543", "openkam")
    assert config["OPTIONS"] == {"sslmode": "require"}


def test_postgresql_scheme_is_accepted_too() -> None:
    assert database_config("postgresql://u@h/db")["ENGINE"] == "django.db.backends.postgresql"


def test_unknown_database_scheme_fails_loudly() -> None:
    with pytest.raises(ConfigError, match="unsupported scheme 'mysql'"):
        database_config("mysql://u@h/db")


def test_sqlite_url_without_a_file_fails_loudly() -> None:
    with pytest.raises(ConfigError, match="names no SQLite file"):
        database_config("sqlite://")


def test_booleans_accept_common_spellings_and_refuse_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for raw, expected in [("1", True), ("Yes", True), ("off", False), ("", False)]:
        monkeypatch.setenv("OPENKAM_FLAG", raw)
        assert env_bool("OPENKAM_FLAG", not expected) is expected
    monkeypatch.setenv("OPENKAM_FLAG", "maybe")
    with pytest.raises(ConfigError, match="OPENKAM_FLAG='maybe' is not a boolean"):
        env_bool("OPENKAM_FLAG", False)


def test_integers_refuse_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENKAM_N", "25x")
    with pytest.raises(ConfigError, match="not an integer"):
        env_int("OPENKAM_N", 1)


def test_limits_refuse_zero_and_negatives(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMPORT_MAX_ROWS", "0")
    with pytest.raises(ConfigError, match="IMPORT_MAX_ROWS"):
        env_positive_int("IMPORT_MAX_ROWS", 5)
    monkeypatch.setenv("IMPORT_MAX_ROWS", "7")
    assert env_positive_int("IMPORT_MAX_ROWS", 5) == 7


def test_dev_secret_is_generated_once_and_kept(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = secret_key(tmp_path)  # type: ignore[arg-type]
    assert len(first) >= 50
    assert secret_key(tmp_path) == first  # type: ignore[arg-type]
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert secret_key(tmp_path) == "from-env"  # type: ignore[arg-type]
