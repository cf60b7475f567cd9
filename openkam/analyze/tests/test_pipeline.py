"""The pipeline's conventions, on small hand-made and seeded simulated ledgers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from openkam.analyze import pipeline
from openkam.analyze.tests.helpers import analyze_json, write_csv

SEED = 20240305


def simulated_ledger(customers: int = 300, seed: int = SEED) -> pl.DataFrame:
    """A Pareto/NBD world: each customer buys at a Poisson rate lambda ~ Gamma(0.8, 1/30 per day)
    until an exponential lifetime of rate mu ~ Gamma(0.8, 1/300 per day) ends, from a first
    purchase in the first quarter of 2023 to the end of June 2024. Each amount is Gamma(4, nu)
    with nu ~ Gamma(3, 300) per customer (a Gamma-Gamma world); cost is 70 % of each amount."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2023-01-01")
    rows: list[tuple[str, np.datetime64, float]] = []
    for c in range(customers):
        rate, life = rng.gamma(0.8, 1 / 30), rng.exponential(1 / rng.gamma(0.8, 1 / 300))
        scale = 1 / rng.gamma(3.0, 1 / 300)
        first = float(rng.integers(0, 90))
        day = first
        while day < min(first + life, 546):
            rows.append((f"{c:05d}", start + int(day), float(rng.gamma(4.0, scale))))
            day += rng.exponential(1 / rate)
        if day == first:
            rows.append((f"{c:05d}", start + int(first), float(rng.gamma(4.0, scale))))
    ids, days, amounts = zip(*rows, strict=True)
    return pl.DataFrame(
        {
            "customer": list(ids),
            "date": np.array(days, dtype="datetime64[D]"),
            "amount": list(amounts),
        }
    ).with_columns(cost=pl.col("amount") * 0.7)


def run(frame: pl.DataFrame, **options: object) -> pipeline.AnalysisResult:
    return pipeline.run_analysis(frame, pipeline.AnalysisOptions(**options))  # type: ignore[arg-type]


TIER_THRESHOLDS = {"key_threshold": 2000.0, "major_threshold": 500.0}


@pytest.fixture(scope="module")
def ledger() -> pl.DataFrame:
    return simulated_ledger()


@pytest.fixture(scope="module")
def steps_and_result(ledger: pl.DataFrame) -> tuple[list[str], pipeline.AnalysisResult]:
    steps: list[str] = []
    options = pipeline.AnalysisOptions(**TIER_THRESHOLDS)  # type: ignore[arg-type]
    return steps, pipeline.run_analysis(ledger, options, steps.append)


@pytest.fixture(scope="module")
def default(steps_and_result: tuple[list[str], pipeline.AnalysisResult]) -> pipeline.AnalysisResult:
    return steps_and_result[1]


@pytest.fixture(scope="module")
def half_margin_without_leader_rule(ledger: pl.DataFrame) -> pipeline.AnalysisResult:
    return run(ledger, margin=0.5, key_requires_leader=False, **TIER_THRESHOLDS)


def test_every_step_is_announced_in_order(
    steps_and_result: tuple[list[str], pipeline.AnalysisResult],
) -> None:
    assert tuple(steps_and_result[0]) == pipeline.STEPS


def test_the_simulated_ledger_is_fitted_by_every_model(default: pipeline.AnalysisResult) -> None:
    assert all(model.error is None for model in default.models.values())


def test_without_calibration_end_the_figures_are_as_of_the_last_date(
    ledger: pl.DataFrame, default: pipeline.AnalysisResult
) -> None:
    assert default.as_of == ledger["date"].max()
    assert default.holdout is None
    assert "holdout_purchases" not in default.customers


def test_the_cost_column_gives_the_margin_and_a_profit_pareto(
    default: pipeline.AnalysisResult,
) -> None:
    assert default.margin_source == "cost"
    assert default.overall_margin == pytest.approx(0.3)
    np.testing.assert_allclose(default.customers["margin_rate"], 0.3)
    assert set(default.concentration) == {"revenue", "profit"}


def test_an_explicit_margin_wins_over_the_cost_column_and_scales_clv(
    default: pipeline.AnalysisResult, half_margin_without_leader_rule: pipeline.AnalysisResult
) -> None:
    half = half_margin_without_leader_rule
    assert half.margin_source == "option"
    np.testing.assert_allclose(half.customers["margin_rate"], 0.5)
    np.testing.assert_allclose(half.customers["clv"], default.customers["clv"] * 0.5 / 0.3)


def test_key_is_proposed_on_sales_alone_only_without_the_leader_rule(
    default: pipeline.AnalysisResult, half_margin_without_leader_rule: pipeline.AnalysisResult
) -> None:
    assert default.tiers.counts["key"] == 0
    assert default.tiers.key_on_sales_alone > 0
    assert "key_needs_leader" in {note.code for note in default.notes}
    without = half_margin_without_leader_rule.tiers
    assert without.counts["key"] == default.tiers.key_on_sales_alone


def test_the_time_unit_changes_the_scale_not_the_predictions(
    ledger: pl.DataFrame, default: pipeline.AnalysisResult
) -> None:
    months = run(ledger, time_unit="month")
    np.testing.assert_allclose(months.customers["p_alive"], default.customers["p_alive"], atol=2e-3)
    np.testing.assert_allclose(months.customers["clv"], default.customers["clv"], rtol=2e-2)


def test_a_return_day_counts_in_revenue_but_not_as_a_purchase() -> None:
    frame = pl.DataFrame(
        {
            "customer": ["A", "A", "A", "A"],
            "date": [dt.date(2024, 1, 5), dt.date(2024, 2, 5), dt.date(2024, 2, 5),
                     dt.date(2024, 3, 1)],
            "amount": [100.0, 50.0, 30.0, -40.0],
        }
    )  # fmt: skip
    result = run(frame)
    assert result.customers["revenue"][0] == pytest.approx(140.0)
    assert result.customers["purchase_days"][0] == 2  # 2024-02-05 counts once
    assert result.counts.return_days == 1
    assert result.customers["x"][0] == 1


def test_customers_first_seen_after_the_calibration_end_are_left_out_and_counted(
    ledger: pl.DataFrame,
) -> None:
    end = dt.date(2023, 3, 15)
    result = run(ledger, calibration_end=end, purchase_model="pareto_nbd")
    later = ledger.filter(pl.col("date") > end)["customer"].unique()
    before = ledger.filter(pl.col("date") <= end)["customer"].unique()
    assert result.counts.customers == before.len()
    new = later.len() - later.is_in(before.implode()).sum()
    assert new > 0
    assert result.counts.customers_after_calibration == new
    assert result.primary_model == "pareto_nbd"
    np.testing.assert_array_equal(
        result.customers["p_alive"], result.customers["p_alive_pareto_nbd"]
    )
    assert result.holdout is not None
    assert result.holdout.actual_total == np.nansum(result.customers["holdout_purchases"])


def test_a_file_without_repeat_purchases_reports_the_model_errors(tmp_path: Path) -> None:
    text = "customer,date,amount\n" + "".join(f"C{i},2024-01-{i + 1:02d},10\n" for i in range(20))
    document = analyze_json(str(write_csv(tmp_path / "once.csv", text)), "--language", "en")
    for name in ("bgnbd", "pareto_nbd", "gamma_gamma"):
        model = document["models"][name]
        assert model["params"] is None
        assert "repeat" in model["error"]
    assert document["models"]["primary"] is None
    assert all(c["p_alive"] is None and c["clv"] is None for c in document["customers"])
    codes = [note["code"] for note in document["notes"]]
    assert "no_purchase_model" in codes
    assert "could not be fitted" in document["notes"][0]["text"]


def test_a_one_time_buyer_is_measured_against_the_usual_rhythm_of_the_others() -> None:
    regular = [dt.date(2024, month, 10) for month in range(1, 13)]
    frame = pl.DataFrame(
        {
            "customer": ["regular"] * 12 + ["once"],
            "date": [*regular, dt.date(2024, 1, 20)],
            "amount": [100.0] * 13,
        }
    )
    result = run(frame, calibration_end=dt.date(2024, 12, 31))
    once = list(result.customers["customer_id"]).index("once")
    assert np.isnan(result.customers["mean_gap_days"][once])
    assert result.customers["usual_gap_days"][once] == pytest.approx(
        result.customers["mean_gap_days"][1 - once]
    )
    assert "long_silence" in result.customers["churn_reasons"][once]


def test_purchase_models_are_not_fitted_on_a_handful_of_customers() -> None:
    frame = pl.DataFrame(
        {
            "customer": ["a", "a", "b", "b", "b"],
            "date": [dt.date(2024, 1, d) for d in (2, 9, 3, 10, 24)],
            "amount": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    result = run(frame)
    for name in ("bgnbd", "pareto_nbd"):
        assert str(result.models[name].error).startswith("too few customers")
    assert result.primary_model is None
