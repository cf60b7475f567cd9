"""Reads of the relationship map that need only the contacts: buying-stage coverage, the
org chart and the influencer wheel. What needs the interactions (last met, the coverage
matrix) sits above, in interactions.coverage and web.relationships."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.accounts.selectors import accounts_visible_to, writable_account_for
from openkam.common.errors import NotFound
from openkam.relationships.models import BUYING_STAGES, Contact, InfluenceType
from openkam.team.models import User


def contact_for(user: User, pk: int) -> Contact:
    """A contact of an account the user sees, or NotFound (as account_for answers)."""
    contacts = Contact.objects.filter(account__in=accounts_visible_to(user))
    try:
        return contacts.select_related("account", "reports_to").get(pk=pk)
    except Contact.DoesNotExist as exc:
        raise NotFound(_("No contact with this ID.")) from exc


def writable_contact_for(user: User, pk: int) -> Contact:
    """The contact for a change: NotFound when its account is not one the user sees,
    PermissionDenied when their role reads only (writable_account_for's rule)."""
    contact = contact_for(user, pk)
    writable_account_for(user, contact.account_id)
    return contact


@dataclass
class StageCoverage:
    field: str
    label: str
    contacts: list[Contact]

    @property
    def supporters(self) -> list[Contact]:
        return [contact for contact in self.contacts if contact.support > 0]

    @property
    def opponents(self) -> list[Contact]:
        return [contact for contact in self.contacts if contact.support < 0]

    @property
    def status(self) -> str:
        """gap: nobody; risk: no supporter, or more opponents than supporters; covered."""
        if not self.contacts:
            return "gap"
        if not self.supporters or len(self.opponents) > len(self.supporters):
            return "risk"
        return "covered"


def buying_stage_coverage(contacts: list[Contact]) -> list[StageCoverage]:
    active = [contact for contact in contacts if contact.is_active]
    return [
        StageCoverage(
            field=name,
            label=str(label),
            contacts=sorted(
                (contact for contact in active if getattr(contact, name)),
                key=lambda contact: (-contact.influence_level, -contact.support, contact.name),
            ),
        )
        for name, label in BUYING_STAGES
    ]


def org_chart(account: Account, contacts: list[Contact]) -> dict[str, Any]:
    """An ECharts tree: the account at the root, each contact under the one they report to
    (contacts whose manager is unknown, or forms a loop, hang from the root)."""
    by_id = {contact.pk: contact for contact in contacts}
    children: dict[int | None, list[Contact]] = defaultdict(list)
    for contact in contacts:
        boss = contact.reports_to_id if contact.reports_to_id in by_id else None
        children[boss].append(contact)

    def node(contact: Contact, seen: frozenset[int]) -> dict[str, Any]:
        below = [c for c in children.get(contact.pk, []) if c.pk not in seen]
        return {
            "name": contact.name,
            "title": contact.title,
            "support": contact.support,
            "influence": contact.influence_level,
            "active": contact.is_active,
            "children": [node(c, seen | {c.pk}) for c in below],
        }

    roots = list(children.get(None, []))
    reached = _reachable(roots, children)
    roots += [contact for contact in contacts if contact.pk not in reached]
    return {
        "name": str(account),
        "title": "",
        "root": True,
        "children": [node(contact, frozenset({contact.pk})) for contact in roots],
    }


def _reachable(roots: list[Contact], children: dict[int | None, list[Contact]]) -> set[int]:
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        contact = stack.pop()
        if contact.pk in seen:
            continue
        seen.add(contact.pk)
        stack.extend(children.get(contact.pk, []))
    return seen


INFLUENCE_SECTORS = [code for code, _label in InfluenceType.choices] + [""]


def influencer_wheel(contacts: list[Contact]) -> dict[str, Any]:
    """Points for an ECharts polar chart: one sector per influence type (economic, user,
    technical buyer, coach), the most influential nearest the centre (radius 6 - influence),
    colour from support, size from participation. Contacts of a sector are spread across it."""
    active = [contact for contact in contacts if contact.is_active]
    sectors: dict[str, list[Contact]] = defaultdict(list)
    for contact in active:
        sectors[contact.influence_type or ""].append(contact)
    used = [code for code in INFLUENCE_SECTORS if sectors.get(code)]
    width = 360 / max(len(used), 1)
    nodes = []
    for index, code in enumerate(used):
        members = sorted(sectors[code], key=lambda c: (-c.influence_level, c.name))
        for position, contact in enumerate(members):
            nodes.append(
                {
                    "id": str(contact.pk),
                    "name": contact.name,
                    "title": contact.title,
                    "angle": round(width * index + width * (position + 0.5) / len(members), 1),
                    "radius": 6 - contact.influence_level,
                    "support": contact.support,
                    "influence": contact.influence_level,
                    "participation": contact.participation,
                    "type": code,
                }
            )
    return {
        "nodes": nodes,
        "sectors": [{"code": code, "start": round(width * i, 1)} for i, code in enumerate(used)],
        "width": round(width, 1),
    }
