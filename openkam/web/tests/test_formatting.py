"""Money and ratios on screen: thousands separators in both languages, a currency, a dash
for what is unknown."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from openkam.web.templatetags.openkam_ui import bar_width, money, percent, ratio_of


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_full_figure_is_grouped_by_thousands_with_the_currency(language: str) -> None:
    with translation.override(language):
        rendered = Template("{% load openkam_ui %}{{ amount|money_full }}").render(
            Context({"amount": Decimal("12345678.50")})
        )
    assert rendered == "¥12,345,679"


def test_money_in_other_currencies_and_negative_amounts() -> None:
    with translation.override("en"):
        assert (
            money(Decimal("-1500"), "USD")
            == '<span class="okam-money" title="-$1,500">-$1.5K</span>'
        )
        assert money(Decimal("500"), "JPY") == "JPY 500"


def test_missing_values_show_a_dash() -> None:
    assert money(None) == "—"
    assert percent(None) == "—"
    assert ratio_of(Decimal("5"), Decimal("0")) is None


def test_ratios_become_percentages() -> None:
    assert percent(Decimal("0.12345")) == "12.3%"
    assert percent(ratio_of(Decimal("1"), Decimal("8")), 2) == "12.50%"


def test_bar_widths_stay_between_0_and_100_percent() -> None:
    assert bar_width(Decimal("1.7")) == "100.0%"
    assert bar_width(Decimal("-0.2")) == "0.0%"
    assert bar_width(None) == "0.0%"
