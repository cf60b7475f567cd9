"""The executive splits the company's year target to the teams on one page: each team's
suggested share (last year's share, the forecast, even), the amounts adjusted and saved at
once, the remainder shown, errors naming the field with nothing saved, the history; everybody
else refused (nothing saved)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.factories import AccountMonthFactory
from openkam.performance import splitting
from openkam.performance.models import Forecast, Level, Target, TargetStatus
from openkam.portfolio.models import AccountSnapshot, PortfolioRun

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PAGE = reverse("performance:company_split")
D = Decimal


@pytest.fixture
def sold(world: World) -> None:
    """Last year the first team sold 3,000 and the other 1,000 (gross margin 1,000 and 1,000)."""
    AccountMonthFactory.create(
        account=world.account, month=dt.date(2025, 5, 1), revenue=3000, cost=2000
    )
    AccountMonthFactory.create(
        account=world.other_account, month=dt.date(2025, 8, 1), revenue=1000, cost=0
    )
    AccountMonthFactory.create(account=world.account, month=dt.date(2026, 1, 1), revenue=99999)
    Target.objects.create(year=2026, level=Level.COMPANY, metric="sales", amount=10_000)


def _shares(basis: str, metric: str = "sales") -> dict[int, Decimal | None]:
    _parent, shares = splitting.suggest(2026, metric, basis)
    return {share.team.pk: share.suggested for share in shares}


def test_the_suggestions_by_last_years_share_forecast_and_even(world: World, sold: None) -> None:
    team, other = world.team.pk, world.other_team.pk
    assert _shares("last_year") == {team: D("7500.00"), other: D("2500.00")}
    Target.objects.create(year=2026, level=Level.COMPANY, metric="margin", amount=800)
    assert _shares("last_year", "margin") == {team: D("400.00"), other: D("400.00")}
    assert _shares("even") == {team: D("5000.00"), other: D("5000.00")}
    # Nobody forecast 2026: the model's next-year forecast on the last snapshot before it.
    run = PortfolioRun.objects.create(as_of=dt.date(2025, 12, 31))
    for account, forecast in ((world.account, 1000), (world.other_account, 4000)):
        AccountSnapshot.objects.create(
            run=run, account=account, as_of=run.as_of, forecast_year_1=forecast
        )
    assert _shares("forecast") == {team: D("2000.00"), other: D("8000.00")}
    # Once the KAMs forecast the year, their forecasts.
    for account, amount in ((world.account, 300), (world.other_account, 100)):
        Forecast.objects.create(
            account=account, kam=world.kam, year=2026, quarter=1, amount=amount, model_amount=0
        )
    assert _shares("forecast") == {team: D("7500.00"), other: D("2500.00")}


def test_new_key_accounts_are_split_whole(world: World, sold: None) -> None:
    Target.objects.create(year=2026, level=Level.COMPANY, metric="new_key_accounts", amount=3)
    found = _shares("even", "new_key_accounts")
    assert sorted(found.values()) == [D("1"), D("2")]  # type: ignore[type-var]


def test_the_page_shows_each_teams_share_suggestion_and_the_remainder(
    world: World, sold: None
) -> None:
    Target.objects.create(year=2026, level=Level.TEAM, metric="sales", team=world.team, amount=6000)
    response = client_for(world.executive).get(PAGE, {"year": "2026", "basis": "last_year"})
    assert response.status_code == 200
    html = response.content.decode()
    row = html.split(f'data-team="{world.team.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "75.0%" in row  # 3,000 of 4,000 last year
    assert "¥7,500" in row  # the suggestion
    assert 'value="6000.00"' in row  # the current target, to adjust
    remainder = html.split('data-testid="split-remainder"', 1)[1].split("</tr>", 1)[0]
    assert "¥4,000" in remainder  # 10,000 less the 6,000 given
    assert 'data-testid="split-save"' in html
    assert "openkam/target_split." in html  # the remainder kept current as amounts are typed


def test_the_executive_saves_the_split_and_the_history_keeps_it(world: World, sold: None) -> None:
    executive = client_for(world.executive)
    response = executive.post(
        PAGE,
        {
            "year": "2026", "metric": "sales", "basis": "even", "company_amount": "12,000",
            f"team_{world.team.pk}": "8,000", f"team_{world.other_team.pk}": "3999.5",
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?year=2026&metric=sales&basis=even"
    company = Target.objects.get(year=2026, level=Level.COMPANY, metric="sales")
    assert company.amount == D("12000")
    teams = {
        t.team_id: (t.amount, t.parent_id)
        for t in Target.objects.filter(year=2026, level=Level.TEAM, metric="sales")
    }
    assert teams == {
        world.team.pk: (D("8000.00"), company.pk),
        world.other_team.pk: (D("3999.50"), company.pk),
    }
    html = executive.get(PAGE, {"year": "2026"}).content.decode()
    assert html.count('data-testid="history-row"') == 4  # the company twice, two teams
    remainder = html.split('data-testid="split-remainder"', 1)[1].split("</tr>", 1)[0]
    assert "¥0" in remainder  # 0.50 left: within the rounding of two amounts


@pytest.mark.parametrize(
    ("field", "typed", "says"),
    [
        ("company_amount", "lots", "The company's target: give a number."),
        ("company_amount", "", "The company's target: give the year's amount."),
        ("company_amount", "-5", "The company's target cannot be negative."),
        ("team", "12abc", ": give a number."),
        ("team", "-1", ": a target cannot be negative."),
    ],
)
def test_a_wrong_field_is_named_and_nothing_is_saved(
    world: World, sold: None, field: str, typed: str, says: str
) -> None:
    data = {
        "year": "2026", "metric": "sales", "company_amount": "12000",
        f"team_{world.team.pk}": "8000", f"team_{world.other_team.pk}": "4000",
    }  # fmt: skip
    name = f"team_{world.other_team.pk}" if field == "team" else field
    data[name] = typed
    before = list(Target.history.values_list("history_id", flat=True))
    response = client_for(world.executive).post(PAGE, data)
    assert response.status_code == 400
    html = response.content.decode()
    error = html.split(f'name="{name}"', 1)[1].split("</td>", 1)[0]
    assert "is-invalid" in html.split(f'name="{name}"', 1)[0].rsplit("<input", 1)[1]
    expected = f"{world.other_team.name}{says}" if field == "team" else says
    assert expected.replace("'", "&#x27;") in error
    assert list(Target.history.values_list("history_id", flat=True)) == before
    assert Target.objects.get(level=Level.COMPANY).amount == D("10000")
    assert not Target.objects.filter(level=Level.TEAM).exists()


def test_an_approved_teams_target_needs_a_reason_and_nothing_is_saved_without(
    world: World, sold: None
) -> None:
    Target.objects.create(
        year=2026, level=Level.TEAM, metric="sales", team=world.team, amount=5000,
        status=TargetStatus.APPROVED,
    )  # fmt: skip
    data = {"year": "2026", "metric": "sales", "company_amount": "11000",
            f"team_{world.team.pk}": "6000"}  # fmt: skip
    response = client_for(world.executive).post(PAGE, data)
    assert response.status_code == 400
    assert 'data-testid="field-error"' in response.content.decode().split('name="reason"', 1)[1]
    assert Target.objects.get(level=Level.COMPANY).amount == D("10000")  # rolled back
    assert Target.objects.get(level=Level.TEAM).amount == D("5000")
    response = client_for(world.executive).post(PAGE, {**data, "reason": "Reorganised"})
    assert response.status_code == 302
    changed = Target.objects.get(level=Level.TEAM)
    assert changed.amount == D("6000")
    assert changed.history.first().history_change_reason == "Reorganised"


@pytest.mark.parametrize("who", ["director", "kam", "other_kam", "analyst", "viewer"])
def test_only_an_executive_splits_and_a_refusal_saves_nothing(
    world: World, sold: None, who: str
) -> None:
    data = {"year": "2026", "metric": "sales", "company_amount": "1",
            f"team_{world.team.pk}": "1"}  # fmt: skip
    response = client_for(getattr(world, who)).post(PAGE, data)
    assert response.status_code == 403
    assert Target.objects.get(level=Level.COMPANY).amount == D("10000")
    assert not Target.objects.filter(level=Level.TEAM).exists()


@pytest.mark.parametrize(("who", "status"), [("analyst", 200), ("viewer", 404), ("director", 404),
                                             ("kam", 404), ("other_kam", 404)])  # fmt: skip
def test_who_reads_the_page(world: World, sold: None, who: str, status: int) -> None:
    response = client_for(getattr(world, who)).get(PAGE, {"year": "2026"})
    assert response.status_code == status
    if status == 200:  # readers see the split, without a way to save it
        assert 'data-testid="split-save"' not in response.content.decode()


def test_anonymous_users_are_sent_to_log_in(world: World) -> None:
    from django.test import Client

    response = Client().post(PAGE, {"company_amount": "1"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not Target.objects.exists()


def test_the_kpi_page_links_the_split(world: World) -> None:
    html = client_for(world.executive).get(reverse("performance:kpis")).content.decode()
    assert 'data-testid="split-link"' in html
