"""Plain CSV files are read by polars' CSV reader; every other file by the csv module. Both
give the same transactions, rejections and counts, and a file the fast reader cannot split as
the csv module does is left to the csv module (which raises its errors)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from openkam.analyze import reading
from openkam.common.erpfile import ErpFileError, Limits

HEADER = "customer,date,amount,cost"
ROWS = [
    "C01,2024-01-03,100.5,60",
    'C02,2024/1/4,"1,200",',  # quoted: not a plain file (used only in the fallback cases)
]
PLAIN = "\n".join(
    [
        "客户编码,日期,金额,成本",
        "C01,2024-01-03,100.5,60",
        " C02 ,2024/1/4,１２０,",  # spaces kept, full-width digits, no cost
        "C03,2024-02-30,50,10",  # no such day: rejected
        "C04,,abc,1",  # no date, not a number: rejected
        "C05,2024-03-01",  # short: missing amount
        ",,,",  # blank: counted apart
        "C06,20240305,¥1，234.00,5",
        "C07,2024年3月6日,(12.5),-3",
    ]
)


def read(path: Path, *, plain: bool, **options: object) -> reading.Transactions:
    """The transactions read with the fast reader allowed, or with the csv module only."""
    if plain:
        return reading.read_transactions(path, reading.ReadOptions(**options))  # type: ignore[arg-type]
    original = reading._plain_csv_table
    reading._plain_csv_table = lambda *args: None
    try:
        return reading.read_transactions(path, reading.ReadOptions(**options))  # type: ignore[arg-type]
    finally:
        reading._plain_csv_table = original


def assert_same(path: Path, **options: object) -> reading.Transactions:
    fast, slow = read(path, plain=True, **options), read(path, plain=False, **options)
    assert_frame_equal(fast.frame, slow.frame)
    assert_frame_equal(fast.rejected, slow.rejected)
    assert (fast.rows_read, fast.blank_rows, fast.source) == (
        slow.rows_read,
        slow.blank_rows,
        slow.source,
    )
    return fast


def uses_polars(path: Path, **options: object) -> bool:
    source = reading.erpfile.open_csv(
        path,
        encoding=options.get("encoding"),  # type: ignore[arg-type]
        delimiter=options.get("delimiter"),  # type: ignore[arg-type]
        limits=Limits(),
    )
    try:
        return reading._plain_csv_table(path, source, reading.ReadOptions(**options)) is not None  # type: ignore[arg-type]
    finally:
        source.close()


@pytest.mark.parametrize(
    ("name", "text", "encoding"),
    [
        ("lf", PLAIN + "\n", "utf-8"),
        ("crlf", PLAIN.replace("\n", "\r\n") + "\r\n", "utf-8"),
        ("bom", PLAIN + "\n", "utf-8-sig"),
        ("no final newline", PLAIN, "utf-8"),
        ("tabs", PLAIN.replace(",", "\t") + "\n", "utf-8"),
        ("semicolons", PLAIN.replace(",", ";") + "\n", "utf-8"),
    ],
)
def test_a_plain_file_reads_alike_through_polars(
    tmp_path: Path, name: str, text: str, encoding: str
) -> None:
    path = tmp_path / "plain.csv"
    path.write_bytes(text.encode(encoding))
    assert uses_polars(path)
    data = assert_same(path)
    assert data.rows_read == 7
    assert data.blank_rows == 1
    assert data.frame["customer"].to_list() == ["C01", "C02", "C06", "C07"]
    assert data.frame["amount"].to_list() == [100.5, 120.0, 1234.0, -12.5]
    assert data.rejected["reason"].to_list() == [
        "invalid_date", "missing", "not_a_number", "missing",
    ]  # fmt: skip
    assert data.rejected["row"].to_list() == [4, 5, 5, 6]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("quotes", "\n".join([HEADER, *ROWS]) + "\n"),
        ("blank line", f"{HEADER}\n{ROWS[0]}\n\nC03,2024-01-05,7,1\n"),
        ("blank line first", f"\n{HEADER}\n{ROWS[0]}\n"),
        ("blank line last", f"{HEADER}\n{ROWS[0]}\n\n"),
        ("blank crlf line", f"{HEADER}\r\n{ROWS[0]}\r\n\r\nC03,2024-01-05,7,1\r\n"),
        ("lone carriage return", f"{HEADER}\r{ROWS[0]}\rC03,2024-01-05,7,1\r"),
        ("carriage return at the end", f"{HEADER}\n{ROWS[0]}\r"),
        ("title above the header", f"Sales 2024,,,\n{HEADER}\n{ROWS[0]}\n"),
        ("short title above the header", f"Sales 2024\n{HEADER}\n{ROWS[0]}\n"),
    ],
)
def test_other_files_are_left_to_the_csv_module(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / "other.csv"
    path.write_bytes(text.encode("utf-8"))
    assert not uses_polars(path)
    assert_same(path)


def test_gb18030_is_left_to_the_csv_module(tmp_path: Path) -> None:
    path = tmp_path / "gb.csv"
    path.write_bytes((PLAIN + "\n").encode("gb18030"))
    assert not uses_polars(path)
    assert assert_same(path).frame["customer"].to_list() == ["C01", "C02", "C06", "C07"]


def test_a_bom_is_dropped_as_the_edge_drops_it(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes((PLAIN + "\n").encode("utf-8-sig"))
    for encoding in (None, "utf-8"):  # the edge reads UTF-8 with a BOM as utf_8_sig
        assert uses_polars(path, encoding=encoding)
        assert assert_same(path, encoding=encoding).source.columns["customer"] == "客户编码"


def test_a_plain_file_with_another_encoding_named_is_left_to_the_csv_module(
    tmp_path: Path,
) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes((PLAIN.replace("客户编码", "customer") + "\n").encode("utf-8"))
    assert uses_polars(path)
    assert not uses_polars(path, encoding="latin-1")


def test_a_record_longer_than_the_header_is_the_csv_modules_error(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(f"{HEADER}\n{ROWS[0]}\nC02,2024-01-04,5,1,extra\n", encoding="utf-8")
    assert not uses_polars(path)
    with pytest.raises(reading.ReadError, match="row 3 has 5 fields, the header 4"):
        reading.read_transactions(path)


def test_the_limits_are_the_csv_modules_errors(tmp_path: Path) -> None:
    path = tmp_path / "limits.csv"
    path.write_text(f"{HEADER}\n{ROWS[0]}\nC02,2024-01-04,5,1\n", encoding="utf-8")
    with pytest.raises(ErpFileError) as rows:
        reading.read_transactions(path, reading.ReadOptions(limits=Limits(max_rows=2)))
    assert rows.value.code == "too_many_rows"
    long_cell = f"{HEADER}\n{'C' * 40},2024-01-04,5,1\n"
    path.write_text(long_cell, encoding="utf-8")
    with pytest.raises(ErpFileError) as cell:
        reading.read_transactions(path, reading.ReadOptions(limits=Limits(max_cell_chars=30)))
    assert cell.value.code == "cell_too_long"
    assert read(path, plain=True).frame["customer"].to_list() == ["C" * 40]


def test_a_file_larger_than_a_scan_chunk_reads_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Chunks of 7 bytes: line feeds, CR LF pairs and blank lines fall across chunk boundaries.
    monkeypatch.setattr(reading, "SCAN_BYTES", 7)
    lines = [HEADER, *(f"C{i:03d},2024-01-{1 + i % 28:02d},{i}.5,{i}" for i in range(200))]
    path = tmp_path / "chunks.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    assert uses_polars(path)
    assert assert_same(path).rows_used == 200
    path.write_bytes(("\r\n".join([*lines[:100], "", *lines[100:]]) + "\r\n").encode("utf-8"))
    assert not uses_polars(path)
    assert_same(path)


def test_customer_codes_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text(f"{HEADER}\n007,2024-01-03,1,1\n1e3,2024-01-04,2,1\n", encoding="utf-8")
    data = assert_same(path)
    assert data.frame["customer"].to_list() == ["007", "1e3"]
    assert data.frame.schema["customer"] == pl.String
