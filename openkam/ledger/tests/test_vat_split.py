"""Lines given with VAT are stored net, the VAT beside them; numbers worked out by hand."""

from __future__ import annotations

from decimal import Decimal

from openkam.ledger.vat import NetLines, lines_net_of_vat

D = Decimal


def one(
    quantity: str = "1",
    *,
    unit_price: str | None = None,
    amount: str | None = None,
    gross_unit_price: str | None = None,
    gross_amount: str | None = None,
    tax_amount: str | None = None,
    tax_rate: str | None = None,
    includes_tax: bool | None = None,
) -> tuple[Decimal | None, Decimal | None, Decimal, Decimal | None]:
    def dec(text: str | None) -> list[Decimal | None]:
        return [None if text is None else D(text)]

    out: NetLines = lines_net_of_vat(
        quantity=[D(quantity)],
        unit_price=dec(unit_price),
        amount=dec(amount),
        gross_unit_price=dec(gross_unit_price),
        gross_amount=dec(gross_amount),
        tax_amount=dec(tax_amount),
        tax_rate=dec(tax_rate),
        includes_tax=[includes_tax],
        currency=["CNY"],
    )
    return out.unit_price[0], out.amount[0], out.tax_amount[0], out.tax_rate[0]


def test_113_with_13_percent_vat_is_100_net_and_13_vat() -> None:
    assert one("1", gross_amount="113.00", tax_rate="0.13") == (
        D("100.000000"),
        D("100.00"),
        D("13.00"),
        D("0.1300"),
    )


def test_the_gross_total_of_a_gross_unit_price_rounds_half_up_before_the_split() -> None:
    # 1 × 2.125 = 2.13 half up (2.12 half to even); 2.13 / 1.13 = 1.88495... -> 1.88; VAT 0.25.
    assert one("1", gross_unit_price="2.125", tax_rate="0.13") == (
        D("1.880000"),
        D("1.88"),
        D("0.25"),
        D("0.1300"),
    )


def test_a_small_gross_amount_splits_so_that_net_and_vat_add_up() -> None:
    # 1.00 / 1.13 = 0.88495... -> 0.88; VAT 0.12.
    assert one("3", gross_amount="1.00", tax_rate="0.13")[1:3] == (D("0.88"), D("0.12"))


def test_the_files_own_tax_amount_is_kept_to_the_cent() -> None:
    # The ERP split 113.00 as 99.99 + 13.01 (its rounding per unit): kept as it is.
    assert one("1", gross_amount="113.00", tax_amount="13.01")[1:] == (
        D("99.99"),
        D("13.01"),
        D("0.1301"),
    )


def test_without_a_rate_the_default_13_percent_is_used() -> None:
    assert one("2", gross_amount="226.00") == (D("100.000000"), D("200.00"), D("26.00"),
                                               D("0.1300"))  # fmt: skip


def test_a_price_under_prices_include_vat_is_gross() -> None:
    # 价格含税 = 是: 10 × 11.30 = 113.00 gross at 13 % -> 100.00 net, unit price 10.
    assert one("10", unit_price="11.30", tax_rate="0.13", includes_tax=True) == (
        D("10.000000"),
        D("100.00"),
        D("13.00"),
        D("0.1300"),
    )


def test_a_red_letter_line_mirrors_the_sale() -> None:
    assert one("-1", gross_amount="-113.00", tax_rate="0.13") == (
        D("100.000000"),
        D("-100.00"),
        D("-13.00"),
        D("0.1300"),
    )


def test_a_net_line_with_a_rate_gets_its_vat() -> None:
    assert one("4", amount="100.00", tax_rate="0.06") == (None, D("100.00"), D("6.00"),
                                                          D("0.0600"))  # fmt: skip


def test_a_net_line_with_a_tax_amount_shows_its_rate() -> None:
    assert one("4", amount="100.00", tax_amount="9.00")[2:] == (D("9.00"), D("0.0900"))


def test_a_net_line_without_vat_columns_is_left_as_it_is() -> None:
    assert one("4", unit_price="25") == (D("25"), D("100.00"), D("0.00"), None)
