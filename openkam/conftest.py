"""Personas that match the roles (STYLE.md): executive, director, the account's KAM,
another team's KAM, an analyst and a viewer, with one account in each team."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core import serializers
from django.core.cache import cache
from django.db import connection
from django.test import Client
from pytest_django.plugin import blocking_manager_key

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


# What the migrations wrote into the empty test database (the scoring criteria, service levels,
# cadences, alert rules... the product ships with), kept by the run's first database test
# before anything else is written (its own rows come later, from fixtures that are not autouse).
MIGRATION_ROWS = pytest.StashKey[str]()


@pytest.fixture(autouse=True)
def migration_rows(request: pytest.FixtureRequest) -> None:
    if MIGRATION_ROWS in request.config.stash or not _uses_the_database(request.node):
        return
    request.getfixturevalue("django_db_setup")
    with request.config.stash[blocking_manager_key].unblock():
        seeded = [
            model
            for model in apps.get_models()
            if model.__module__.startswith("openkam.") and model._default_manager.exists()
        ]
        rows = (row for model in seeded for row in model._default_manager.order_by("pk"))
        request.config.stash[MIGRATION_ROWS] = serializers.serialize("json", rows)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """A transactional test (the browser's live server, the background worker) ends by
    emptying every table, the migrations' rows with them: they are written back, so the tests
    after it in the same process (with pytest-xdist, any test of any file) find the database as
    the migrations left it, as they do when run alone."""
    yield
    rows = item.config.stash.get(MIGRATION_ROWS, None)
    # After the process's last test the test database is gone (nothing follows to need them).
    if rows is not None and nextitem is not None and _empties_the_tables(item):
        with item.config.stash[blocking_manager_key].unblock():
            connection.creation.deserialize_db_from_string(rows)


def _uses_the_database(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    return item.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(names)
    )


def _empties_the_tables(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names
