"""A column of cells read at once gives every cell the value, or the refusal, that reading the
cell alone gives: the batch forms of the parsers are only faster, never different."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from openkam.imports import services
from openkam.imports.kinds import base
from openkam.imports.kinds.orders import COLUMNS
from openkam.imports.parsing import CellError

NUMBERS = st.one_of(
    *(st.decimals(allow_nan=True, allow_infinity=True, places=p).map(str) for p in (0, 2, 4, 6)),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(["", " ", "1e5", "1E-2", "1e17", "-0", " 12 ", "1_000", "１２", "1,234.50",
                     "¥1,234.5", "(12.00)", "12-", "NaN", "sNaN", "-Infinity", "12,34", "abc"]),
)  # fmt: skip
KEYS = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=90),
    st.sampled_from(["SO-1", " SO-1", "SO-1 ", "12345.0", "ＳＯ１", "A" * 81, "x.0", ""]),
)


def alone(parse: Any, cell: str) -> tuple[str, Any]:
    try:
        value = parse(cell)
    except CellError as exc:
        return "refused", exc.reason
    return type(value).__name__, str(value)


def as_read(values: list[Any]) -> list[tuple[str, Any]]:
    return [(type(value).__name__, str(value)) for value in values]


@settings(max_examples=300, deadline=None)
@given(st.lists(NUMBERS, max_size=12), st.sampled_from([(2, 18), (3, 14), (4, 18), (0, 10)]))
def test_a_column_of_amounts_read_at_once_reads_as_each_cell_alone_or_not_at_all(
    cells: list[str], shape: tuple[int, int]
) -> None:
    parse = base.money(shape[0], max_digits=shape[1])

    read = parse.many(cells)

    if read is not None:
        assert as_read(read) == [alone(parse, cell) for cell in cells]
        assert all(value is None or isinstance(value, Decimal) for value in read)


@settings(max_examples=300, deadline=None)
@given(st.lists(KEYS, max_size=12))
def test_a_column_of_keys_or_names_read_at_once_reads_as_each_cell_alone_or_not_at_all(
    cells: list[str],
) -> None:
    for parse, many in ((base.key, base.key_many), (base.text(20), base.text(20).many)):
        read = many(cells)

        if read is not None:
            assert as_read(read) == [alone(parse, cell) for cell in cells]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_every_order_column_read_for_a_batch_gives_each_cell_its_own_value_or_refusal(
    data: st.DataObject,
) -> None:
    column = data.draw(st.sampled_from(COLUMNS))
    pool = data.draw(st.lists(st.one_of(NUMBERS, KEYS), min_size=1, max_size=6))
    # Repeated cells (read once per batch) and columns of distinct ones (read at once).
    texts = data.draw(
        st.one_of(
            st.lists(st.sampled_from(pool), max_size=300),
            st.lists(NUMBERS, min_size=250, max_size=300, unique=True),
        )
    )

    values, refused = services._parse_column(column, texts)

    expected = []
    for cell in texts:
        outcome = alone(column.parse, cell)
        missing = outcome in (("NoneType", "None"), ("str", ""))
        expected.append(("refused", "missing") if column.required and missing else outcome)
    got = [
        ("refused", value.error.reason) if at in refused else (type(value).__name__, str(value))
        for at, value in enumerate(values)
    ]
    assert got == expected


def test_canonical_amounts_keys_and_names_are_read_at_once_without_a_call_per_cell() -> None:
    assert base.money(2).many(["12.5", "", "3", "-0.10"]) == [
        Decimal("12.50"), None, Decimal("3.00"), Decimal("-0.10")
    ]  # fmt: skip
    assert base.key_many(["SO-1", "P0001"]) == ["SO-1", "P0001"]
    assert base.text(200).many(["上海东方电梯有限公司", "Acme Ltd"]) == [
        "上海东方电梯有限公司", "Acme Ltd"
    ]  # fmt: skip


def test_a_column_with_one_cell_to_clean_or_refuse_is_read_cell_by_cell() -> None:
    assert base.money(2).many(["12.5", "¥1,234.50"]) is None  # parse_decimal reads it
    assert base.money(2).many(["12.5", "1.234"]) is None  # refused: too precise
    assert base.key_many(["SO-1", " SO-2"]) is None
    assert base.text(200).many(["上海  东方"]) is None
