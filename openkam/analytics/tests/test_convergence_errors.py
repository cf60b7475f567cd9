"""Fits that cannot produce a trustworthy estimate raise ConvergenceError, never garbage."""

from __future__ import annotations

import numpy as np
import pytest

from openkam.analytics.base import ConvergenceError
from openkam.analytics.bgnbd import BGNBDModel
from openkam.analytics.gammagamma import GammaGammaModel
from openkam.analytics.paretonbd import ParetoNBDModel

PURCHASE_MODELS = [BGNBDModel, ParetoNBDModel]


def ages(n: int = 500, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(20.0, 40.0, n)


@pytest.mark.parametrize("model_class", PURCHASE_MODELS)
def test_no_repeat_purchases_at_all_raise_a_clear_error(
    model_class: type[BGNBDModel] | type[ParetoNBDModel],
) -> None:
    T = ages()
    with pytest.raises(ConvergenceError, match="all x = 0"):
        model_class().fit(np.zeros_like(T), np.zeros_like(T), T)


@pytest.mark.parametrize("model_class", PURCHASE_MODELS)
def test_no_sign_of_drop_out_raises_instead_of_returning_boundary_values(
    model_class: type[BGNBDModel] | type[ParetoNBDModel],
) -> None:
    # Everyone bought again on the last day: drop-out is not identified.
    T = ages()
    x = np.random.default_rng(1).integers(1, 10, len(T)).astype(float)
    with pytest.raises(ConvergenceError, match=r"not identified|do not identify"):
        model_class().fit(x, T.copy(), T)


@pytest.mark.parametrize("model_class", PURCHASE_MODELS)
def test_a_single_customer_raises(model_class: type[BGNBDModel] | type[ParetoNBDModel]) -> None:
    with pytest.raises(ConvergenceError):
        model_class().fit(np.array([3.0]), np.array([10.0]), np.array([20.0]))


def test_running_out_of_iterations_raises_with_the_optimisers_message() -> None:
    T = ages()
    rng = np.random.default_rng(2)
    x = rng.integers(0, 5, len(T)).astype(float)
    t_x = np.where(x > 0, rng.uniform(0, 1, len(T)) * T, 0.0)
    with pytest.raises(ConvergenceError, match="without converging"):
        BGNBDModel(max_iter=2).fit(x, t_x, T)


def test_gamma_gamma_needs_customers_with_different_spends() -> None:
    with pytest.raises(ConvergenceError, match="different mean spends"):
        GammaGammaModel().fit(np.ones(50), np.full(50, 10.0))


def test_invalid_data_is_refused_before_fitting() -> None:
    with pytest.raises(ValueError, match="t_x <= T"):
        BGNBDModel().fit(np.array([1.0]), np.array([5.0]), np.array([4.0]))
    with pytest.raises(ValueError, match="non-negative integers"):
        ParetoNBDModel().fit(np.array([1.5]), np.array([1.0]), np.array([4.0]))
    with pytest.raises(ValueError, match="positive"):
        GammaGammaModel().fit(np.array([1.0, 2.0]), np.array([-3.0, 4.0]))
