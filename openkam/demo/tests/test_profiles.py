"""Contacts form org charts with every field filled; bigger accounts have fuller profiles."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q

from openkam.accounts.models import (
    Account,
    BudgetCycle,
    CompetitorPresence,
    Shareholder,
    WalletEstimate,
)
from openkam.demo.services import DemoReport
from openkam.ledger.models import CostToServe
from openkam.relationships.models import Contact

pytestmark = pytest.mark.django_db

CONTACT_FIELDS = (
    "name",
    "title",
    "department",
    "function",
    "phone",
    "email",
    "wechat",
    "influence_type",
    "motives",
    "need_1",
    "need_2",
    "preferred_channel",
    "contact_every_days",
    "deepening_plan",
)


def test_contacts_have_every_field_filled_and_report_to_someone_at_their_account(
    demo: DemoReport,
) -> None:
    contacts = Contact.objects.select_related("reports_to")
    assert contacts.count() > Account.objects.count()
    for contact in contacts:
        for field in CONTACT_FIELDS:
            assert getattr(contact, field), (field, contact.pk)
        assert 1 <= contact.influence_level <= 5
        assert 1 <= contact.participation <= 5
        assert contact.buying_stages or contact.function
        if contact.reports_to is not None:
            assert contact.reports_to.account_id == contact.account_id
    top = Contact.objects.filter(reports_to__isnull=True)
    assert top.count() == Account.objects.count()
    assert set(top.values_list("title", flat=True)) == {"总经理"}
    chain = Contact.objects.filter(reports_to__reports_to__isnull=False, title="采购经理")
    assert chain.filter(
        reports_to__title="采购总监", reports_to__reports_to__title="总经理"
    ).exists()


def test_bigger_accounts_have_fuller_profiles(demo: DemoReport) -> None:
    accounts = Account.objects.annotate(
        n_contacts=Count("contacts", distinct=True), n_owners=Count("shareholders", distinct=True)
    )
    ranked = sorted(accounts, key=lambda a: a.credit_limit)
    small, big = ranked[: len(ranked) // 3], ranked[-len(ranked) // 10 :]
    assert sum(a.n_contacts for a in big) / len(big) > 2 * sum(a.n_contacts for a in small) / len(
        small
    )
    assert all(a.n_owners for a in big if a.parent_id is None)
    assert BudgetCycle.objects.count() < Account.objects.count()


def test_each_known_owner_structure_names_one_actual_controller(demo: DemoReport) -> None:
    owners = Shareholder.objects.values("account_id").annotate(
        controllers=Count("id", filter=Q(is_actual_controller=True))
    )
    assert owners
    assert all(row["controllers"] == 1 for row in owners)


def test_wallets_competitors_and_costs_to_serve_follow_the_revenue(demo: DemoReport) -> None:
    assert WalletEstimate.objects.exists()
    presences = CompetitorPresence.objects.values("account_id").annotate(n=Count("id"))
    assert max(row["n"] for row in presences) <= 3
    for presence in CompetitorPresence.objects.all()[:300]:
        assert presence.share_of_wallet is not None
        assert 0 <= presence.share_of_wallet <= 100
    kinds = set(CostToServe.objects.values_list("kind", flat=True))
    assert kinds == {"direct", "indirect"}
    assert CostToServe.objects.filter(category="financing").exists()
