"""Fixtures shared by the web and account page tests (import them into a test module or a
conftest to use them)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: Any) -> None:
    """PBKDF2 takes a quarter of a second per user; the personas do not need it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english(settings: Any) -> None:
    """Pages in English (the default is zh-hans), so tests read and assert English text."""
    settings.LANGUAGE_CODE = "en"
