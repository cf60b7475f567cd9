"""Presets: the standard exports of 用友, 金蝶 and SAP, one small module each (all alike: copy
one to add an ERP or a document), recognised from the header row alone.

``recognise(headers, kind)`` ranks the presets of the kind by the columns the header names
(the number, then the share of the preset's columns): the best is recognised when it names
most of its columns and no other preset names as many; a tie or a near miss is recognised as
nothing and said so (``Recognition.tied``, ``.near``), and the import maps the columns as it
would without presets (the saved mapping, the kind's own headers).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from dataclasses import dataclass, field

from openkam.imports.presets.base import Match, Preset

NONE = "none"  # --preset none: no preset, the kind's own headers


def _load() -> dict[str, Preset]:
    found: dict[str, Preset] = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name == "base":
            continue
        preset = importlib.import_module(f"{__name__}.{module.name}").PRESET
        assert preset.key == module.name, module.name
        found[preset.key] = preset
    return dict(sorted(found.items()))


PRESETS: dict[str, Preset] = _load()


def presets_of(kind: str) -> list[Preset]:
    return [preset for preset in PRESETS.values() if preset.kind == kind]


@dataclass(frozen=True)
class Recognition:
    """What the header was recognised as: ``match`` (None for nothing), the ones tied with the
    best, or the best near miss."""

    match: Match | None = None
    tied: list[Match] = field(default_factory=list)
    near: Match | None = None
    other_kind: Match | None = None  # a preset of another kind the header fits

    @property
    def preset(self) -> Preset | None:
        return None if self.match is None else self.match.preset


def recognise(headers: Sequence[str], kind: str) -> Recognition:
    """The preset of the kind that the header is (see the module docstring)."""
    matches = sorted(
        (preset.match(headers) for preset in presets_of(kind)), key=lambda m: m.rank, reverse=True
    )
    best = matches[0] if matches else None
    if best is None or not best.recognised:
        return Recognition(near=best if best and best.near else None,
                           other_kind=_other_kind(headers, kind))  # fmt: skip
    tied = [m for m in matches if m.rank == best.rank]
    if len(tied) > 1 and len({tuple(sorted(m.mapping.items())) for m in tied}) > 1:
        return Recognition(tied=tied)
    return Recognition(match=best)


def _other_kind(headers: Sequence[str], kind: str) -> Match | None:
    """The best preset of another kind that the header is (a customer master given as orders)."""
    others = [p.match(headers) for p in PRESETS.values() if p.kind != kind]
    recognised = sorted((m for m in others if m.recognised), key=lambda m: m.rank, reverse=True)
    return recognised[0] if recognised else None


def chosen(key: str, headers: Sequence[str]) -> Recognition:
    """The preset the user chose (``key``), matched to the header."""
    return Recognition(match=PRESETS[key].match(headers))


def captions_of(kind: str) -> frozenset[str]:
    """Every caption of the kind's presets, normalised (to find the header row)."""
    return frozenset(
        word for preset in presets_of(kind) for words in preset.entries().values() for word in words
    )
