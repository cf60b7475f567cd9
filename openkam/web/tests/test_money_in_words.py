"""Money reads as a reader of the page counts it: 万 and 亿 in Chinese, K / M / B in English,
the exact figure on hover (the title attribute), the same currency sign everywhere."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from openkam.web.templatetags.openkam_ui import money, money_full, money_short


@pytest.mark.parametrize(
    ("amount", "chinese"),
    [
        ("12345", "¥1.23万"),
        ("123456789", "¥1.23亿"),
        ("-12345", "-¥1.23万"),
        ("0", "¥0"),
        ("9999", "¥9,999"),
        ("100000", "¥10万"),
        ("99999999", "¥1亿"),
        ("5000000000", "¥50亿"),
    ],
)
def test_chinese_money_is_counted_in_wan_and_yi(amount: str, chinese: str) -> None:
    with translation.override("zh-hans"):
        assert money_short(Decimal(amount)) == chinese


@pytest.mark.parametrize(
    ("amount", "english"),
    [
        ("1234567", "¥1.2M"),
        ("12345", "¥12.3K"),
        ("999", "¥999"),
        ("-2500000000", "-¥2.5B"),
        ("0", "¥0"),
    ],
)
def test_english_money_is_counted_in_thousands_millions_and_billions(
    amount: str, english: str
) -> None:
    with translation.override("en"):
        assert money_short(Decimal(amount)) == english


def test_a_page_shows_the_short_form_with_the_exact_figure_on_hover() -> None:
    with translation.override("zh-hans"):
        rendered = Template("{% load openkam_ui %}{{ amount|money }}").render(
            Context({"amount": Decimal("123456789")})
        )
    assert rendered == '<span class="okam-money" title="¥123,456,789">¥1.23亿</span>'


def test_small_amounts_and_unknown_values_are_shown_whole() -> None:
    with translation.override("zh-hans"):
        assert money(Decimal("850")) == "¥850"
        assert money(None) == "—"
        assert money_full(None) == "—"


def test_the_currency_is_a_sign_never_the_iso_code() -> None:
    with translation.override("zh-hans"):
        assert money_short(Decimal("20000"), "CNY") == "¥2万"
        assert money_full(Decimal("20000"), "CNY") == "¥20,000"
