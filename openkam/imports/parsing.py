"""Cell parsers for ERP exports: one text cell in, one typed value out, or a CellError saying why.

Pure Python without Django, so other readers (``openkam analyze``) can adopt them. The fast
path of every parser is the canonical form (``2024-03-05``, ``1234.50``), tried first because
it is what most cells hold; the forms people and Chinese ERPs write come next.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from openkam.common.credit_code import CreditCodeError, validate_credit_code
from openkam.common.erpfile import normalise_header as normalise_header  # the edge's rule

# Reason codes; the importer turns them into sentences in the user's language.
MISSING = "missing"
NOT_A_DATE = "not_a_date"
INVALID_DATE = "invalid_date"
NOT_A_NUMBER = "not_a_number"
TOO_LARGE = "too_large"
TOO_PRECISE = "too_precise"
NEGATIVE = "negative"
ZERO = "zero"
OUT_OF_RANGE = "out_of_range"  # detail: the plausible range, as "1900–2100"
NOT_A_CREDIT_CODE = "not_a_credit_code"
TOO_LONG = "too_long"
NOT_A_CHOICE = "not_a_choice"


class CellError(ValueError):
    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


_FULL_WIDTH = {0x3000: " ", **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}}
_FULL_WIDTH.update({ord("￥"): "¥", ord("，"): ",", ord("。"): "."})


def half_width(text: str) -> str:
    """Full-width letters, digits and punctuation (０-９，．（）Ａ-Ｚ) as their ASCII forms."""
    return text.translate(_FULL_WIDTH) if not text.isascii() else text


def clean(text: str | None) -> str:
    """The cell without surrounding blanks (also the ideographic space); None is empty."""
    if text is None:
        return ""
    text = text.strip()
    return text if text.isascii() else text.strip("\u3000\ufeff").strip()


# --- dates ---------------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# 05.03.2024: day, month, year with dots, as SAP writes dates for German (and most European) users.
_DOTTED_DAY_FIRST = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_SERIAL = re.compile(r"^\d{1,7}(?:\.\d+)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug)
_SERIAL_MIN, _SERIAL_MAX = 1, 2958465  # 1900-01-01 .. 9999-12-31


def parse_date(text: str | None) -> dt.date | None:
    """2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305 (a time after it is ignored),
    05.03.2024 (day first, SAP's German dates) and Excel serial day numbers (45356). None for
    an empty cell."""
    text = clean(text)
    if not text:
        return None
    if len(text) == 10 and text[4] == "-":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    text = half_width(text)
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    dotted = None if match else _DOTTED_DAY_FIRST.match(text)
    if match or dotted:
        if match:
            year, month, day = (int(part) for part in match.groups())
        else:
            assert dotted is not None
            day, month, year = (int(part) for part in dotted.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise CellError(INVALID_DATE, text) from None
    if _SERIAL.match(text):
        serial = int(float(text))
        if _SERIAL_MIN <= serial <= _SERIAL_MAX:
            return _EXCEL_EPOCH + dt.timedelta(days=serial)
    raise CellError(NOT_A_DATE, text)


# Business dates and years outside these are typing errors (0024 for 2024, 2204 for 2024) or
# an ERP's "no date" sentinel (1899-12-30, 9999-12-31), never a real order or invoice.
PLAUSIBLE_YEARS = range(1900, 2101)


def plausible_year(year: int) -> int:
    """The year, or CellError(OUT_OF_RANGE) when it is outside PLAUSIBLE_YEARS."""
    if year not in PLAUSIBLE_YEARS:
        raise CellError(OUT_OF_RANGE, f"{PLAUSIBLE_YEARS[0]}–{PLAUSIBLE_YEARS[-1]}")
    return year


# --- amounts -------------------------------------------------------------------------------

_CURRENCY = re.compile(r"(?i)rmb|cny|usd|hkd|eur|[¥$€元\s]")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")


def parse_decimal(text: str | None) -> Decimal | None:
    """1234.5, 1,234.50, ¥1,234.50, RMB 1234, １２３４．５, -12, (1,234.00) for -1234. Commas are
    only thousands separators: "12,34" is refused rather than guessed. None for an empty cell."""
    text = clean(text)
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = _messy_decimal(text)
    if not value.is_finite():
        raise CellError(NOT_A_NUMBER, text)
    return value


def _messy_decimal(text: str) -> Decimal:
    plain = _CURRENCY.sub("", half_width(text))
    negative = plain.startswith("(") and plain.endswith(")")
    if negative:
        plain = plain[1:-1]
    if plain.endswith("-") and plain.count("-") == 1:  # 1234- (trailing sign, SAP)
        plain, negative = plain[:-1], True
    if not _NUMBER.match(plain) or not any(ch.isdigit() for ch in plain):
        raise CellError(NOT_A_NUMBER, text)
    value = Decimal(plain.replace(",", ""))
    return -value if negative else value


def fit_decimal(value: Decimal, *, max_digits: int, decimal_places: int) -> Decimal:
    """The value as the column stores it: refused when it would lose digits."""
    try:
        fitted = value.quantize(_QUANTUM[decimal_places])
    except InvalidOperation:
        raise CellError(TOO_LARGE, str(value)) from None
    if fitted != value:
        raise CellError(TOO_PRECISE, str(value))
    if fitted and fitted.adjusted() + 1 + decimal_places > max_digits:
        raise CellError(TOO_LARGE, str(value))
    return fitted


_QUANTUM = {places: Decimal(1).scaleb(-places) for places in range(9)}


_RATE_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(%?)")
RATE_QUANTUM = Decimal("0.0001")


def parse_tax_rate(text: str | None) -> Decimal | None:
    """A VAT rate as a fraction: 13 %, 13, 0.13, 增值税13%, 13%增值税, VAT13, "MWST 19 %" -> 0.13 /
    0.19. A number followed by % or of 1 and more is a percentage. None for an empty cell."""
    text = half_width(clean(text))
    if not text:
        return None
    numbers = _RATE_NUMBER.findall(text)
    percent = [number for number, sign in numbers if sign]
    if len(percent) == 1:
        value = Decimal(percent[0]) / 100
    elif len(numbers) == 1:
        value = Decimal(numbers[0][0])
        value = value / 100 if value >= 1 else value
    else:
        raise CellError(NOT_A_NUMBER, text)
    if value >= 1:
        raise CellError(OUT_OF_RANGE, "0–100 %")
    return value.quantize(RATE_QUANTUM)


# --- identities ----------------------------------------------------------------------------


def parse_credit_code(text: str | None) -> str:
    """The normalised unified social credit code, or "" for an empty cell."""
    text = clean(text)
    if not text:
        return ""
    try:
        return validate_credit_code(text)
    except CreditCodeError as exc:
        raise CellError(NOT_A_CREDIT_CODE, str(exc)) from None


# Legal forms and qualifiers an ERP may or may not write after a company name, longest first.
_LEGAL_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "集团公司",
    "(集团)",
    "集团",
    "公司",
    "co., ltd.",
    "co.,ltd.",
    "co. ltd.",
    "co ltd",
    "company limited",
    "corporation",
    "limited",
    "ltd.",
    "ltd",
    "inc.",
    "inc",
    "corp.",
    "gmbh",
    "group",
)
_PUNCTUATION = re.compile(r"[\s,.·・()\[\]{}<>\"'“”‘’、，。（）【】《》&-]+")


def basic_name(name: str) -> str:
    """Case, width, blanks and bracket styles do not matter: "ＡＢＣ（上海）" = "abc(上海)"."""
    text = unicodedata.normalize("NFKC", half_width(name)).casefold()
    return " ".join(text.split())


def normalise_name(name: str) -> str:
    """The name for matching: ``basic_name`` without legal forms (有限公司, 股份有限公司, (集团),
    Co., Ltd. ...) and punctuation. "上海电梯（集团）股份有限公司" = "上海电梯"."""
    text = basic_name(name)
    changed = True
    while changed:
        changed = False
        for form in _LEGAL_FORMS:
            if text.endswith(form) and len(text) > len(form):
                text = text[: -len(form)].rstrip(" ,.")
                changed = True
        text = text.replace("(集团)", "")
    return _PUNCTUATION.sub("", text)
