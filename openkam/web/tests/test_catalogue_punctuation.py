"""Chinese sentences use Chinese punctuation: no ASCII , : ; ( ) ? ! beside a Chinese character
in any zh-hans catalogue's msgstr. The one exception is an argument of Django's yesno filter
("yes,no" -> "是,否"), which the filter splits on the ASCII comma."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from openkam.common.tests.test_translations import CATALOGUES, po_entries

CJK = "\u3400-\u9fff"
ASCII_BESIDE_CJK = re.compile(
    rf"[{CJK}]\s*[,:;?!]|[,:;]\s*[{CJK}]|[{CJK}]\s*\(|\(\s*[{CJK}]|[{CJK}]\s*\)|\)\s*[{CJK}]"
)
YESNO_ARGUMENT = re.compile(r"^\w+(,\w+){1,2}$")


def ascii_punctuation_in(path: Path) -> list[str]:
    found = []
    for entry in po_entries(path):
        if YESNO_ARGUMENT.match(entry.msgid):
            continue
        found += [text for text in entry.strs if ASCII_BESIDE_CJK.search(text)]
    return found


@pytest.mark.parametrize("app", sorted(CATALOGUES))
def test_chinese_sentences_use_chinese_punctuation(app: str) -> None:
    assert ascii_punctuation_in(CATALOGUES[app]) == []


def test_the_check_finds_ascii_punctuation_between_chinese_words(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid "Name: %(name)s"\nmsgstr "名称: %(name)s"\n\n'
        'msgid "Revenue (last 12 months)"\nmsgstr "收入(近12个月)"\n\n'
        'msgid "yes,no"\nmsgstr "是,否"\n\n'
        'msgid "A, B"\nmsgstr "甲，乙"\n',
        encoding="utf-8",
    )
    assert ascii_punctuation_in(po) == ["名称: %(name)s", "收入(近12个月)"]
