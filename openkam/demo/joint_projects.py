"""Joint project teams and joint board meetings of the demo's synergistic accounts (DOMAIN §4:
joint teams for operations, logistics, new products ...; joint board meetings), recorded as
such, with members of both sides; the account's plan for the year lists them."""

from __future__ import annotations

import datetime as dt

import numpy as np

from openkam.accounts.models import Account, RelationshipStage
from openkam.plans.models import AccountPlan
from openkam.relationships.models import Contact, JointProject, JointProjectKind
from openkam.team.models import User

PROJECTS = (
    (JointProjectKind.NEW_PRODUCTS, "新一代门机联合开发"),
    (JointProjectKind.OPERATIONS, "生产线节拍联合改善"),
    (JointProjectKind.LOGISTICS, "寄售库存与准时配送"),
    (JointProjectKind.SHE, "安装现场安全联合检查"),
    (JointProjectKind.MARKET_RESEARCH, "旧楼加装电梯市场调研"),
)
SUPPORT = ("support_rnd", "support_quality", "support_service")


def write_joint_projects(*, seed: int, today: dt.date) -> int:
    """Two or three joint projects and two or three board meetings in the last year for every
    synergistic account; returns the number recorded."""
    rng = np.random.default_rng([seed, 7_302])
    accounts = list(
        Account.objects.filter(relationship_stage=RelationshipStage.SYNERGISTIC)
        .order_by("pk")
        .values_list("pk", "owner_id")
    )
    if not accounts:
        return 0
    ids = [pk for pk, _owner in accounts]
    contacts: dict[int, list[int]] = {}
    for contact_id, account_id in (
        Contact.objects.filter(account_id__in=ids).order_by("pk").values_list("pk", "account_id")
    ):
        contacts.setdefault(account_id, []).append(contact_id)
    support = list(User.objects.filter(username__in=SUPPORT).values_list("pk", flat=True))
    executive = User.objects.filter(username="executive").values_list("pk", flat=True).first()
    projects: list[JointProject] = []
    ours: list[list[int]] = []
    theirs: list[list[int]] = []
    for i, (account_id, owner_id) in enumerate(accounts):
        chosen = rng.choice(len(PROJECTS), size=2 + i % 2, replace=False)
        for index in sorted(int(n) for n in chosen):
            kind, name = PROJECTS[index]
            starts = today - dt.timedelta(days=int(rng.integers(60, 400)))
            projects.append(
                JointProject(account_id=account_id, kind=kind, name=name, starts_on=starts)
            )
            ours.append([pk for pk in (owner_id, *support[:1]) if pk])
            theirs.append(contacts.get(account_id, [])[:2])
        for n in range(2 + i % 2):
            held = today - dt.timedelta(days=40 + 120 * n + int(rng.integers(0, 30)))
            projects.append(
                JointProject(
                    account_id=account_id,
                    kind=JointProjectKind.BOARD_MEETING,
                    name=f"{held.year} 年高层联席会议",
                    starts_on=held,
                    ends_on=held,
                    status="done",
                )
            )
            ours.append([pk for pk in (executive, owner_id) if pk])
            theirs.append(contacts.get(account_id, [])[:1])
    JointProject.objects.bulk_create(projects)
    _members(projects, ours, theirs)
    _link_plans(ids)
    return len(projects)


def _members(projects: list[JointProject], ours: list[list[int]], theirs: list[list[int]]) -> None:
    our_link = JointProject.our_members.through
    their_link = JointProject.their_members.through
    our_link.objects.bulk_create(
        our_link(jointproject_id=project.pk, user_id=user)
        for project, users in zip(projects, ours, strict=True)
        for user in users
    )
    their_link.objects.bulk_create(
        their_link(jointproject_id=project.pk, contact_id=contact)
        for project, people in zip(projects, theirs, strict=True)
        for contact in people
    )


def _link_plans(account_ids: list[int]) -> None:
    """The year's plan of each account lists its joint projects (not its board meetings)."""
    link = AccountPlan.joint_projects.through
    plans = dict(
        AccountPlan.objects.filter(account_id__in=account_ids).values_list("account_id", "pk")
    )
    link.objects.bulk_create(
        link(accountplan_id=plans[account_id], jointproject_id=project_id)
        for project_id, account_id in JointProject.objects.filter(account_id__in=plans)
        .exclude(kind=JointProjectKind.BOARD_MEETING)
        .values_list("pk", "account_id")
    )
