"""Lead lists (客户名单): companies a KAM has collected (a trade fair's exhibitors, an industry
directory, a chamber's members), read, screened row by row and converted to prospects.

The file is read by the ERP file edge the import engine reads with (openkam.common.erpfile:
the encodings, the delimiters, a title above the header, totals rows, spreadsheets and the
limits a file must keep): the pipeline sits below the imports in the layers, so it calls the
edge itself rather than openkam.imports.reading, and writes no reader of its own. Each row is
screened as the account-create form screens a new account (accounts.services.
account_duplicates: the same credit code, or a name with the same core, among the accounts the
user sees); a credit code another account holds, whoever's it is, refuses the row, as saving
the form would.
"""

from __future__ import annotations

import itertools
import tempfile
import unicodedata
from collections.abc import Generator, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.accounts.models import Account, Industry, Region
from openkam.accounts.services import account_duplicates, name_core
from openkam.common import erpfile
from openkam.common.credit_code import CreditCodeError, validate_credit_code
from openkam.team.models import User

MAX_ROWS = 500  # a list screened on one page; a longer one goes through the accounts import
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
SUFFIXES = tuple(sorted(TEXT_SUFFIXES | erpfile.SPREADSHEET_SUFFIXES))

# The columns a lead list may have, each by the captions exports and people give it.
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("公司名称", "企业名称", "客户名称", "单位名称", "公司全称", "企业全称", "名称",
             "company", "company name", "name", "legal name", "customer name", "enterprise"),
    "credit_code": ("统一社会信用代码", "社会信用代码", "信用代码", "纳税人识别号",
                    "credit code", "unified social credit code", "uscc", "tax id"),
    "industry": ("行业", "所属行业", "行业类别", "行业分类", "industry", "sector"),
    "region": ("大区", "区域", "地区", "所在地区", "region", "area"),
    "contact": ("联系人", "联系人姓名", "联系人名称", "contact", "contact person",
                "contact name"),
    "phone": ("电话", "联系电话", "手机", "联系方式", "phone", "telephone", "mobile", "tel"),
    "source": ("来源", "线索来源", "名单来源", "信息来源", "source", "lead source"),
}  # fmt: skip
LABELS = {
    "name": gettext_lazy("company name"),
    "credit_code": gettext_lazy("credit code"),
    "industry": gettext_lazy("industry"),
    "region": gettext_lazy("region"),
    "contact": gettext_lazy("contact"),
    "phone": gettext_lazy("phone"),
    "source": gettext_lazy("source"),
}
LENGTHS = {"name": 200, "contact": 100, "phone": 40, "source": 200}
_CAPTIONS = {erpfile.normalise_header(alias): key for key, names in ALIASES.items()
             for alias in names}  # fmt: skip
# The sales regions by their words in either language (华东 / East China / east).
_REGION_WORDS = {"华东": "east", "华南": "south", "华北": "north", "华中": "central",
                 "西南": "southwest", "西北": "northwest", "东北": "northeast", "海外": "overseas",
                 "境外": "overseas", "east china": "east", "south china": "south",
                 "north china": "north", "central china": "central",
                 "southwest china": "southwest", "northwest china": "northwest",
                 "northeast china": "northeast"}  # fmt: skip


@dataclass
class Lead:
    """One row of the list as read (the text of its cells), and what screening found."""

    number: int
    name: str = ""
    credit_code: str = ""
    industry: str = ""
    region: str = ""
    contact: str = ""
    phone: str = ""
    source: str = ""
    errors: list[str] = field(default_factory=list)  # refusals, each naming row and field
    warnings: list[str] = field(default_factory=list)  # kept in the notes instead
    duplicates: list[Account] = field(default_factory=list)  # visible accounts it may be
    industry_id: int | None = None
    region_code: str = ""

    @property
    def ready(self) -> bool:
        return not self.errors

    def cells(self) -> dict[str, Any]:
        """What the page sends back to convert: the row as read, nothing screened."""
        found = asdict(self)
        return {name: found[name] for name in ("number", *ALIASES)}


@dataclass
class LeadList:
    leads: list[Lead]
    columns: list[str]  # the keys of ALIASES the file has, in its order
    ignored: list[str]  # the file's other columns


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _score(cells: Sequence[str]) -> int:
    return len({_CAPTIONS[key] for key in map(erpfile.normalise_header, cells) if key in _CAPTIONS})


def _records(path: Path) -> Generator[tuple[int, list[str]], None, None]:
    limits = erpfile.Limits.from_settings(settings)
    if erpfile.is_spreadsheet(path):
        yield from erpfile.open_sheet(path, limits=limits).records()
        return
    source = erpfile.open_csv(path, limits=limits)
    try:
        yield from source.records()
    finally:
        source.close()


def read_lead_list(path: Path) -> LeadList:
    """The rows of a lead list file, the header found among its leading rows (a title or a
    date range above it is skipped), blank and totals rows left out. Raises ValidationError on
    the `file` field: unreadable, no company-name column, more than MAX_ROWS rows."""
    records = _records(path)
    try:
        leading = list(itertools.islice(records, erpfile.HEADER_SCAN_ROWS))
        at = erpfile.locate_header([cells for _number, cells in leading], _score)
        if at is None:
            raise erpfile.ErpFileError("empty")
        above = leading[at - 1][1] if at else None
        headers = erpfile.header_names(erpfile.header_with_group(leading[at][1], above))
        positions = _positions(headers)
        leads = _leads(itertools.chain(leading[at + 1 :], records), positions)
    except erpfile.ErpFileError as exc:
        raise _refuse(exc.text(_)) from None
    finally:
        records.close()
    ignored = [name for at, name in enumerate(headers) if at not in positions.values()]
    return LeadList(leads=leads, columns=list(positions), ignored=ignored)


def _positions(headers: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for at, header in enumerate(headers):
        key = _CAPTIONS.get(erpfile.normalise_header(header))
        if key is not None and key not in positions:
            positions[key] = at
    if "name" not in positions:
        raise _refuse(
            _(
                "No column names the companies (公司名称 or company name); "
                "the columns are: %(found)s."
            )
            % {"found": "、".join(headers)}
        )
    return positions


def _leads(rows: Iterable[tuple[int, list[str]]], positions: dict[str, int]) -> list[Lead]:
    leads: list[Lead] = []
    for number, cells in rows:
        if not any(cell.strip() for cell in cells) or erpfile.is_totals_row(cells):
            continue
        if len(leads) == MAX_ROWS:
            raise _refuse(
                _("The list has more than %(limit)s companies: split it, or import it as accounts.")
                % {"limit": MAX_ROWS}
            )
        values = {
            key: _clean(cells[at]) if at < len(cells) else "" for key, at in positions.items()
        }
        leads.append(_lead(number, values))
    if not leads:
        raise _refuse(_("The list has a header but no company under it."))
    return leads


def _lead(number: int, text: dict[str, str]) -> Lead:
    lead = Lead(number=number)
    for key, value in text.items():
        setattr(lead, key, value)
    return lead


def _clean(text: str) -> str:
    return " ".join(text.replace("\u3000", " ").split())


def read_upload(upload: UploadedFile | None, pasted: str = "") -> LeadList:
    """An uploaded file, or text pasted from a spreadsheet (tabs) or a CSV, read as a file."""
    if upload is not None:
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in SUFFIXES:
            raise _refuse(
                _("Upload a CSV or spreadsheet file (%(suffixes)s).")
                % {"suffixes": ", ".join(SUFFIXES)}
            )
        chunks: Iterable[bytes] = upload.chunks()
    else:
        suffix, chunks = ".csv", [pasted.encode("utf-8")]
    with tempfile.TemporaryDirectory(prefix="openkam-leads-") as folder:
        path = Path(folder) / f"leads{suffix}"
        with path.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        return read_lead_list(path)


def leads_from_cells(rows: Sequence[dict[str, Any]]) -> list[Lead]:
    """The rows the page sends back (Lead.cells), each checked for its shape."""
    leads = []
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("number"), int):
            raise ValidationError({"rows": _("The list sent back is damaged: screen it again.")})
        text = {key: str(row.get(key) or "").strip() for key in ALIASES}
        leads.append(_lead(row["number"], text))
    return leads


# --- screening -----------------------------------------------------------------------------


def _error(lead: Lead, key: str, reason: str) -> None:
    lead.errors.append(
        _("Row %(row)s, %(field)s: %(reason)s")
        % {"row": lead.number, "field": LABELS[key], "reason": reason}
    )


def _industries(leads: list[Lead]) -> dict[str, int]:
    words = {lead.industry.casefold() for lead in leads if lead.industry}
    if not words:
        return {}
    found: dict[str, int] = {}
    match = Q()
    for word in words:
        match |= Q(code__iexact=word) | Q(name__iexact=word) | Q(name_en__iexact=word)
    for pk, code, name, name_en in Industry.objects.filter(match).values_list(
        "pk", "code", "name", "name_en"
    ):
        for text in (code, name, name_en):
            found.setdefault(text.casefold(), pk)
    return found


def _region(text: str) -> str:
    word = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    if word in Region.values:
        return word
    return _REGION_WORDS.get(word.removesuffix("地区").removesuffix("区域"), "")


def _check_lengths(lead: Lead) -> None:
    for key, limit in LENGTHS.items():
        if len(getattr(lead, key)) > limit:
            _error(lead, key, _("longer than %(limit)s characters") % {"limit": limit})


def _check_code(lead: Lead, held: set[str], seen_codes: dict[str, int]) -> None:
    if not lead.credit_code:
        return
    try:
        lead.credit_code = validate_credit_code(lead.credit_code)
    except CreditCodeError as exc:
        _error(lead, "credit_code", _("not a valid credit code (%(reason)s)") % {"reason": exc})
        return
    if lead.credit_code in held:
        _error(lead, "credit_code", _("another account already has this credit code"))
    elif lead.credit_code in seen_codes:
        _error(
            lead,
            "credit_code",
            _("the same as row %(row)s") % {"row": seen_codes[lead.credit_code]},
        )
    seen_codes.setdefault(lead.credit_code, lead.number)


def screen_leads(user: User, leads: list[Lead]) -> list[Lead]:
    """Each lead screened in place: refusals (no name, a bad or taken credit code, the same
    company twice in the list), the accounts the user sees that it may duplicate, and what is
    kept in the notes (an industry or a region not recognised)."""
    codes = {c for lead in leads if (c := _normal_code(lead.credit_code))}
    held = set(Account.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True))
    industries = _industries(leads)
    seen_names: dict[str, int] = {}
    seen_codes: dict[str, int] = {}
    for lead in leads:
        lead.errors, lead.warnings, lead.duplicates = [], [], []
        if not lead.name:
            _error(lead, "name", _("missing"))
        _check_lengths(lead)
        _check_code(lead, held, seen_codes)
        if lead.name and (core := name_core(lead.name).casefold()):
            if core in seen_names:
                _error(
                    lead, "name", _("the same company as row %(row)s") % {"row": seen_names[core]}
                )
            seen_names.setdefault(core, lead.number)
        _resolve(lead, industries)
        if lead.name and not lead.errors:
            lead.duplicates = account_duplicates(
                user=user, legal_name=lead.name, credit_code=lead.credit_code, limit=3
            )
    return leads


def _normal_code(text: str) -> str:
    try:
        return validate_credit_code(text) if text else ""
    except CreditCodeError:
        return ""


def _resolve(lead: Lead, industries: dict[str, int]) -> None:
    lead.industry_id = industries.get(lead.industry.casefold()) if lead.industry else None
    if lead.industry and lead.industry_id is None:
        lead.warnings.append(_("Industry not recognised: kept in the notes."))
    lead.region_code = _region(lead.region) if lead.region else ""
    if lead.region and not lead.region_code:
        lead.warnings.append(_("Region not recognised: kept in the notes."))


def lead_notes(lead: Lead, list_name: str) -> str:
    """What the account's notes keep of the row: where it came from, and what had no field."""
    lines = [
        _("From the lead list %(list)s, row %(row)s.") % {"list": list_name, "row": lead.number}
    ]
    if lead.source:
        lines.append(_("Source: %(source)s") % {"source": lead.source})
    if lead.industry and lead.industry_id is None:
        lines.append(_("Industry: %(industry)s") % {"industry": lead.industry})
    if lead.region and not lead.region_code:
        lines.append(_("Region: %(region)s") % {"region": lead.region})
    return "\n".join(lines)
