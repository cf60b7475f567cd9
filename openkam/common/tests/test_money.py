"""The one money rounding rule: amounts half up (四舍五入) to the currency's minor unit, where
Python's Decimal would round half to even; unit values half up to six places."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openkam.common import money

D = Decimal


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        ("0.125", "0.13"),  # half to even: 0.12
        ("0.325", "0.33"),  # half to even: 0.32
        ("0.375", "0.38"),
        ("2.665", "2.67"),  # half to even: 2.66
        ("-0.125", "-0.13"),  # away from zero, as a credit note is rounded
        ("0.124999", "0.12"),
    ],
)
def test_amounts_round_half_up_to_cents(value: str, rounded: str) -> None:
    assert str(money.amount_round(D(value))) == rounded


def test_amounts_of_a_column_round_as_one_amount_does() -> None:
    quantities, prices = [D("10"), D("3"), D("1")], [D("0.0125"), D("0.125"), D("2.665")]
    assert money.amounts_of(quantities, prices, ["CNY"] * 3) == [D("0.13"), D("0.38"), D("2.67")]


def test_a_currency_without_cents_rounds_to_whole_units_kept_with_two_places() -> None:
    assert str(money.amount_round(D("1234.5"), "JPY")) == "1235.00"
    assert money.amounts_of([D("3")], [D("0.5")], ["JPY"]) == [D("2.00")]


def test_unit_values_keep_six_places_and_round_half_up_beyond() -> None:
    assert str(money.unit_round(D("0.0325"))) == "0.032500"
    assert str(money.unit_round(D("71.6073"))) == "71.607300"
    assert str(money.per_unit(D("214.82"), D("3"))) == "71.606667"
    assert str(money.unit_round(D("0.0000125"))) == "0.000013"  # half to even: 0.000012
    assert money.per_units([D("0.5")], [D("1000000")]) == [D("0.000001")]  # even: 0.000000


def test_a_unit_value_of_no_quantity_is_zero() -> None:
    assert money.per_unit(D("10.00"), D("0")) == 0
