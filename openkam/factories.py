"""factory_boy factories shared by the tests of every app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from openkam.accounts.models import Account, Industry, LifecycleStage, Region, Tier
from openkam.common.credit_code import check_character
from openkam.ledger.models import AccountMonth, Product
from openkam.relationships.models import Contact
from openkam.team.models import Role, Team, TeamMembership, User


def credit_code_for(n: int) -> str:
    """A valid unified social credit code, distinct for each n."""
    body = f"91310000{n:09d}"
    return body + check_character(body)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.KAM
    password = factory.django.Password("pw-for-tests")


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class MembershipFactory(DjangoModelFactory[TeamMembership]):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)


class IndustryFactory(DjangoModelFactory[Industry]):
    class Meta:
        model = Industry
        django_get_or_create = ("code",)

    code = "C3435"
    name = "电梯、自动扶梯及升降机制造"
    name_en = "Elevators, escalators and lifts"


class AccountFactory(DjangoModelFactory[Account]):
    class Meta:
        model = Account

    legal_name = factory.Sequence(lambda n: f"上海测试电梯有限公司{n}")
    short_name = factory.Sequence(lambda n: f"测试{n}")
    credit_code = factory.Sequence(credit_code_for)
    region = Region.EAST
    province = "上海市"
    city = "上海市"
    tier = Tier.GENERAL
    lifecycle_stage = LifecycleStage.MAINTENANCE
    credit_limit = Decimal("1000000")


class ContactFactory(DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    title = "采购经理"


class ProductFactory(DjangoModelFactory[Product]):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"曳引机 {n}")
    standard_cost = Decimal("100")
    list_price = Decimal("150")


class AccountMonthFactory(DjangoModelFactory[AccountMonth]):
    class Meta:
        model = AccountMonth

    account = factory.SubFactory(AccountFactory)
    month = dt.date(2026, 1, 1)
    revenue = Decimal("1000")
    cost = Decimal("700")
