"""Hardening through settings: authenticated pages are never cached, the SQLite file is the
owner's alone, HTTPS settings come from the environment, and the documented production
environment passes `check --deploy` without a warning."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from openkam.conftest import World, client_for
from openkam.env import ConfigError, env_proxy_ssl_header, private_sqlite_file

# The production environment the README documents (a secret of 50 random characters).
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3Jx9-Qm2vL7pZ0rT5wY8bN1cF4hG6dS_aE-uI2oP9lK7jH3gR",
    "ALLOWED_HOSTS": "example.com",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SESSION_COOKIE_SECURE": "1",
    "CSRF_COOKIE_SECURE": "1",
}


@pytest.mark.django_db
def test_a_logged_in_page_is_private_and_not_stored(world: World) -> None:
    response = client_for(world.kam).get("/")
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


@pytest.mark.django_db
def test_a_token_request_is_not_stored_either(world: World) -> None:
    response = Client().get("/api/v1/accounts", headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401
    assert "no-store" in response["Cache-Control"]


def test_a_new_sqlite_file_is_readable_by_its_owner_alone(tmp_path: Path) -> None:
    path = tmp_path / "var" / "openkam.sqlite3"
    private_sqlite_file({"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_old_world_readable_sqlite_file_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "openkam.sqlite3"
    path.write_bytes(b"")
    path.chmod(0o644)
    private_sqlite_file({"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_postgres_and_memory_databases_are_left_alone(tmp_path: Path) -> None:
    private_sqlite_file({"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"})
    private_sqlite_file({"ENGINE": "django.db.backends.postgresql", "NAME": str(tmp_path / "x")})
    assert not (tmp_path / "x").exists()


def test_the_proxy_ssl_header_is_read_from_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER_TEST") is None
    monkeypatch.setenv("SECURE_PROXY_SSL_HEADER_TEST", "X-Forwarded-Proto")
    assert env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER_TEST") == (
        "HTTP_X_FORWARDED_PROTO",
        "https",
    )
    monkeypatch.setenv("SECURE_PROXY_SSL_HEADER_TEST", "X-Forwarded-Proto: https")
    with pytest.raises(ConfigError):
        env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER_TEST")


def test_https_settings_are_off_for_a_first_run_on_a_laptop() -> None:
    assert django_settings.SECURE_SSL_REDIRECT is False
    assert django_settings.SECURE_HSTS_SECONDS == 0
    assert django_settings.SECURE_PROXY_SSL_HEADER is None


def test_the_documented_production_environment_passes_check_deploy(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "DJANGO_SETTINGS", "DATABASE_URL"))
    }
    env |= PRODUCTION_ENV | {"OPENKAM_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "openkam", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert stat.S_IMODE((tmp_path / "openkam.sqlite3").stat().st_mode) == 0o600


def test_the_api_docs_do_not_keep_a_pasted_token_in_local_storage(world: World) -> None:
    html = client_for(world.viewer).get("/api/v1/docs").content.decode()  # docs need a login
    script = html.split('id="swagger-settings">', 1)[1].split("</script>", 1)[0]
    assert json.loads(script)["persistAuthorization"] is False
