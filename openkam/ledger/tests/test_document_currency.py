"""The one rule for an invoice or a payment in another currency (the import's and the API's):
numbers by hand."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from openkam.ledger.currency import Document, document_in_company_currency

D = Decimal


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


def convert(currency: str, amount: str, rate: str = "", local: str = "") -> Document:
    return document_in_company_currency(
        company="CNY",
        currency=currency,
        amount=D(amount),
        exchange_rate=D(rate) if rate else None,
        local_amount=D(local) if local else None,
    )


def test_a_rate_converts_half_up_to_the_cent_and_is_kept() -> None:
    # 1,130.00 × 7.1234 = 8,049.442 -> 8,049.44; 0.05 × 7.1 = 0.355 -> 0.36 (half up)
    assert convert("USD", "1130.00", "7.1234") == Document(
        D("8049.44"), "CNY", "USD", D("1130.00"), D("7.1234")
    )
    assert convert("USD", "0.05", "7.1").amount == D("0.36")


def test_a_local_amount_is_used_as_it_is_with_the_rate_it_implies() -> None:
    # 882.53 ÷ 113.00 = 7.81; 100,000 JPY for 4,712.30 CNY: 0.047123
    assert convert("EUR", "113.00", "7.9", "882.53") == Document(
        D("882.53"), "CNY", "EUR", D("113.00"), D("7.810000")
    )
    assert convert("JPY", "100000", local="4712.30").exchange_rate == D("0.047123")
    # A credit note (红字) in both: the rate stays positive
    assert convert("USD", "-10.00", local="-71.23").exchange_rate == D("7.123")


def test_the_company_currency_or_no_rate_is_stored_as_it_is() -> None:
    assert convert("CNY", "500.00", "1") == Document(D("500.00"), "CNY")
    assert convert("USD", "200.00") == Document(D("200.00"), "USD")


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        ("0", "must be above zero"),
        ("-1", "must be above zero"),
        ("NaN", "must be above zero"),
        ("7.1234567", "at most 6 decimal places"),
        ("12345678901", "10 whole digits"),
    ],
)
def test_a_bad_rate_is_refused_naming_the_field(rate: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        convert("USD", "1.00", rate)
    assert message in refused.value.message_dict["exchange_rate"][0]
