"""The ERP file edge: encodings, delimiters and headers decided once; hostile files (a sheet
spanning XFD1048576, zip bombs, a 50 MB cell, binary data) refused with a code before they
cost memory, never a crash of the process."""

from __future__ import annotations

import codecs
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from openkam.common import erpfile
from openkam.common.erpfile import ErpFileError, Limits

TEXT = (
    "客户名称,金额,下单日期\n上海东方电梯有限公司,1234.50,2024-03-05\n成都西部电梯,-12,2024-03-06\n"
)
LIMITS = Limits()
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an .xls workbook saved as .csv


def _records(path: Path, limits: Limits = LIMITS, **options: str) -> list[list[str]]:
    source = erpfile.open_csv(path, limits=limits, **options)
    return [cells for _number, cells in source.records()]


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [
        ("utf-8", "utf_8"),
        ("utf-8-sig", "utf_8_sig"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("utf-16", "utf_16"),
        ("utf-16-le", "utf_16_le"),  # no BOM, as some Windows tools write it
        ("utf-16-be", "utf_16_be"),
        ("utf-32", "utf_32"),
    ],
)
def test_the_encodings_erps_write_are_detected(
    tmp_path: Path, encoding: str, detected: str
) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(TEXT.encode(encoding))
    source = erpfile.open_csv(path, limits=LIMITS)
    assert source.encoding == detected
    assert [cells for _n, cells in source.records()] == [
        line.split(",") for line in TEXT.splitlines()
    ]


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_the_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(TEXT.replace(",", delimiter), encoding="utf-8")
    source = erpfile.open_csv(path, limits=LIMITS)
    assert source.delimiter == delimiter
    assert len([cells for _n, cells in source.records()]) == 3


def test_binary_data_is_refused_not_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(OLE_HEADER + bytes(8192))
    with pytest.raises(ErpFileError) as caught:
        _records(path)
    assert caught.value.code == "binary"


def test_a_nul_in_one_cell_is_text_not_binary(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(TEXT + "甲,\x00,2024-03-07\n", encoding="utf-8")
    assert _records(path)[-1] == ["甲", "\x00", "2024-03-07"]


def test_an_unknown_encoding_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(ErpFileError, match="unknown encoding klingon") as caught:
        _records(path, encoding="klingon")
    assert caught.value.code == "unknown_encoding"


def test_a_header_naming_a_column_twice_is_refused_with_both_positions() -> None:
    with pytest.raises(ErpFileError) as caught:
        erpfile.header_names(["客户", "金额", " 金额 "])
    assert caught.value.code == "duplicate_header"
    assert str(caught.value) == (
        "the header names the column 金额 twice (columns 2 and 3): rename one of them"
    )
    assert erpfile.header_names(["\ufeff客户", "", None]) == ["客户", "column 2", "column 3"]


def test_a_50_mb_cell_over_many_lines_is_refused_with_its_row_in_bounded_memory(
    tmp_path: Path,
) -> None:
    path = tmp_path / "x.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write('客户,备注\n甲,"')
        for _ in range(50 * 1024):  # lines of a KiB: the line check lets it through
            handle.write("x" * 1023 + "\n")
        handle.write('"\n')
    script = (
        "import re, sys\n"
        "from pathlib import Path\n"
        "from openkam.common import erpfile\n"
        "source = erpfile.open_csv(Path(sys.argv[1]), limits=erpfile.Limits())\n"
        "try:\n"
        "    list(source.records())\n"
        "except erpfile.ErpFileError as exc:\n"
        "    print(exc.code, exc.params['row'])\n"
        "status = Path('/proc/self/status').read_text()\n"
        "print(int(re.search(r'VmHWM:\\s+(\\d+)', status)[1]) // 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        cwd=Path(erpfile.__file__).parents[2],
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.split()
    assert out[:2] == ["cell_too_long", "2"]
    assert int(out[2]) < 200  # MiB of peak memory (VmHWM): the cell is never held whole


def test_one_huge_line_of_short_fields_is_refused_for_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n" + "1," * 3_000_000 + "\n", encoding="utf-8")
    with pytest.raises(ErpFileError) as caught:
        _records(path)
    assert (caught.value.code, caught.value.params["row"]) == ("too_many_columns", 2)


def test_a_line_longer_than_any_row_may_be_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n" + b"x" * (3 * erpfile.MiB) + b"\n")
    with pytest.raises(ErpFileError) as caught:
        erpfile.open_csv(path, limits=Limits(max_columns=2, max_cell_chars=100_000))
    assert (caught.value.code, caught.value.params["line"]) == ("line_too_long", 2)


def test_rows_beyond_the_limit_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n" + "1,2\n" * 5, encoding="utf-8")
    assert len(_records(path, Limits(max_rows=6))) == 6
    with pytest.raises(ErpFileError, match="more than 5 rows"):
        _records(path, Limits(max_rows=5))


def test_a_file_bigger_than_allowed_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * (1 << 19))
    with pytest.raises(ErpFileError, match="the file is 2 MB, more than the 1 MB allowed"):
        erpfile.open_csv(path, limits=Limits(max_file_bytes=erpfile.MiB))


def test_a_value_quoted_in_a_message_is_cut_short() -> None:
    error = ErpFileError("unknown_encoding", name="x" * 10_000)
    assert len(str(error)) < 300


def test_messages_are_translated_by_the_caller() -> None:
    error = ErpFileError("too_many_rows", limit=5)
    assert error.text({error.template: "文件超过 %(limit)s 行"}.__getitem__) == "文件超过 5 行"


# --- spreadsheets --------------------------------------------------------------------------

SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
)
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        "schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
        '" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="订单" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        "schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
        '" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _workbook(path: Path, *, dimension: str, rows: str, padding: int = 0) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        sheet = SHEET.format(dimension=dimension, rows=rows)
        if padding:  # blanks between the elements: valid XML, compressed a thousandfold
            sheet = sheet.replace("<sheetData>", "<sheetData>" + " " * padding)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def _header_rows() -> str:
    return (
        f'<row r="1">{_cell("A1", "客户")}{_cell("B1", "金额")}</row>'
        f'<row r="2">{_cell("A2", "甲")}{_cell("B2", "12")}</row>'
    )


def test_a_small_workbook_is_read_through_the_checks(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "x.xlsx", dimension="A1:B2", rows=_header_rows())
    sheet = erpfile.open_sheet(path, limits=LIMITS)
    assert sheet.name == "订单"
    assert list(sheet.records()) == [(1, ["客户", "金额"]), (2, ["甲", "12"])]


def test_a_sheet_declared_to_span_xfd1048576_is_refused_before_calamine_reads_it(
    tmp_path: Path,
) -> None:
    rows = _header_rows() + f'<row r="1048576">{_cell("XFD1048576", "x")}</row>'
    path = _workbook(tmp_path / "x.xlsx", dimension="A1:XFD1048576", rows=rows)
    assert path.stat().st_size < 5_000
    with pytest.raises(ErpFileError) as caught:
        erpfile.open_sheet(path, limits=LIMITS)
    assert caught.value.code == "sheet_too_large"
    assert (caught.value.params["rows"], caught.value.params["columns"]) == (1048576, 16384)


def test_a_far_cell_behind_a_small_declared_dimension_is_refused(tmp_path: Path) -> None:
    rows = _header_rows() + f"<row>{_cell('XFD1048576', 'x')}</row>"
    path = _workbook(tmp_path / "x.xlsx", dimension="A1:B2", rows=rows)
    with pytest.raises(ErpFileError) as caught:
        erpfile.open_sheet(path, limits=LIMITS)
    assert caught.value.code == "sheet_too_large"


def test_a_sheet_within_rows_and_columns_but_too_many_cells_is_refused(tmp_path: Path) -> None:
    rows = _header_rows() + f'<row r="100000">{_cell("ALL100000", "x")}</row>'
    path = _workbook(tmp_path / "x.xlsx", dimension="A1:ALL100000", rows=rows)
    with pytest.raises(ErpFileError, match="100000 rows and 1000 columns"):
        erpfile.open_sheet(path, limits=LIMITS)


def test_a_zip_bomb_of_moderate_size_is_refused_by_its_unpacked_size(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "x.xlsx", dimension="A1:B2", rows=_header_rows(),
                     padding=64 * erpfile.MiB)  # fmt: skip
    assert path.stat().st_size < erpfile.MiB
    with pytest.raises(ErpFileError) as caught:
        erpfile.open_sheet(path, limits=Limits(max_unpacked_bytes=16 * erpfile.MiB))
    assert caught.value.code == "unpacked_too_big"
    assert caught.value.params["member"] == "xl/worksheets/sheet1.xml"


def _declare_size(path: Path, member: str, size: int) -> None:
    """Rewrite the uncompressed size the central directory declares for a member."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_length]) == name:
            struct.pack_into("<I", data, at + 24, size)
            path.write_bytes(bytes(data))
            return
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(member)


def test_a_member_declaring_a_huge_unpacked_size_is_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "x.xlsx", dimension="A1:B2", rows=_header_rows())
    _declare_size(path, "xl/worksheets/sheet1.xml", 0xF000_0000)
    with pytest.raises(ErpFileError) as caught:
        erpfile.open_sheet(path, limits=LIMITS)
    assert caught.value.code == "unpacked_too_big"


def test_a_member_lying_about_a_small_size_is_caught_by_its_checksum(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "x.xlsx", dimension="A1:B2", rows=_header_rows(),
                     padding=4 * erpfile.MiB)  # fmt: skip
    _declare_size(path, "xl/worksheets/sheet1.xml", 1000)
    with pytest.raises(ErpFileError) as caught:
        erpfile.open_sheet(path, limits=LIMITS)
    assert caught.value.code == "spreadsheet_unreadable"


def test_a_file_that_is_not_a_workbook_is_refused_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(codecs.BOM_UTF8 + b"not a zip")
    with pytest.raises(ErpFileError) as caught:
        erpfile.open_sheet(path, limits=LIMITS)
    assert caught.value.code == "spreadsheet_unreadable"


def test_an_unknown_sheet_names_the_sheets_there_are(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "x.xlsx", dimension="A1:B2", rows=_header_rows())
    with pytest.raises(ErpFileError, match="no sheet Sheet9; the sheets are: 订单"):
        erpfile.open_sheet(path, sheet="Sheet9", limits=LIMITS)
