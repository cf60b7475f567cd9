"""keyed_page: the page's rows in the queryset's order, with their annotations, and the
paginator's figures, as Django's own Paginator gives them."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db.models import F, Value
from django.db.models.functions import Concat

from openkam.accounts.models import Account
from openkam.common.queries import keyed_page
from openkam.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_the_same_pages_as_the_paginator_with_the_annotations() -> None:
    for index in range(7):
        AccountFactory.create(legal_name=f"Account {6 - index}")
    rows = Account.objects.annotate(label=Concat(F("legal_name"), Value("!"))).order_by(
        "-legal_name", "pk"
    )
    for number in (1, 2, 3, "last", "x", 99):
        mine = keyed_page(rows, number, 3)
        django = Paginator(rows, 3).get_page(number)
        assert [row.pk for row in mine] == [row.pk for row in django.object_list]
        assert [row.label for row in mine] == [f"{row.legal_name}!" for row in mine]
        assert (mine.number, mine.paginator.count, mine.paginator.num_pages) == (
            django.number,
            django.paginator.count,
            django.paginator.num_pages,
        )
    assert [row.legal_name for row in keyed_page(rows, 1, 3)] == [
        "Account 6",
        "Account 5",
        "Account 4",
    ]
