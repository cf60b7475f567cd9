"""Every model of the domain apps has a back-office page, and each page answers."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.forms import BaseForm
from django.test import Client
from django.urls import reverse

from openkam.accounts.models import (
    AccountTeamMember,
    AccountTeamRole,
    BudgetCycle,
    BusinessUnit,
    CompanyEvent,
    Competitor,
    CompetitorPresence,
    FinancialYear,
    Location,
    Need,
    Officer,
    OutlookNote,
    Shareholder,
    WalletEstimate,
)
from openkam.factories import (
    AccountFactory,
    AccountMonthFactory,
    ContactFactory,
    IndustryFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
)
from openkam.ledger.models import (
    AccountDeliveryMonth,
    AccountPurchaseDay,
    CostToServe,
    Invoice,
    Order,
    OrderLine,
    Payment,
)
from openkam.relationships.models import JointProject
from openkam.team.models import User

DOMAIN_APPS = ("team", "accounts", "relationships", "ledger")
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in DOMAIN_APPS),
    key=lambda model: model._meta.label,
)
# A link column (to the account, say) used as the link to the row: the browser splits them.
NESTED_LINK = re.compile(r"<a [^>]*>(?:(?!</a>).)*<a ", re.DOTALL)
# Kept current by the system; nobody adds them by hand.
NO_ADD_PAGE = {"ledger.AccountMonth", "ledger.AccountPurchaseDay", "ledger.AccountDeliveryMonth"}


def one_of_everything() -> None:
    """One row in every table of the domain apps, linked as in real data."""
    membership = MembershipFactory.create()
    account = AccountFactory.create(
        industry=IndustryFactory.create(), team=membership.team, owner=membership.user
    )
    contact = ContactFactory.create(account=account)
    AccountTeamMember.objects.create(
        account=account, user=UserFactory.create(username="qe"), role=AccountTeamRole.QUALITY
    )
    project = JointProject.objects.create(
        account=account, kind="new_products", name="新一代门机", starts_on=dt.date(2026, 1, 5)
    )
    project.our_members.set([membership.user])
    project.their_members.set([contact])
    Shareholder.objects.create(account=account, name="上海电气集团", share_percent=Decimal("51"))
    Officer.objects.create(account=account, name="张伟", title="董事长", body=Officer.Body.BOARD)
    BusinessUnit.objects.create(account=account, name="扶梯事业部")
    Location.objects.create(account=account, kind=Location.Kind.PLANT, name="松江工厂")
    CompanyEvent.objects.create(
        account=account,
        kind=CompanyEvent.Kind.CAPEX,
        date=dt.date(2025, 3, 1),
        description="新建厂房",
    )
    FinancialYear.objects.create(account=account, year=2025, revenue=Decimal("1e9"))
    OutlookNote.objects.create(account=account, kind=OutlookNote.Kind.MARKET, text="房地产下行")
    BudgetCycle.objects.create(account=account, budget_month=10, tender_month=12)
    Need.objects.create(account=account, kind=Need.Kind.PRICE, description="降本 5%")
    WalletEstimate.objects.create(account=account, year=2025, category_spend=Decimal("5e7"))
    CompetitorPresence.objects.create(
        account=account, competitor=Competitor.objects.create(name="通力"), share_of_wallet=30
    )
    product = ProductFactory.create()
    order = Order.objects.create(account=account, order_no="SO-1", order_date=dt.date(2026, 1, 5))
    OrderLine.objects.create(
        order=order,
        account=account,
        product=product,
        quantity=Decimal("2"),
        unit_price=Decimal("150"),
        unit_cost=Decimal("100"),
        amount=Decimal("300"),
        cost=Decimal("200"),
    )
    invoice = Invoice.objects.create(
        account=account,
        order=order,
        invoice_no="INV-1",
        invoice_date=dt.date(2026, 1, 6),
        due_date=dt.date(2026, 2, 5),
        amount=Decimal("300"),
    )
    Payment.objects.create(
        account=account, invoice=invoice, payment_date=dt.date(2026, 2, 1), amount=Decimal("300")
    )
    CostToServe.objects.create(
        account=account,
        year=2026,
        kind=CostToServe.Kind.INDIRECT,
        category=CostToServe.Category.FREIGHT,
        amount=Decimal("20"),
    )
    AccountMonthFactory.create(account=account)
    AccountPurchaseDay.objects.create(
        account=account, day=dt.date(2026, 1, 5), revenue=Decimal("300"), cost=Decimal("200")
    )
    AccountDeliveryMonth.objects.create(
        account=account, month=dt.date(2026, 1, 1), lines_due=4, lines_on_time=3
    )


@pytest.fixture
def superuser_client(db: None) -> Client:
    superuser = UserFactory.create(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    return client


def admin_form_data(response: Any) -> dict[str, Any]:
    """The POST data that saves an admin change page as it was shown, inlines included."""
    forms: list[BaseForm] = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data: dict[str, Any] = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is not None and value is not False:
                data[field.html_name] = "on" if value is True else value
    return data


def admin_url(model: type[models.Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_of_the_domain_apps_is_registered() -> None:
    unregistered = [
        model._meta.label
        for app_label in DOMAIN_APPS
        for model in apps.get_app_config(app_label).get_models()
        if model not in admin.site._registry and not model.__name__.startswith("Historical")
    ]

    assert unregistered == []


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_the_changelist_answers_with_a_row_in_it(
    superuser_client: Client, model: type[models.Model]
) -> None:
    one_of_everything()

    response = superuser_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == model._default_manager.count() >= 1
    assert not NESTED_LINK.search(response.content.decode())


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_the_change_page_of_one_row_answers(
    superuser_client: Client, model: type[models.Model]
) -> None:
    one_of_everything()
    row = model._default_manager.order_by("pk").first()
    assert row is not None

    response = superuser_client.get(admin_url(model, "change", row.pk))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "model",
    [model for model in REGISTERED if model._meta.label not in NO_ADD_PAGE],
    ids=lambda model: model._meta.label,
)
def test_the_add_page_answers(superuser_client: Client, model: type[models.Model]) -> None:
    response = superuser_client.get(admin_url(model, "add"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_the_changelist_answers_in_chinese(
    superuser_client: Client, model: type[models.Model]
) -> None:
    one_of_everything()

    response = superuser_client.get(
        admin_url(model, "changelist"), headers={"accept-language": "zh-hans"}
    )

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"


def test_a_user_created_through_the_admin_gets_a_role(superuser_client: Client) -> None:
    response = superuser_client.post(
        admin_url(User, "add"),
        {
            "username": "wangfang",
            "usable_password": "true",
            "password1": "a-long-Passw0rd-for-tests",
            "password2": "a-long-Passw0rd-for-tests",
            "display_name": "王芳",
            "role": "kam",
            "function": "sales",
            "teammembership_set-TOTAL_FORMS": "0",
            "teammembership_set-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    user = User.objects.get(username="wangfang")
    assert (user.role, user.display_name) == ("kam", "王芳")
