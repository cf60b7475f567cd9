"""The account page's governance card: what the account's tier entitles it to (visit cadence,
technical-support response time, executive sponsor, priority delivery, dedicated training, as
set on the settings page) and, for a strategic account, its designation's four criteria."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.governance import services
from openkam.interactions.models import ContactCadence
from openkam.portfolio.models import TierServiceLevel

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def card(world: World, account_pk: int) -> str:
    response = client_for(world.executive).get(reverse("accounts:tab", args=[account_pk, "cards"]))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('data-testid="account-governance-card"')
    return html[start:]


def test_the_card_shows_the_tiers_service_level_as_set(world: World) -> None:
    TierServiceLevel.objects.filter(tier=world.account.tier).update(
        support_response_hours=7, priority_delivery=True
    )
    ContactCadence.objects.filter(tier=world.account.tier).update(every_days=45)
    html = card(world, world.account.pk)
    assert "Service level: General" in html
    assert re.search(r'data-testid="level-every-days">45<', html)
    assert re.search(r'data-testid="level-response-hours">7<', html)
    assert 'data-testid="account-designation"' not in html


def test_a_strategic_account_shows_its_four_criteria(world: World) -> None:
    services.designation_propose(
        user=world.executive, account_id=world.account.pk, designate=True,
        reason="行业龙头", brand=True, brand_evidence="全球前五",
        not_competitor=True, not_competitor_evidence="不生产同类产品",
    )  # fmt: skip
    html = card(world, world.account.pk)
    assert 'data-testid="account-designation"' in html
    assert html.count('data-testid="designation-criterion"') == 4
    assert "Well-known brand: 全球前五" in html
    assert "Entry into the customer&#x27;s global sourcing" in html  # not met, no evidence
