"""The investment-promotion mode (招商模式): the vocabulary in both languages in both modes,
the promotion stages (moves, the log, win rate, conversion), per-mu figures and the
scorecard pinned to hand-computed values, the target profile and the suppliers it brings,
the figures by chain, stage and officer, and refusals per persona that save nothing."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from openkam.accounts.models import Account
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.pipeline import promotion, selectors, services
from openkam.pipeline.models import (
    PROMOTION_STAGES,
    ChainLink,
    IndustryChain,
    Opportunity,
    ProjectTerms,
    Stage,
    StageChange,
    TargetProfile,
)
from openkam.pipeline.tests.builders import opportunity
from openkam.pipeline.vocabulary import en_words, zh_words
from openkam.plans.tests import builders as plans

pytestmark = pytest.mark.django_db


@pytest.fixture
def promotion_mode(settings: Any) -> None:
    """OPENKAM_MODE=promotion as settings.py makes it: the mode and its catalogue first."""
    settings.OPENKAM_MODE = "promotion"
    settings.LOCALE_PATHS = [settings.PROMOTION_LOCALE, *settings.LOCALE_PATHS]


WORDS = ("Customer", "Opportunities", "KAM", "Executive", "Account")


def _words(language: str) -> list[str]:
    with translation.override(language):
        return [translation.gettext(word) for word in WORDS]


def test_the_sales_mode_keeps_the_sales_words_in_both_languages() -> None:
    assert _words("en") == ["Customer", "Opportunities", "KAM", "Executive", "Account"]
    chinese = _words("zh-hans")
    assert [chinese[1], chinese[2], chinese[4]] == ["商机", "大客户经理", "客户"]


@pytest.mark.usefixtures("promotion_mode")
def test_the_promotion_mode_says_the_offices_words_in_both_languages() -> None:
    assert _words("en") == [
        "Target enterprise",
        "Investment projects",
        "Promotion officer",
        "Bureau leadership",
        "Target enterprise",
    ]
    assert _words("zh-hans") == ["目标企业", "招商项目", "招商专员", "局领导", "目标企业"]
    with translation.override("en"):
        sentence = translation.gettext("Say why the opportunity was lost.")
    assert sentence == "Say why the investment project was lost."


def test_the_rules_leave_placeholders_names_and_log_in_accounts_alone() -> None:
    assert (
        en_words("OpenKAM: %(customers)s customers") == "OpenKAM: %(customers)s target enterprises"
    )
    assert en_words("its KAM, then an account") == "its promotion officer, then a target enterprise"
    assert en_words("Your account is locked.") == "Your account is locked."
    assert en_words("Pre-KAM") == "Pre-KAM"  # the relationship model's stage keeps its name
    assert (
        zh_words("大客户经理负责%(客户)s的客户和高层") == "招商专员负责%(客户)s的目标企业和局领导"
    )


def _pages(world: World, language: str) -> str:
    client = client_for(world.kam)
    client.cookies["django_language"] = language
    return client.get(reverse("pipeline:figures")).content.decode()


def test_the_pages_change_words_with_the_mode(world: World, settings: Any) -> None:
    assert "商机管道" in _pages(world, "zh-hans")
    assert "Per key account manager" in _pages(world, "en")
    settings.OPENKAM_MODE = "promotion"
    settings.LOCALE_PATHS = [settings.PROMOTION_LOCALE, *settings.LOCALE_PATHS]
    chinese, english = _pages(world, "zh-hans"), _pages(world, "en")
    assert "招商项目库" in chinese
    assert "商机" not in chinese.split("<main")[-1]
    assert "按产业链和阶段的项目" in chinese
    assert "Per promotion officer" in english
    assert "Projects by chain and stage" in english


def test_settings_read_the_mode_from_the_environment() -> None:
    code = (
        "from django.conf import settings;"
        "print(settings.OPENKAM_MODE, settings.LOCALE_PATHS[0].name)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "openkam.settings", "OPENKAM_MODE": "Promotion"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["promotion", "promotion_locale"]
    env["OPENKAM_MODE"] = "office"
    bad = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert "OPENKAM_MODE='office' is not one of sales, promotion" in bad.stderr


@pytest.mark.usefixtures("promotion_mode")
def test_a_project_moves_through_the_promotion_stages_with_its_log(world: World) -> None:
    project = services.opportunity_create(
        user=world.kam,
        account_id=world.account.pk,
        title="电池工厂",
        amount=Decimal("500000000"),
        expected_close=dt.date(2026, 12, 1),
        stage=Stage.LEAD,
    )
    for stage in (Stage.SITE_VISIT, Stage.SIGNED):
        services.opportunity_move_stage(user=world.kam, opportunity=project, stage=stage)
    signed_on = project.closed_on
    assert signed_on == timezone.localdate()
    StageChange.objects.filter(opportunity=project).update(at=timezone.now() - dt.timedelta(days=9))
    Opportunity.objects.filter(pk=project.pk).update(closed_on=dt.date(2026, 1, 5))
    project.refresh_from_db()
    services.opportunity_move_stage(user=world.kam, opportunity=project, stage=Stage.LANDED)
    project.refresh_from_db()
    assert (project.stage, project.closed_on) == (Stage.LANDED, dt.date(2026, 1, 5))
    log = list(project.stage_changes.order_by("pk").values_list("to_stage", flat=True))
    assert log == ["lead", "site_visit", "signed", "landed"]
    assert selectors.win_rate(world.kam) == 1.0
    assert [row.stage for row in selectors.pipeline_flow(world.kam)] == [
        "lead", "first_contact", "site_visit", "negotiation", "signed", "landed"
    ]  # fmt: skip


@pytest.mark.usefixtures("promotion_mode")
def test_a_sales_stage_is_refused_in_promotion_mode_and_nothing_is_saved(world: World) -> None:
    with pytest.raises(services.ValidationError) as refused:
        services.opportunity_create(
            user=world.kam,
            account_id=world.account.pk,
            title="x",
            amount=Decimal(1),
            expected_close=dt.date(2026, 12, 1),
            stage=Stage.NEEDS_ANALYSIS,
        )
    assert "stage" in refused.value.message_dict
    project = opportunity(world.account, stage=Stage.LEAD)
    with pytest.raises(services.ValidationError):
        services.opportunity_move_stage(user=world.kam, opportunity=project, stage=Stage.WON)
    assert Opportunity.objects.get().stage == Stage.LEAD
    assert StageChange.objects.count() == 1


def test_stage_flow_over_a_hand_built_promotion_log() -> None:
    day = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    log = [
        (1, "lead", day), (1, "site_visit", day + dt.timedelta(days=10)),
        (1, "signed", day + dt.timedelta(days=40)),
        (2, "lead", day), (2, "first_contact", day + dt.timedelta(days=4)),
        (2, "lost", day + dt.timedelta(days=8)),
    ]  # fmt: skip
    flow = {row.stage: row for row in selectors.stage_flow(log, PROMOTION_STAGES)}
    assert (flow["lead"].reached, flow["lead"].converted) == (2, 2)
    assert (flow["first_contact"].reached, flow["first_contact"].converted) == (2, 1)
    assert flow["lead"].average_days == 7.0  # (10 + 4) / 2
    assert flow["site_visit"].average_days == 30.0
    assert (flow["signed"].reached, flow["signed"].converted) == (1, 0)


def test_output_and_tax_per_mu_are_hand_computed(world: World) -> None:
    project = opportunity(world.account, amount="500000000", stage=Stage.NEGOTIATION)
    terms = ProjectTerms.objects.create(
        opportunity=project,
        land_mu=Decimal("150"),
        annual_output=Decimal("600000000"),
        annual_tax=Decimal("36000000"),
    )
    assert terms.output_per_mu == Decimal("4000000")  # 6 亿 / 150 亩 = 400 万
    assert terms.tax_per_mu == Decimal("240000")  # 3600 万 / 150 亩 = 24 万
    odd = ProjectTerms(land_mu=Decimal("37.5"), annual_tax=Decimal("1000000"))
    assert odd.tax_per_mu == Decimal("26667")  # 26,666.67 to the yuan
    assert ProjectTerms(annual_tax=Decimal(5)).tax_per_mu is None  # no land, no figure


def test_the_scorecard_weighs_the_promotion_criteria(world: World) -> None:
    project = opportunity(world.account, amount="500000000", stage=Stage.NEGOTIATION)
    terms = ProjectTerms(
        opportunity=project, land_mu=Decimal(150), annual_tax=Decimal(36000000), park_fit=4
    )
    profile = TargetProfile(account=world.account, technology_level=3)
    score = promotion.project_score(project, terms, profile, suppliers=3)
    # investment 5 亿 of 10 亿: 50; tax per mu 24 万 of 50 万: 48; 3 of 5 suppliers: 60;
    # technology 3 of 1-5: 50; fit 4 of 1-5: 75.
    assert {line.key: line.score for line in score.lines} == {
        "investment": 50.0, "tax_per_mu": 48.0, "leverage": 60.0, "technology": 50.0,
        "park_fit": 75.0,
    }  # fmt: skip
    # (50 x 30 + 48 x 25 + 60 x 20 + 50 x 15 + 75 x 10) / 100 = 54.0
    assert score.total == 54.0
    bare = promotion.project_score(project, None, None, suppliers=0)
    # Only investment (50) and leverage (0) are known: (50 x 30 + 0 x 20) / 50 = 30.0
    assert (bare.total, bare.scored) == (30.0, 2)


def _office(world: World) -> tuple[Account, Account, Opportunity]:
    chain = IndustryChain.objects.create(name="动力电池")
    supplier = AccountFactory.create(team=world.team, owner=world.kam, legal_name="清源隔膜")
    TargetProfile.objects.create(account=world.account, chain=chain, position="leader")
    ChainLink.objects.create(anchor=world.account, supplier=supplier, supplies="隔膜")
    project = opportunity(world.account, amount="300000000", stage=Stage.SIGNED, title="超级工厂")
    opportunity(supplier, amount="50000000", stage=Stage.SITE_VISIT, title="隔膜产线")
    return world.account, supplier, project


@pytest.mark.usefixtures("promotion_mode", "english")
def test_the_leader_sees_projects_by_chain_stage_and_officer_with_the_suppliers(
    world: World,
) -> None:
    _anchor, supplier, _project = _office(world)
    figures = promotion.promotion_figures(
        selectors.opportunities_visible_to(world.executive), world.executive
    )
    stages = [code for code, _label in figures.stages]
    battery = next(row for row in figures.by_chain if row.chain == "动力电池")
    assert battery.counts[stages.index("signed")] == 1
    assert battery.investment == Decimal("300000000")
    other = next(row for row in figures.by_chain if row.chain == "—")
    assert other.counts[stages.index("site_visit")] == 1
    assert [link.supplier.legal_name for link in figures.leaders[0].suppliers] == ["清源隔膜"]
    assert [(row.open, row.won) for row in figures.by_officer] == [(1, 1)]
    page = client_for(world.executive).get(reverse("pipeline:figures")).content.decode()
    leaders = page.split('data-testid="chain-leaders"')[1].split('data-testid="ranking"')[0]
    assert f'data-testid="brought-supplier">{supplier}</a>（隔膜）' in leaders
    assert page.count('data-testid="chain-row"') == 2
    hidden = client_for(world.other_kam).get(reverse("pipeline:figures")).content.decode()
    assert "清源隔膜" not in hidden


@pytest.mark.usefixtures("english")
def test_the_officer_records_terms_and_the_profile_and_links_a_supplier(world: World) -> None:
    anchor, _supplier, project = _office(world)
    client = client_for(world.kam)
    response = client.post(
        reverse("pipeline:terms", args=[project.pk]),
        {"land_mu": "150", "annual_output": "600000000", "annual_tax": "36000000",
         "jobs": "1200", "competing_cities": "合肥、常州", "park_fit": "4"},
    )  # fmt: skip
    assert response.status_code == 302
    terms = ProjectTerms.objects.get(opportunity=project)
    assert (terms.tax_per_mu, terms.jobs, terms.park_fit) == (Decimal("240000"), 1200, 4)
    detail = client.get(reverse("pipeline:detail", args=[project.pk])).content.decode()
    assert 'data-testid="tax-per-mu">¥240K<' in detail
    third = AccountFactory.create(team=world.team, owner=world.kam, legal_name="天合电解液")
    response = client.post(
        reverse("pipeline:supplier-add", args=[anchor.pk]),
        {"supplier_id": third.pk, "supplies": "电解液"},
    )
    assert response.status_code == 302
    assert ChainLink.objects.filter(anchor=anchor).count() == 2
    response = client.post(
        reverse("pipeline:target", args=[anchor.pk]),
        {"position": "leader", "market_share": "11", "technology_level": "5",
         "policy_asks": "用地 300 亩"},
    )  # fmt: skip
    assert response.status_code == 302
    profile = TargetProfile.objects.get(account=anchor)
    assert (profile.market_share, profile.technology_level) == (Decimal(11), 5)
    assert profile.chain is None  # cleared: the form sends every field


@pytest.mark.usefixtures("english")
def test_bad_input_names_the_field_and_saves_nothing(world: World) -> None:
    _anchor, _supplier, project = _office(world)
    client = client_for(world.kam)
    response = client.post(reverse("pipeline:terms", args=[project.pk]), {"land_mu": "0"})
    assert response.status_code == 400
    assert "Enter the land in mu" in response.content.decode()
    response = client.post(
        reverse("pipeline:target", args=[world.account.pk]), {"market_share": "140"}
    )
    assert response.status_code == 400
    assert "Enter a percentage from 0 to 100." in response.content.decode()
    assert ProjectTerms.objects.count() == 0
    assert TargetProfile.objects.get().market_share is None


def _stored() -> list[Any]:
    return [
        list(ProjectTerms.objects.values()),
        list(TargetProfile.objects.values()),
        list(ChainLink.objects.values()),
    ]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("executive", 302), ("director", 302), ("kam", 302), ("other_kam", 404),
     ("analyst", 403), ("viewer", 403), ("anonymous", 302)],
)  # fmt: skip
def test_each_persona_writes_the_promotion_facts_or_is_refused(
    world: World, persona: str, status: int
) -> None:
    anchor, _supplier, project = _office(world)
    third = AccountFactory.create(team=world.team, owner=world.kam)
    client = Client() if persona == "anonymous" else client_for(getattr(world, persona))
    before = _stored()
    writes = [
        (reverse("pipeline:terms", args=[project.pk]), {"land_mu": "10", "jobs": "5"}),
        (reverse("pipeline:target", args=[anchor.pk]), {"position": "supplier"}),
        (reverse("pipeline:supplier-add", args=[anchor.pk]), {"supplier_id": third.pk}),
    ]
    responses = [client.post(url, data) for url, data in writes]
    assert [response.status_code for response in responses] == [status] * 3
    if persona == "anonymous":
        assert all("/login" in response["Location"] for response in responses)
    if status != 302 or persona == "anonymous":
        assert _stored() == before
    else:
        assert ProjectTerms.objects.get().land_mu == Decimal(10)
        assert TargetProfile.objects.get(account=anchor).position == "supplier"
        assert ChainLink.objects.filter(anchor=anchor).count() == 2


@pytest.mark.usefixtures("english")
def test_an_objective_of_the_accounts_plan_links_to_the_opportunity(world: World) -> None:
    deal = opportunity(world.account)
    objective = plans.objective(plans.plan(world.account), description="份额提升到 30%")
    foreign = plans.objective(plans.plan(world.other_account))
    with pytest.raises(services.ValidationError) as refused:
        services.opportunity_update(
            user=world.kam, opportunity=deal, changes={"objective_id": foreign.pk}
        )
    assert "objective_id" in refused.value.message_dict
    services.opportunity_update(
        user=world.kam, opportunity=deal, changes={"objective_id": objective.pk}
    )
    assert list(objective.opportunities.all()) == [deal]
    page = client_for(world.kam).get(reverse("pipeline:detail", args=[deal.pk])).content.decode()
    assert "份额提升到 30%" in page


@pytest.mark.usefixtures("english")
def test_the_board_takes_the_stale_threshold_from_its_control(world: World) -> None:
    deal = opportunity(world.account)
    Opportunity.objects.filter(pk=deal.pk).update(updated_at=timezone.now() - dt.timedelta(days=8))
    client = client_for(world.kam)
    assert 'data-testid="stale-badge"' not in client.get(reverse("pipeline:board")).content.decode()
    page = client.get(reverse("pipeline:board"), {"stale": "7"}).content.decode()
    assert page.count('data-testid="stale-badge"') == 1
    assert 'name="stale" value="7"' in page
    assert "No change in 7 days" in page
