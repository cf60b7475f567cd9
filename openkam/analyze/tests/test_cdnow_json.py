"""`openkam analyze cdnow_sample.csv --json` reproduces the published CDNOW estimates.

Published figures (the same the analytics library pins, see openkam/analytics/tests):
- BG/NBD: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4 (Fader, Hardie & Lee
  2005, "Counting Your Customers the Easy Way", Marketing Science 24(2)).
- Pareto/NBD: r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669 (FHL 2005); LL = -9594.976
  and standard errors r 0.04763, alpha 0.8427, s 0.1873, beta 6.211 (CLVTools).
- Gamma-Gamma: p = 6.25, q = 3.74, gamma = 15.44 on the 946 customers with repeat purchases
  (Fader & Hardie 2013); LL = -4055.9177 (CLVTools).
- 1,882 repeat transactions in the 39-week holdout (FHL 2005, section 4).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command

from openkam.analyze.tests.helpers import CALIBRATION_END


@pytest.fixture(scope="module")
def run(cdnow_path: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "analyze",
        str(cdnow_path),
        "--json",
        "--calibration-end",
        CALIBRATION_END,
        "--time-unit",
        "week",
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def document(run: tuple[str, str]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(run[0])
    return result


def test_stdout_holds_one_json_document_and_nothing_else(run: tuple[str, str]) -> None:
    stdout = run[0]
    decoder = json.JSONDecoder()
    _value, end = decoder.raw_decode(stdout)
    assert stdout[end:].strip() == ""
    assert stdout.lstrip().startswith("{")


def test_bgnbd_reproduces_the_published_estimates(document: dict[str, Any]) -> None:
    bgnbd = document["models"]["bgnbd"]
    params = bgnbd["params"]
    assert round(params["r"], 3) == 0.243
    assert round(params["alpha"], 3) == 4.414
    assert round(params["a"], 3) == 0.793
    assert round(params["b"], 3) == 2.426
    assert round(bgnbd["log_likelihood"], 1) == -9582.4
    assert bgnbd["error"] is None


def test_pareto_nbd_reproduces_the_published_estimates(document: dict[str, Any]) -> None:
    pareto_nbd = document["models"]["pareto_nbd"]
    params = pareto_nbd["params"]
    assert round(params["r"], 3) == 0.553
    assert round(params["alpha"], 3) == 10.578
    assert round(params["s"], 3) == 0.606
    assert round(params["beta"], 3) == 11.669
    assert pareto_nbd["log_likelihood"] == pytest.approx(-9594.98, abs=0.005)


def test_pareto_nbd_standard_errors_agree_with_clvtools(document: dict[str, Any]) -> None:
    errors = document["models"]["pareto_nbd"]["standard_errors"]
    values = [errors["r"], errors["alpha"], errors["s"], errors["beta"]]
    np.testing.assert_allclose(values, [0.0476264, 0.8427222, 0.1872594, 6.2105448], rtol=2e-3)


def test_gamma_gamma_reproduces_the_published_estimates(document: dict[str, Any]) -> None:
    gamma_gamma = document["models"]["gamma_gamma"]
    params = gamma_gamma["params"]
    assert round(params["p"], 2) == 6.25
    assert round(params["q"], 2) == 3.74
    assert round(params["gamma"], 2) == 15.44
    assert gamma_gamma["log_likelihood"] == pytest.approx(-4055.9177, abs=5e-4)
    assert gamma_gamma["n_customers"] == 946


def test_every_model_reports_standard_errors_for_every_parameter(
    document: dict[str, Any],
) -> None:
    for name in ("bgnbd", "pareto_nbd", "gamma_gamma"):
        model = document["models"][name]
        assert set(model["standard_errors"]) == set(model["params"])
        assert all(value > 0 for value in model["standard_errors"].values())


def test_all_2357_customers_are_reported_with_their_ids_as_text(
    document: dict[str, Any],
) -> None:
    customers = document["customers"]
    assert len(customers) == 2357
    assert document["counts"]["customers"] == 2357
    by_id = {c["customer_id"]: c for c in customers}
    first = by_id["00004"]
    assert (first["x"], first["t_x"], first["T"]) == (2, pytest.approx(30.43, abs=0.01),
                                                      pytest.approx(38.86, abs=0.01))  # fmt: skip
    assert first["monetary_value"] == pytest.approx(22.345)
    # Hardie's spreadsheet: E(spend | x = 2, m_x = 22.345) = 24.65.
    assert first["expected_spend"] == pytest.approx(24.65, abs=0.005)


def test_each_customer_carries_every_figure(document: dict[str, Any]) -> None:
    wanted = {
        "customer_id", "x", "t_x", "T", "monetary_value", "p_alive", "expected_purchases",
        "expected_holdout_purchases", "holdout_purchases", "clv", "abc_class", "tier",
        "churn_level", "churn_reasons", "repeat_axis", "p_alive_bgnbd", "p_alive_pareto_nbd",
    }  # fmt: skip
    assert wanted <= set(document["customers"][0])


def test_non_finite_figures_are_null(document: dict[str, Any]) -> None:
    one_purchase = next(c for c in document["customers"] if c["x"] == 0)
    assert one_purchase["gap_cv"] is None
    assert one_purchase["mean_gap_days"] is None


def test_holdout_compares_expected_with_the_1882_actual_repeat_purchases(
    document: dict[str, Any],
) -> None:
    holdout = document["holdout"]
    assert holdout["actual_total"] == 1882
    assert holdout["length"] == pytest.approx(39.0)
    expected = holdout["expected_total"]
    assert set(expected) == {"bgnbd", "pareto_nbd"}
    assert expected["bgnbd"] == pytest.approx(
        sum(c["expected_holdout_purchases_bgnbd"] for c in document["customers"])
    )
    groups = holdout["by_frequency"]
    assert [g["label"] for g in groups] == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert sum(g["customers"] for g in groups) == 2357


def test_concentration_and_abc_cover_every_customer(document: dict[str, Any]) -> None:
    revenue = document["concentration"]["revenue"]
    assert 0 < revenue["gini"] < 1
    assert 0.2 < revenue["top_share"] < 1
    assert 0 < revenue["hhi"] < 1
    assert sum(document["abc"]["revenue"].values()) == 2357
    assert "profit" not in document["concentration"]


def test_tiers_say_why_key_is_not_proposed(document: dict[str, Any]) -> None:
    assert document["tiers"]["counts"]["general"] == 2357
    assert "key_needs_leader" in {note["code"] for note in document["notes"]}


def test_input_section_names_the_columns_it_mapped(document: dict[str, Any]) -> None:
    source = document["input"]
    assert source["columns"] == {
        "customer": "customer_id",
        "date": "date",
        "amount": "amount",
        "quantity": "cds",
    }
    assert source["rows_read"] == source["rows_used"] == 6919
    assert source["rows_rejected"] == 0
