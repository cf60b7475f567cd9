"""The investment-promotion mode's words (招商模式): one catalogue per language that overrides
just the vocabulary over every app's own catalogue.

The catalogues in openkam/pipeline/promotion_locale are generated from the apps' catalogues
by the rules below (`openkam promotion_vocabulary` writes and compiles them); settings put
that folder first in LOCALE_PATHS when OPENKAM_MODE=promotion, and Django reads LOCALE_PATHS
before the apps' catalogues. So the pages, forms, mails and API errors say 目标企业, 招商项目,
招商专员 and 局领导 (target enterprise, investment project, promotion officer, bureau
leadership) without one if-statement in a template: the same msgid, another translation.

Chinese: the rules rewrite the apps' translations (客户 -> 目标企业, ...). English: the msgids
are the English text, so the English catalogue maps a msgid that names a customer, an
account, an opportunity, a KAM or an executive to the same sentence with the office's words.
Placeholders (%(name)s, {name}) and markup are never rewritten.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

# Chinese: applied in order to each translation (longest first, so 大客户经理 is not read as
# 大 + 客户经理).
ZH_RULES: tuple[tuple[str, str], ...] = (
    ("大客户经理", "招商专员"),
    ("客户经理", "招商专员"),
    ("商机管道", "招商项目库"),
    ("商机", "招商项目"),
    ("高层", "局领导"),
    ("关键客户", "重点目标企业"),
    ("大客户", "重点目标企业"),
    ("客户", "目标企业"),
)

# English: (pattern, replacement); case-insensitive words whose first letter's case is kept,
# except the acronym KAM, matched as written ("OpenKAM" is a name and has no word boundary).
EN_RULES: tuple[tuple[str, str], ...] = (
    (r"key account managers", "promotion officers"),
    (r"key account manager", "promotion officer"),
    (r"account managers", "promotion officers"),
    (r"account manager", "promotion officer"),
    # Not the relationship model's stage names (Pre-KAM, Early-KAM, ...).
    (r"(?<!-)(?-i:KAMs)", "promotion officers"),
    (r"(?<!-)(?-i:KAM)", "promotion officer"),
    (r"opportunities", "investment projects"),
    (r"opportunity", "investment project"),
    (r"customers", "target enterprises"),
    (r"customer", "target enterprise"),
    (r"key accounts", "key target enterprises"),
    (r"key account", "key target enterprise"),
    (r"an account", "a target enterprise"),
    (r"accounts", "target enterprises"),
    (r"account", "target enterprise"),
    (r"executives", "bureau leaders"),
    (r"an executive", "a bureau leader"),
    (r"executive", "bureau leader"),
)
# The role's own name is the leadership, not one leader; the product's tagline and the
# header's menus in the office's short words, so the header fits 1,440 px in English.
EN_EXACT = {
    "Executive": "Bureau leadership",
    "Executives": "Bureau leadership",
    "Key Account Management": "Investment Promotion",
    "Account work": "Promotion work",
}
# The same words in a context: the header's "Accounts" (msgctxt "navigation") is "Targets".
EN_IN_CONTEXT: dict[tuple[str | None, str], str] = {("navigation", "Accounts"): "Targets"}
# Chinese by msgid: the role's name (总经理 in the sales catalogues) is the bureau leadership.
ZH_EXACT = {
    "Executive": "局领导",
    "Executives": "局领导",
    "executive": "局领导",
    "Key Account Management": "招商引资管理",
}
# The four words themselves, in both catalogues even where no app's catalogue has them yet.
SEEDS = ("Customer", "Customers", "Opportunity", "Opportunities", "KAM", "Executive")
# Sentences about a person's log-in account, not a customer account: left alone.
EN_SKIP = re.compile(r"your account|user account|account is locked|sign-in|log-in account", re.I)
# What is never rewritten inside a sentence: placeholders and markup.
PROTECTED = re.compile(r"%\([^)]*\)[sdfir]|%[sdfir]|\{[^{}]*\}|<[^<>]*>|https?://\S+")

_EN_COMPILED = [(re.compile(rf"\b{pattern}\b", re.I), repl) for pattern, repl in EN_RULES]


def _keep_case(match: re.Match[str], replacement: str) -> str:
    """Capitalised where the word was; an acronym (KAM) only where a sentence starts."""
    found, before = match.group(0), match.string[: match.start()].rstrip(" ")
    acronym = found.rstrip("s").isupper()
    capital = found[:1].isupper() and (not acronym or not before or before[-1] in ".:")
    return replacement[0].upper() + replacement[1:] if capital else replacement


def _outside_protected(text: str, rewrite: Callable[[str], str]) -> str:
    out, last = [], 0
    for match in PROTECTED.finditer(text):
        out.append(rewrite(text[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(rewrite(text[last:]))
    return "".join(out)


def zh_words(text: str) -> str:
    def rewrite(part: str) -> str:
        for old, new in ZH_RULES:
            part = part.replace(old, new)
        return part

    return _outside_protected(text, rewrite)


def en_words(text: str) -> str:
    if text in EN_EXACT:
        return EN_EXACT[text]
    if EN_SKIP.search(text):
        return text

    def rewrite(part: str) -> str:
        for pattern, replacement in _EN_COMPILED:
            part = pattern.sub(partial(_keep_case, replacement=replacement), part)
        return part

    return _outside_protected(text, rewrite)


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def _unquote(line: str) -> str:
    return str(json.loads(line))


def _entry(block: str) -> Entry | None:
    entry, current = Entry(), ""
    for raw in block.splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            entry.fuzzy = True
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            keyword, value = current, _unquote(line)
        else:
            keyword, _, rest = line.partition(" ")
            current, value = keyword, _unquote(rest)
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            entry.msgstr[index] = entry.msgstr.get(index, "") + value
        else:
            setattr(entry, keyword, (getattr(entry, keyword) or "") + value)
    if not entry.msgid or entry.fuzzy or not all(entry.msgstr.values()):
        return None
    return entry


def read_po(path: Path) -> Iterator[Entry]:
    """The translated entries of a .po file (the header, fuzzy, untranslated and obsolete
    ones left out); entries are separated by blank lines, as gettext writes them."""
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        if (entry := _entry(block)) is not None:
            yield entry


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


HEADERS = {
    "zh_Hans": "nplurals=1; plural=0;",
    "en": "nplurals=2; plural=(n != 1);",
}


def write_po(path: Path, language: str, entries: Iterable[Entry]) -> int:
    lines = [
        "# The investment-promotion mode's vocabulary over the apps' catalogues.",
        "# Generated by `openkam promotion_vocabulary` from openkam/pipeline/vocabulary.py:",
        "# edit the rules there, not this file.",
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        f'"Language: {language}\\n"',
        f'"Plural-Forms: {HEADERS[language]}\\n"',
        "",
    ]
    count = 0
    for entry in entries:
        if entry.msgctxt is not None:
            lines.append(f"msgctxt {_quote(entry.msgctxt)}")
        lines.append(f"msgid {_quote(entry.msgid)}")
        if entry.msgid_plural is not None:
            lines.append(f"msgid_plural {_quote(entry.msgid_plural)}")
            for index, text in sorted(entry.msgstr.items()):
                lines.append(f"msgstr[{index}] {_quote(text)}")
        else:
            lines.append(f"msgstr {_quote(entry.msgstr[0])}")
        lines.append("")
        count += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return count


def source_catalogues(base_dir: Path, apps: Iterable[Path]) -> list[Path]:
    """The Chinese catalogues in Django's order of precedence: the project's, then the apps'
    in INSTALLED_APPS order (the first translation of a msgid is the one shown)."""
    folders = [base_dir / "locale", *apps]
    paths = [folder / "zh_Hans" / "LC_MESSAGES" / "django.po" for folder in folders]
    return [path for path in paths if path.exists()]


def promotion_entries(sources: Iterable[Path]) -> tuple[list[Entry], list[Entry]]:
    """(Chinese, English) overrides: each msgid whose words change, once, in precedence."""
    seen: set[tuple[str | None, str]] = set()
    chinese: list[Entry] = []
    english: list[Entry] = []
    for path in sources:
        for entry in read_po(path):
            if entry.key in seen:
                continue
            seen.add(entry.key)
            zh = {index: zh_words(text) for index, text in entry.msgstr.items()}
            if entry.msgctxt is None and entry.msgid in ZH_EXACT:
                zh = {0: ZH_EXACT[entry.msgid]}
            if zh != entry.msgstr:
                chinese.append(Entry(entry.msgctxt, entry.msgid, entry.msgid_plural, zh))
            singular = EN_IN_CONTEXT.get(entry.key) or en_words(entry.msgid)
            plural = en_words(entry.msgid_plural) if entry.msgid_plural is not None else None
            if singular != entry.msgid or plural != entry.msgid_plural:
                en = {0: singular} if plural is None else {0: singular, 1: plural}
                english.append(Entry(entry.msgctxt, entry.msgid, entry.msgid_plural, en))
    seeds = {"Customer": "客户", "Customers": "客户", "Opportunity": "商机",
             "Opportunities": "商机", "KAM": "大客户经理", "Executive": "高层"}  # fmt: skip
    for msgid in SEEDS:
        if (None, msgid) not in seen:
            chinese.append(Entry(None, msgid, None, {0: zh_words(seeds[msgid])}))
            english.append(Entry(None, msgid, None, {0: en_words(msgid)}))

    def key(item: Entry) -> tuple[str, str]:
        return (item.msgctxt or "", item.msgid)

    return sorted(chinese, key=key), sorted(english, key=key)
