"""The account page shows the whole profile, the contacts, the group and the ledger summary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Account, Tier
from openkam.common.months import add_months
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, ContactFactory
from openkam.relationships.models import InfluenceType, Support
from openkam.web.tests.builders import account_360, add_contacts, add_ledger, add_profile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def page_of(world: World, account: Account) -> str:
    return account_360(client_for(world.kam), account)


def test_the_header_shows_identity_tier_stages_owner_and_credit_terms(world: World) -> None:
    account = world.account
    account.legal_name = "上海远景电梯有限公司"
    account.tier = Tier.KEY
    account.is_strategic = True
    account.credit_limit = Decimal("2500000")
    account.payment_terms_days = 60
    account.save()
    html = page_of(world, account)
    assert "上海远景电梯有限公司" in html
    assert account.short_name in html
    assert account.credit_code in html
    assert "Key" in html
    assert "Designated strategic" in html
    assert "Maintenance" in html
    assert "Pre-KAM" in html
    assert "华东大客户部" in html
    assert "¥2,500,000" in html
    assert "60 days payment terms" in html


def test_every_profile_section_is_shown(world: World) -> None:
    add_profile(world.account, 2)
    html = page_of(world, world.account)
    for text in ("股东1", "董事1", "事业部1", "工厂1", "新建产线1", "展望1", "降本1", "竞争对手1"):
        assert text in html
    assert "6.3%" in html  # ROA: 50,000 / 800,000
    assert "1.00" in html  # debt to equity: 400,000 / 400,000


def test_contacts_show_their_buying_role(world: World) -> None:
    ContactFactory.create(
        account=world.account,
        name="王经理",
        title="采购总监",
        department="采购部",
        influence_type=InfluenceType.ECONOMIC,
        influence_level=5,
        support=Support.CHAMPION,
        stage_choice=True,
        preferred_channel="wechat",
    )
    html = page_of(world, world.account)
    for text in ("王经理", "采购总监", "采购部", "Economic buyer", "Champion", "WeChat"):
        assert text in html


def test_ledger_summary_reads_the_monthly_aggregates_and_receivables(world: World) -> None:
    this_month = timezone.localdate().replace(day=1)
    add_ledger(world.account, 14, last_month=this_month)
    response = client_for(world.kam).get(reverse("accounts:detail", args=[world.account.pk]))
    ledger = response.context["ledger"]
    assert ledger.last_12m.revenue == Decimal("12000")
    assert ledger.last_12m.margin == Decimal("4800")
    assert ledger.last_12m.order_count == 12
    assert ledger.order_count == 14
    assert ledger.open_receivables == Decimal("7000")
    assert ledger.last_order_date == this_month
    html = response.content.decode()
    assert "¥12,000" in html
    assert "¥7,000" in html
    assert 'id="account-revenue-data"' in html


def test_an_account_without_business_shows_empty_states(world: World) -> None:
    html = page_of(world, world.account)
    assert "No revenue recorded in the last 36 months" in html
    assert "No contacts recorded" in html
    assert "No group structure recorded" in html
    assert 'id="account-revenue-data"' not in html


def test_the_group_shows_parents_and_rolled_up_revenue_of_the_subtree(world: World) -> None:
    month = add_months(timezone.localdate(), 0)
    parent = AccountFactory.create(legal_name="远景集团", team=world.team)
    world.account.parent = parent
    world.account.save()
    child = AccountFactory.create(legal_name="远景苏州工厂", parent=world.account, team=world.team)
    add_ledger(world.account, 1, last_month=month)
    add_ledger(child, 2, last_month=month)
    client = client_for(world.kam)
    response = client.get(reverse("accounts:tab", args=[world.account.pk, "group"]))
    group = response.context["group"]
    assert [link.account.pk for link in group.ancestors] == [parent.pk]
    assert [(row.account.pk, row.depth) for row in group.rows] == [
        (world.account.pk, 0),
        (child.pk, 1),
    ]
    assert group.rows[0].rolled_up_revenue == Decimal("3000")
    html = account_360(client, world.account)
    assert f'href="{parent.get_absolute_url()}"' in html
    assert f'href="{child.get_absolute_url()}"' in html
    header = client.get(reverse("accounts:detail", args=[world.account.pk])).context["group"]
    assert [link.account.pk for link in header.ancestors] == [parent.pk]
    assert header.below == 1  # the tab's count, before the tab is opened


def test_group_members_the_user_may_not_see_are_counted_not_named(world: World) -> None:
    hidden_child = AccountFactory.create(
        legal_name="别队子公司", parent=world.account, team=world.other_team
    )
    client = client_for(world.kam)
    html = account_360(client, world.account)
    assert "别队子公司" not in html
    assert f'href="{hidden_child.get_absolute_url()}"' not in html
    response = client.get(reverse("accounts:tab", args=[world.account.pk, "group"]))
    assert [row.account.pk for row in response.context["group"].rows] == [world.account.pk]
    assert response.context["group"].hidden_members == 1


def test_wallet_estimates_show_our_share_of_the_category_spend(world: World) -> None:
    add_profile(world.account, 1)  # spend 5,000,000 in year 2000
    from openkam.factories import AccountMonthFactory

    AccountMonthFactory.create(
        account=world.account, month=dt.date(2000, 3, 1), revenue="500000", cost="0"
    )
    response = client_for(world.kam).get(reverse("accounts:tab", args=[world.account.pk, "needs"]))
    [row] = response.context["wallet"]
    assert row.share_of_wallet == Decimal("0.1")
    assert "10.0%" in response.content.decode()


def test_contacts_of_many_accounts_do_not_mix(world: World) -> None:
    add_contacts(world.account, 2)
    add_contacts(world.other_account, 2)
    html = page_of(world, world.account)
    assert f"联系人{world.account.pk}-1" in html
    assert f"联系人{world.other_account.pk}-1" not in html


def test_the_header_links_to_the_relationship_map_and_the_interactions(world: World) -> None:
    html = client_for(world.kam).get(reverse("accounts:detail", args=[world.account.pk]))
    content = html.content.decode()
    assert f'href="/relationships/accounts/{world.account.pk}/"' in content
    assert f'href="/interactions/accounts/{world.account.pk}/"' in content
