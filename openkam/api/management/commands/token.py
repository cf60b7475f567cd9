"""`openkam token create USER NAME` prints a new API token (once); `openkam token revoke ID`
revokes one; `openkam token list [USER]` shows them (never the secret: it is not stored)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.table import Table

from openkam.api.models import ApiToken
from openkam.api.tokens import token_create, token_revoke
from openkam.team.models import User


class Command(BaseCommand):
    help = "Create, list and revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="create a token for a user, print it once")
        create.add_argument("username", metavar="USER")
        create.add_argument("name", metavar="NAME", help="what the token is for")
        revoke = actions.add_parser("revoke", help="revoke a token by its ID")
        revoke.add_argument("token_id", metavar="ID", type=int)
        listing = actions.add_parser("list", help="list tokens (of one user)")
        listing.add_argument("username", metavar="USER", nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options["username"], options["name"])
        elif action == "revoke":
            self._revoke(options["token_id"])
        else:
            self._list(options["username"])

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        return user

    def _create(self, username: str, name: str) -> None:
        if not name.strip():
            raise CommandError("NAME must not be empty")
        issued = token_create(user=self._user(username), name=name)
        Console(stderr=True).print(
            f"token {issued.token.pk} for {username}: copy it now, it is not shown again"
        )
        self.stdout.write(issued.secret)

    def _revoke(self, token_id: int) -> None:
        token = ApiToken.objects.filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"no token with ID {token_id}")
        token_revoke(token=token)
        self.stdout.write(f"token {token.pk} ({token.name}) revoked at {_local(token.revoked_at)}")

    def _list(self, username: str | None) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
        if username:
            tokens = tokens.filter(user=self._user(username))
        table = Table(title="API tokens")
        for column in ("ID", "user", "name", "prefix", "created", "last used", "revoked"):
            table.add_column(column)
        for token in tokens:
            table.add_row(
                str(token.pk),
                token.user.username,
                token.name,
                f"okam_{token.prefix}_…",
                _local(token.created_at),
                _local(token.last_used_at),
                _local(token.revoked_at),
            )
        Console(file=self.stdout).print(table)  # type: ignore[arg-type]


def _local(moment: dt.datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"
