"""The account's KAM is told by e-mail (in their language) once the general manager approves
a tier on their account: one mail per KAM naming each account with its old and new tier; a
rejection mails nobody; a refused decision mails nobody."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from openkam.alerts.models import NotificationPreference
from openkam.common.errors import ValidationError
from openkam.conftest import World
from openkam.governance import services
from openkam.portfolio.models import TierReview

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def submitted(world: World, review: TierReview) -> TierReview:
    """The review submitted, its KAMs given their mail addresses."""
    for user in (world.kam, world.other_kam):
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])
    return services.review_submit(user=world.analyst, review=review)


def test_approving_mails_the_accounts_kam(
    world: World, review: TierReview, django_capture_on_commit_callbacks: Any
) -> None:
    submitted(world, review)
    proposal = review.proposals.get(account=world.account)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decide(
            user=world.executive, proposal=proposal, approve=True, comment="增长强劲"
        )
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["kam1@example.com"]
    assert "approved a new tier for 1 of your accounts" in sent.subject
    name = world.account.short_name or world.account.legal_name
    assert f"{name}: General → Key (tier review 2026)" in sent.body
    assert "Comment: 增长强劲" in sent.body


def test_approving_the_rest_mails_each_kam_once_in_their_language(
    world: World, review: TierReview, django_capture_on_commit_callbacks: Any
) -> None:
    NotificationPreference.objects.create(user=world.kam, language="zh-hans")
    submitted(world, review)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_approve_rest(user=world.executive, review=review)
    assert sorted(m.to for m in mail.outbox) == [["kam1@example.com"], ["kam2@example.com"]]
    chinese = next(m for m in mail.outbox if m.to == ["kam1@example.com"])
    assert "总经理" in chinese.subject
    assert "重点" in chinese.body  # 一般 → 重点


def test_a_rejection_or_a_refusal_mails_nobody(
    world: World, review: TierReview, django_capture_on_commit_callbacks: Any
) -> None:
    submitted(world, review)
    proposal = review.proposals.get(account=world.account)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decide(
            user=world.executive, proposal=proposal, approve=False, comment="再观察一年"
        )
        with pytest.raises(ValidationError):
            services.proposal_decide(
                user=world.executive,
                proposal=review.proposals.get(account=world.other_account),
                approve=False,
            )
    assert mail.outbox == []
