"""The tier review, its proposals, the company settings and the scorecard criteria have
back-office pages (list, change, history) that answer."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from openkam.conftest import World
from openkam.portfolio.models import PortfolioSettings, ScoringCriterion, TierReview
from openkam.team.models import User

pytestmark = pytest.mark.django_db


def test_each_governance_model_has_working_admin_pages(
    world: World, review: TierReview, superuser: User
) -> None:
    client = Client()
    client.force_login(superuser)
    proposal = review.proposals.first()
    assert proposal is not None
    criterion = ScoringCriterion.objects.first()
    assert criterion is not None
    for obj in (review, proposal, PortfolioSettings.current(), criterion):
        meta = obj._meta
        base = f"admin:{meta.app_label}_{meta.model_name}"
        assert client.get(reverse(f"{base}_changelist")).status_code == 200, base
        assert client.get(reverse(f"{base}_change", args=[obj.pk])).status_code == 200, base
        assert client.get(reverse(f"{base}_history", args=[obj.pk])).status_code == 200, base


def test_the_strategic_designation_has_working_admin_pages(world: World, superuser: User) -> None:
    from openkam.governance.models import StrategicDesignation

    found = StrategicDesignation.objects.create(account=world.account, reason="品牌")
    client = Client()
    client.force_login(superuser)
    base = "admin:governance_strategicdesignation"
    assert client.get(reverse(f"{base}_changelist")).status_code == 200
    assert client.get(reverse(f"{base}_change", args=[found.pk])).status_code == 200
    assert client.get(reverse(f"{base}_history", args=[found.pk])).status_code == 200


def test_the_rescoring_jobs_are_listed_read_only_in_the_back_office(
    world: World, superuser: User
) -> None:
    from openkam.governance.models import RescoreJob

    job = RescoreJob.objects.create(
        status=RescoreJob.Status.FAILED, message="unexpected error: disk I/O error"
    )
    client = Client()
    client.force_login(superuser)
    base = "admin:governance_rescorejob"
    assert client.get(reverse(f"{base}_changelist")).status_code == 200
    page = client.get(reverse(f"{base}_change", args=[job.pk]))
    assert page.status_code == 200
    assert "disk I/O error" in page.content.decode()
    assert client.get(reverse(f"{base}_add")).status_code == 403
