"""What every preset is: an ERP's standard export of one document, named as its users name it
("用友 U9 销售订单"), the kind of import it feeds, and its columns in the ERP's own captions
mapped to the kind's fields. Recognised from the header row alone.

A preset lists, per field, every caption the ERP writes for it (SAP: the technical name and the
English and German display names), and in ``known`` the export's other captions that no field
reads but that tell this export from another one (规格型号, 销售组织 ...). VAT and red-letter
lines need no code here: a preset maps the ERP's gross columns (价税合计, 含税单价) to the kind's
gross fields, its 税率 / 税额 / 价格含税 / 红蓝字 columns to theirs, and the kind does the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from openkam.common.erpfile import normalise_header

# A header is recognised as a preset when it names at least this share of the preset's
# columns and at least MIN_MATCHED of them; a "near miss" from NEAR_SHARE on is reported.
RECOGNISED_SHARE = 0.6
NEAR_SHARE = 0.4
MIN_MATCHED = 3


@dataclass(frozen=True)
class Preset:
    key: str  # the module's name, given to --preset
    name: str  # as the ERP's users say it: "用友 U9 销售订单"
    kind: str  # the import kind it feeds
    columns: Mapping[str, tuple[str, ...]]  # field -> the ERP's captions for it
    known: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # read by no field
    # Fields whose sign the ERP writes the other way round (SAP shows a receipt as a credit).
    negated: tuple[str, ...] = ()

    def entries(self) -> dict[str, frozenset[str]]:
        """Each column of the export (fields and known ones), with its captions normalised."""
        every = {**{f"field:{k}": v for k, v in self.columns.items()}, **self.known}
        return {name: frozenset(map(normalise_header, words)) for name, words in every.items()}

    def match(self, headers: Sequence[str]) -> Match:
        """How the header fits this preset, and the field -> header mapping it gives."""
        at = {normalise_header(h): h for h in reversed(headers)}  # the first of equal ones
        entries = self.entries()
        found = {name for name, words in entries.items() if not words.isdisjoint(at)}
        mapping = {}
        for field_name, words in self.columns.items():
            header = next((at[w] for w in map(normalise_header, words) if w in at), None)
            if header is not None:
                mapping[field_name] = header
        missing = [
            self.columns[name.removeprefix("field:")][0] if name.startswith("field:")
            else self.known[name][0]
            for name in entries if name not in found
        ]  # fmt: skip
        return Match(self, len(found), len(entries), mapping, missing)


@dataclass(frozen=True)
class Match:
    preset: Preset
    matched: int
    total: int
    mapping: dict[str, str]  # field -> header of the file
    missing: list[str]  # captions of the preset's columns the header lacks

    @property
    def share(self) -> float:
        return self.matched / self.total if self.total else 0.0

    @property
    def rank(self) -> tuple[int, float]:
        return self.matched, self.share

    @property
    def recognised(self) -> bool:
        return self.matched >= MIN_MATCHED and self.share >= RECOGNISED_SHARE

    @property
    def near(self) -> bool:
        return self.matched >= MIN_MATCHED and self.share >= NEAR_SHARE


def sap(technical: str, english: str, german: str, *more: str) -> tuple[str, ...]:
    """An SAP column's captions: its technical field name, and its English and German display
    names (an ALV list or SE16 exports whichever the user's settings show)."""
    return (technical, english, german, *more)
