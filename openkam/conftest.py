"""Personas that match the roles (STYLE.md): executive, director, the account's KAM,
another team's KAM, an analyst and a viewer, with one account in each team."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from openkam.accounts.models import Account
from openkam.factories import AccountFactory, MembershipFactory, TeamFactory, UserFactory
from openkam.team.models import Role, Team, User


@dataclass
class World:
    executive: User
    director: User
    kam: User
    other_kam: User
    analyst: User
    viewer: User
    team: Team
    other_team: Team
    account: Account
    other_account: Account
    unassigned_account: Account


@pytest.fixture
def world(db: None) -> World:
    executive = UserFactory.create(username="exec", role=Role.EXECUTIVE)
    director = UserFactory.create(username="dir", role=Role.DIRECTOR)
    other_director = UserFactory.create(username="dir2", role=Role.DIRECTOR)
    kam = UserFactory.create(username="kam1", role=Role.KAM)
    other_kam = UserFactory.create(username="kam2", role=Role.KAM)
    analyst = UserFactory.create(username="analyst1", role=Role.ANALYST)
    viewer = UserFactory.create(username="viewer1", role=Role.VIEWER)
    team = TeamFactory.create(name="华东大客户部", director=director)
    other_team = TeamFactory.create(name="华南大客户部", director=other_director)
    MembershipFactory.create(team=team, user=kam)
    MembershipFactory.create(team=other_team, user=other_kam)
    MembershipFactory.create(team=team, user=viewer)
    account = AccountFactory.create(team=team, owner=kam)
    other_account = AccountFactory.create(team=other_team, owner=other_kam)
    unassigned_account = AccountFactory.create(team=None, owner=None)
    return World(
        executive=executive,
        director=director,
        kam=kam,
        other_kam=other_kam,
        analyst=analyst,
        viewer=viewer,
        team=team,
        other_team=other_team,
        account=account,
        other_account=other_account,
        unassigned_account=unassigned_account,
    )


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: Any) -> None:
    """PBKDF2 takes a quarter of a second per user; test users do not need it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Pages keep rendered parts in the process's cache (the dashboard's body): a test's rows,
    rolled back, must not leave what was rendered from them to the next test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english(settings: Any) -> None:
    """Pages in English (the default is zh-hans), so tests read and assert English text."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def superuser(db: None) -> User:
    return UserFactory.create(username="root", is_staff=True, is_superuser=True)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
