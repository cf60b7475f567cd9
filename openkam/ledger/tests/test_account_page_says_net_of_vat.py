"""The account page says, beside its revenue, that revenue and margins are net of VAT (the
ledger stores order lines net, the VAT beside them), in both languages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from openkam.conftest import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "note"),
    [("en", "Revenue and margins are net of VAT."), ("zh-hans", "收入和毛利均不含增值税。")],
)
def test_the_account_page_says_revenue_is_net_of_vat(
    client: Client, world: World, language: str, note: str
) -> None:
    client.force_login(world.kam)
    with translation.override(language):
        response = client.get(
            reverse("accounts:detail", args=[world.account.pk]), HTTP_ACCEPT_LANGUAGE=language
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<div class="text-secondary small mt-1" data-testid="net-of-vat">{note}</div>' in html
