"""A small demo company per test: 300 accounts over two years, generated in a second or two."""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.demo.services import DemoOptions, DemoReport, demo_generate

TODAY = dt.date(2026, 3, 15)
PASSWORD = "demo-pass-for-tests"


def generate(**overrides: object) -> DemoReport:
    options = {"accounts": 300, "years": 2, "seed": 7, "today": TODAY}
    options.update(overrides)
    return demo_generate(DemoOptions(**options), password=PASSWORD)  # type: ignore[arg-type]


@pytest.fixture
def demo(db: None) -> DemoReport:
    return generate()
