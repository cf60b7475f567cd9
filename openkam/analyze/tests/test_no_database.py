"""The command works without a server: it never opens the database."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from openkam.analyze.tests.helpers import analyze, analyze_json, write_csv

SMALL = "customer,date,amount,cost\n" + "".join(
    f"C{c:02d},2024-{m:02d}-{d:02d},{100 + c * m},{60 + c}\n"
    for c in range(1, 13)
    for m in range(1, 13)
    for d in (3, 17)
    if (c * m + d) % 3
)


def test_a_run_without_database_access_succeeds(tmp_path: Path) -> None:
    # pytest-django fails any query made by a test that did not ask for the database.
    path = write_csv(tmp_path / "small.csv", SMALL)
    stdout, _stderr = analyze(str(path), "--out", str(tmp_path / "out"), "--language", "en")
    assert "Models" in stdout
    assert (tmp_path / "out" / "analysis.xlsx").exists()


@pytest.mark.django_db
def test_a_run_makes_no_query(
    tmp_path: Path, django_assert_num_queries: Callable[[int], AbstractContextManager[object]]
) -> None:
    path = write_csv(tmp_path / "small.csv", SMALL)
    with django_assert_num_queries(0):
        document = analyze_json(str(path), "--out", str(tmp_path / "out"))
    assert document["counts"]["customers"] == 12
    assert "profit" in document["concentration"]
    assert document["settings"]["margin_source"] == "cost"
