"""The shipped CDNOW sample, read once per test session, in the papers' conventions.

Fader, Hardie & Lee (2005): calibration ends 1997-09-30 (39 weeks after 1997-01-01), holdout
to 1998-06-30, time in weeks, same-day purchases count once.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from openkam.analytics.bgnbd import BGNBDModel
from openkam.analytics.gammagamma import GammaGammaModel
from openkam.analytics.paretonbd import ParetoNBDModel
from openkam.analytics.rfm import RFMSummary, rfm_summary

CALIBRATION_END = "1997-09-30"
OBSERVATION_END = "1998-06-30"


@dataclass(frozen=True)
class Transactions:
    customer_ids: NDArray[np.str_]
    dates: NDArray[np.datetime64]
    amounts: NDArray[np.float64]


def shared_data_dir() -> Path:
    configured = os.environ.get("OPENKAM_SHARED_DATA")
    if configured:
        return Path(configured)
    # openkam/analytics/tests/ -> repository root -> ../shared/data
    return Path(__file__).resolve().parents[3] / ".." / "shared" / "data"


@cache
def cdnow_transactions() -> Transactions:
    path = shared_data_dir() / "cdnow_sample.csv"
    if not path.exists():
        message = f"shipped data not found at {path} (set OPENKAM_SHARED_DATA)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: the published-result checks must run in CI")
        pytest.skip(message)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return Transactions(
        customer_ids=np.array([row["customer_id"] for row in rows]),
        dates=np.array([row["date"] for row in rows], dtype="datetime64[D]"),
        amounts=np.array([float(row["amount"]) for row in rows]),
    )


@cache
def cdnow_summary() -> RFMSummary:
    data = cdnow_transactions()
    return rfm_summary(
        data.customer_ids,
        data.dates,
        data.amounts,
        calibration_end=CALIBRATION_END,
        observation_end=OBSERVATION_END,
        time_unit="week",
    )


@cache
def fitted_bgnbd() -> BGNBDModel:
    summary = cdnow_summary()
    return BGNBDModel().fit(summary.x, summary.t_x, summary.T)


@cache
def fitted_paretonbd() -> ParetoNBDModel:
    summary = cdnow_summary()
    return ParetoNBDModel().fit(summary.x, summary.t_x, summary.T)


@cache
def fitted_gammagamma() -> GammaGammaModel:
    summary = cdnow_summary()
    return GammaGammaModel().fit(summary.x, summary.monetary_value)
