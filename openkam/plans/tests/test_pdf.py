"""The printable plan: every part printed as real (searchable) text in the reader's language,
Chinese included; the customer's version without the internal parts; the page route answers
who sees the account and 404s the others; the command writes a file or says in one line why
it cannot."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from pypdf import PdfReader

from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.plans.models import (
    AccountPlan,
    Action,
    JointTeamMember,
    PlanReview,
    PlanStatus,
    ResourceRequest,
    Risk,
    Strategy,
    SwotItem,
    ValueItem,
)
from openkam.plans.pdf import render_plan_pdf
from openkam.plans.tests.builders import objective, plan

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


def rich_plan(world: World) -> AccountPlan:
    """A plan with every part filled in, in Chinese, as a KAM would write it."""
    active = plan(
        world.account,
        status=PlanStatus.ACTIVE,
        customer_goals="三年内成为华东地区领先的新能源汽车零部件供应商",
        customer_changes="客户正在建设第二工厂，预计明年投产",
        value_proposition="提供本地化快速交付与联合研发",
        value_plan="缩短交付周期，降低客户的时间成本",
        internal_notes="内部备注：客户采购总监即将退休",
    )
    revenue = objective(
        active,
        description="年度销售额达到一千二百万",
        actual=Decimal("700000"),
        progress="on_track",
        measured_on=TODAY,
    )
    objective(
        active,
        metric="gross_margin",
        description="毛利率提升到百分之二十二",
        baseline=Decimal("18"),
        target=Decimal("22"),
        actual=Decimal("18.5"),
        progress="behind",
        measured_on=TODAY,
    )
    objective(active, metric="free_text", description="成为首选供应商", target=None, baseline=None)
    for kind, text in [
        ("strength", "本地化生产优势"),
        ("weakness", "交付周期偏长"),
        ("opportunity", "第二工厂采购需求"),
        ("threat", "竞争对手价格战"),
    ]:
        SwotItem.objects.create(plan=active, kind=kind, text=text)
    strategy = Strategy.objects.create(plan=active, description="与客户研发部门联合开发新品")
    strategy.objectives.add(revenue)
    Action.objects.create(
        plan=active, title="安排高层互访", owner=world.kam, due_on=dt.date(2026, 9, 30)
    )
    ResourceRequest.objects.create(
        plan=active, function="rnd", reason="样品测试需要研发支持", person_days=Decimal(20)
    )
    JointTeamMember.objects.create(plan=active, user=world.kam, role="kam")
    contact = ContactFactory.create(account=world.account, name="王建国")
    JointTeamMember.objects.create(plan=active, contact=contact, role="other", note="采购总监")
    ValueItem.objects.create(plan=active, component="product", amount=Decimal(500000), score=4)
    ValueItem.objects.create(plan=active, component="time", amount=Decimal(80000), score=2)
    Risk.objects.create(
        account=world.account,
        plan=active,
        source="customer",
        category="competition",
        description="竞争对手以低价切入第二工厂",
        probability="high",
        impact="high",
        rating="show_stopper",
        owner=world.kam,
    )
    PlanReview.objects.create(
        plan=active,
        held_on=dt.date(2026, 4, 1),
        since=dt.date(2026, 1, 1),
        figures={
            "before": {"revenue_12m": "9500000.00", "margin_rate": "18.00"},
            "after": {"revenue_12m": "10200000.00", "margin_rate": "18.50"},
            "stage_before": "early",
            "stage_after": "mid",
            "actions_done": 2,
        },
        decisions="加快样品认证进度",
        reviewed_by=world.director,
    )
    return active


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages).replace(" ", "")


def embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts whose glyphs travel inside the file."""
    found = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                found.add(str(font["/BaseFont"]))
    return found


INTERNAL = [
    "交付周期偏长",
    "竞争对手以低价切入",
    "样品测试需要研发支持",
    "内部备注",
    "加快样品认证",
]


def test_the_whole_plan_prints_as_searchable_chinese_text(world: World) -> None:
    pdf = render_plan_pdf(rich_plan(world), language="zh-hans", today=TODAY)
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    for words in [
        "三年内成为华东地区领先",
        "本地化生产优势",
        "第二工厂采购需求",
        "年度销售额达到一千二百万",
        "与客户研发部门联合开发新品",
        "安排高层互访",
        "王建国",
        "提供本地化快速交付与联合研发",
        *INTERNAL,
    ]:
        assert words in text, words
    assert "内部资料，请勿交给客户" in text  # the headings are in Chinese too
    assert any("CJK" in name for name in embedded_fonts(pdf))  # not left to the reader


def test_the_customer_version_leaves_out_the_internal_parts(world: World) -> None:
    pdf = render_plan_pdf(rich_plan(world), language="zh-hans", customer=True, today=TODAY)
    text = text_of(pdf)
    for words in INTERNAL:
        assert words not in text, words
    for words in ["本地化生产优势", "竞争对手价格战", "年度销售额达到一千二百万", "王建国"]:
        assert words in text, words


def test_the_english_reader_gets_english_headings(world: World) -> None:
    text = text_of(render_plan_pdf(rich_plan(world), language="en", today=TODAY))
    for heading in [
        "Objectives",
        "Strategies",
        "Jointteam",
        "Reviews",
        "Internal:notforthecustomer",
    ]:
        assert heading in text, heading
    assert "内部资料" not in text


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("executive", 200),
        ("director", 200),
        ("kam", 200),
        ("analyst", 200),
        ("viewer", 200),
        ("other_kam", 404),
    ],
)
def test_who_sees_the_account_gets_the_pdf(world: World, persona: str, status: int) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE, internal_notes="内部备注")
    response = client_for(getattr(world, persona)).get(
        f"/plans/{active.pk}/pdf/", {"audience": "customer", "lang": "en"}
    )
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert "内部备注" not in text_of(response.content)


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(world: World) -> None:
    response = Client().get(f"/plans/{plan(world.account).pk}/pdf/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_command_writes_the_pdf(world: World, tmp_path: Path) -> None:
    target = tmp_path / "plan.pdf"
    out = io.StringIO()
    call_command("plan_pdf", rich_plan(world).pk, out=target, lang="en", customer=True, stdout=out)
    text = text_of(target.read_bytes())
    assert "Forthecustomer" in text
    assert "交付周期偏长" not in text
    assert str(target) in out.getvalue()


def test_the_command_says_in_one_line_when_the_plan_does_not_exist(
    db: None, tmp_path: Path
) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("plan_pdf", 424242, out=tmp_path / "x.pdf")
    assert str(refused.value) == "no plan with ID 424242"
    assert refused.value.returncode == 1
    assert not (tmp_path / "x.pdf").exists()
