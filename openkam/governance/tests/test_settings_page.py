"""The company settings page: analysts and executives change the tier policy, cut-offs and
scorecard weights, each rule refused with the field it is about and nothing saved; every
change is kept in history; the page says the next refresh uses them; other roles are refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.governance.forms import SettingsForm
from openkam.governance.services import service_levels
from openkam.portfolio.models import PortfolioSettings, ScoringCriterion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = reverse("governance:settings")


def form_data(**changes: str) -> dict[str, str]:
    """What the page posts: the current settings, every criterion and every tier's service
    level as they are, then `changes`."""
    current = PortfolioSettings.current()
    data: dict[str, str] = {}
    for name in SettingsForm.Meta.fields:
        value = getattr(current, name)
        if value is True:
            data[name] = "on"
        elif value is not False:
            data[name] = str(value)
    criteria = list(ScoringCriterion.objects.order_by("scorecard", "position", "pk"))
    data |= {"w-TOTAL_FORMS": str(len(criteria)), "w-INITIAL_FORMS": str(len(criteria))}
    for i, criterion in enumerate(criteria):
        prefix = f"w-{i}-"
        data[prefix + "id"] = str(criterion.pk)
        data[prefix + "name"] = criterion.name
        data[prefix + "name_en"] = criterion.name_en
        data[prefix + "weight"] = str(criterion.weight)
        if criterion.is_active:
            data[f"w-{i}-is_active"] = "on"
    for level in service_levels():
        for name, value in level.items():
            if name != "tier" and value is not False:
                data[f"s-{level['tier']}-{name}"] = "on" if value is True else str(value)
    return data | changes


@pytest.mark.parametrize("persona", ["analyst", "executive"])
def test_analysts_and_executives_change_the_settings_with_history(
    world: World, persona: str
) -> None:
    client = client_for(getattr(world, persona))
    page = client.get(URL).content.decode()
    assert "Changes take effect at the next portfolio refresh" in page
    first = ScoringCriterion.objects.order_by("scorecard", "position", "pk").first()
    assert first is not None
    response = client.post(URL, form_data(key_threshold="30000000", **{"w-0-weight": "2.50"}))
    assert response.status_code == 302
    current = PortfolioSettings.current()
    assert current.key_threshold == Decimal("30000000")
    assert current.history.latest().history_user == getattr(world, persona)
    first.refresh_from_db()
    assert first.weight == Decimal("2.50")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"major_threshold": "30000000"}, "major_threshold", "must be below the key account"),
        ({"abc_a_cutoff": "0.96"}, "abc_b_cutoff", "ABC cut-offs must rise"),
        ({"abc_a_cutoff": "1.5"}, "abc_a_cutoff", "less than or equal to 1"),
    ],
)
def test_an_invalid_setting_names_its_field_and_saves_nothing(
    world: World, changes: dict[str, str], field: str, message: str
) -> None:
    before = PortfolioSettings.current().history.count()
    response = client_for(world.executive).post(URL, form_data(**changes))
    assert response.status_code == 422
    html = response.content.decode()
    assert f'data-testid="error-{field}"' in html
    assert message in html
    assert PortfolioSettings.current().history.count() == before
    assert PortfolioSettings.current().major_threshold == Decimal("5000000")


def test_weights_that_sum_to_nothing_are_refused(world: World) -> None:
    data = form_data()
    for key in [k for k in data if k.endswith("-is_active")]:
        del data[key]  # every criterion switched off
    response = client_for(world.analyst).post(URL, data)
    assert response.status_code == 422
    assert "must sum above zero" in response.content.decode()
    assert ScoringCriterion.objects.filter(is_active=False).count() == 3  # the value criteria


@pytest.mark.parametrize("persona", ["kam", "other_kam", "director", "viewer"])
def test_other_roles_read_the_settings_but_may_not_change_them(world: World, persona: str) -> None:
    client = client_for(getattr(world, persona))
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="read-only"' in html
    assert 'data-testid="save-settings"' not in html
    assert "<fieldset disabled>" in html
    before = PortfolioSettings.current().history.count()
    assert client.post(URL, form_data(key_threshold="1")).status_code == 403
    assert PortfolioSettings.current().key_threshold == Decimal("20000000")
    assert PortfolioSettings.current().history.count() == before


def test_anonymous_is_sent_to_log_in(world: World) -> None:
    response = Client().post(URL, form_data(key_threshold="1"))
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert PortfolioSettings.current().key_threshold == Decimal("20000000")


def test_the_settings_page_costs_fixed_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    client = client_for(world.executive)
    client.get(URL)
    # session, user, settings row, criteria, cadences, service levels, the history of the
    # settings, the criteria and the service levels, and the latest re-scoring job
    with django_assert_num_queries(10):
        client.get(URL)
