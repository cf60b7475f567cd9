"""An account's standing team (issue 14): its KAM (the owner) and the support members and
executive sponsor who see the account without being in its sales team. Read by whoever sees
the account; changed only by its KAM, its director and executives (403 for anyone else who
sees it, 404 for anyone who does not), through the services the account page uses."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from openkam.accounts import services
from openkam.accounts.models import Account, AccountTeamMember, AccountTeamRole
from openkam.accounts.selectors import account_for, account_team, account_team_member_for
from openkam.api.common import Id, InputSchema, user_of
from openkam.api.errors import ErrorOut
from openkam.common.errors import NotFound

router = Router(tags=["account teams"])
READ = {401: ErrorOut, 404: ErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class PersonOut(Schema):
    id: int
    name: str
    role: str
    function: str


class MemberOut(Schema):
    id: int
    user: PersonOut
    role: AccountTeamRole
    note: str
    created_at: dt.datetime


class AccountTeamOut(Schema):
    account_id: int
    kam: PersonOut | None
    kam_is_executive: bool
    members: list[MemberOut]


class MemberIn(InputSchema):
    user_id: Id
    role: AccountTeamRole
    note: str = ""


class MemberPatch(InputSchema):
    role: AccountTeamRole
    note: str | None = None


def _person(user: object) -> dict[str, object]:
    return {
        "id": user.pk,  # type: ignore[attr-defined]
        "name": str(user),
        "role": user.role,  # type: ignore[attr-defined]
        "function": user.function,  # type: ignore[attr-defined]
    }


def _member(member: AccountTeamMember) -> dict[str, object]:
    return {
        "id": member.pk,
        "user": _person(member.user),
        "role": member.role,
        "note": member.note,
        "created_at": member.created_at,
    }


def _seat(request: HttpRequest, account_id: int, member_id: int) -> AccountTeamMember:
    """The seat through its account's access, and only under the account the path names."""
    member = account_team_member_for(user_of(request), member_id)
    if member.account_id != account_id:
        raise NotFound
    return member


@router.get("/accounts/{int:account_id}/team", response={200: AccountTeamOut, **READ})
def get_account_team(request: HttpRequest, account_id: int) -> dict[str, object]:
    """The account's KAM and its standing team (sponsor, R&D, quality, logistics, finance,
    service support), for anyone who sees the account."""
    account: Account = account_for(
        user_of(request), account_id, shape=lambda rows: rows.select_related("owner")
    )
    owner = account.owner
    return {
        "account_id": account.pk,
        "kam": _person(owner) if owner else None,
        "kam_is_executive": bool(owner and owner.role == "executive"),
        "members": [_member(member) for member in account_team(account)],
    }


@router.post("/accounts/{int:account_id}/team", response={201: MemberOut, **WRITE})
def add_account_team_member(request: HttpRequest, account_id: int, payload: MemberIn) -> Status:
    """Seat one of our people on the account's team: the account's KAM, its director and
    executives may; a seat shows the account, read only."""
    member = services.account_team_member_add(
        user=user_of(request),
        account_id=account_id,
        member_id=payload.user_id,
        role=payload.role,
        note=payload.note,
    )
    return Status(201, _member(member))


@router.patch("/accounts/{int:account_id}/team/{int:member_id}", response={200: MemberOut, **WRITE})
def change_account_team_member(
    request: HttpRequest, account_id: int, member_id: int, payload: MemberPatch
) -> dict[str, object]:
    seat = _seat(request, account_id, member_id)
    member = services.account_team_member_change(
        user=user_of(request), member_id=seat.pk, role=payload.role, note=payload.note
    )
    return _member(member)


@router.delete("/accounts/{int:account_id}/team/{int:member_id}", response={204: None, **WRITE})
def remove_account_team_member(request: HttpRequest, account_id: int, member_id: int) -> Status:
    """Take the member off the team: they stop seeing the account unless their sales team
    shows it."""
    seat = _seat(request, account_id, member_id)
    services.account_team_member_remove(user=user_of(request), member_id=seat.pk)
    return Status(204, None)
