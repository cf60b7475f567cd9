"""The cell parsers read the forms Chinese ERPs and people write, and refuse what they cannot
read for sure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openkam.imports import parsing
from openkam.imports.parsing import CellError


@pytest.mark.parametrize(
    "text",
    ["2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", "２０２４年３月５日", "20240305",
     "2024-03-05 14:30:00", "45356", " 2024/03/05 "],
)  # fmt: skip
def test_dates_in_chinese_iso_and_excel_forms_read_as_the_same_day(text: str) -> None:
    assert parsing.parse_date(text) == dt.date(2024, 3, 5)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2024-02-30", "invalid_date"),
        ("2024/13/1", "invalid_date"),
        ("next week", "not_a_date"),
        ("3/5/2024", "not_a_date"),
    ],
)
def test_impossible_or_ambiguous_dates_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(CellError) as caught:
        parsing.parse_date(text)
    assert caught.value.reason == reason


def test_an_empty_date_cell_is_none() -> None:
    assert parsing.parse_date("  ") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("1234.5", "1234.5"), ("1,234.50", "1234.50"), ("¥1,234.50", "1234.50"),
     ("￥１，２３４．５０", "1234.50"), ("RMB 1234", "1234"), ("(1,234.00)", "-1234.00"),
     ("-12", "-12"), ("1234-", "-1234"), ("1234元", "1234"), ("$ 7", "7")],
)  # fmt: skip
def test_amounts_with_separators_currency_signs_full_width_and_accounting_negatives(
    text: str, value: str
) -> None:
    assert parsing.parse_decimal(text) == Decimal(value)


@pytest.mark.parametrize("text", ["12,34", "1.2.3", "abc", "--5", "NaN", "1e400x"])
def test_numbers_that_could_be_misread_are_refused(text: str) -> None:
    with pytest.raises(CellError):
        parsing.parse_decimal(text)


def test_a_value_with_more_decimals_than_the_field_keeps_is_refused_not_rounded() -> None:
    with pytest.raises(CellError) as caught:
        parsing.fit_decimal(Decimal("1.005"), max_digits=18, decimal_places=2)
    assert caught.value.reason == "too_precise"
    assert parsing.fit_decimal(Decimal("1.5"), max_digits=18, decimal_places=2) == Decimal("1.50")


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False))
def test_any_amount_written_with_thousands_separators_reads_back_exactly(value: Decimal) -> None:
    written = f"{abs(value):,.2f}"
    text = f"({written})" if value < 0 else f"¥{written}"
    assert parsing.parse_decimal(text) == value


@pytest.mark.parametrize(
    ("a", "b"),
    [("上海电梯（集团）股份有限公司", "上海电梯"), ("上海电梯有限公司", "上海电梯集团"),
     ("ＡＢＣ Elevator Co., Ltd.", "abc elevator"), ("东方电梯 有限公司", "东方电梯")],
)  # fmt: skip
def test_normalised_names_ignore_legal_forms_width_case_and_blanks(a: str, b: str) -> None:
    assert parsing.normalise_name(a) == parsing.normalise_name(b)


def test_basic_names_keep_the_legal_form() -> None:
    assert parsing.basic_name("上海电梯有限公司") != parsing.basic_name("上海电梯股份有限公司")
    assert parsing.basic_name("ＡＢＣ  有限公司") == parsing.basic_name("abc 有限公司")


def test_credit_codes_are_normalised_and_checked() -> None:
    from openkam.factories import credit_code_for

    code = credit_code_for(7)
    assert parsing.parse_credit_code(" " + code.lower() + " ") == code
    with pytest.raises(CellError):
        parsing.parse_credit_code(code[:-1] + ("0" if code[-1] != "0" else "1"))
