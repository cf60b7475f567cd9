"""The models follow scikit-learn's estimator contract (STYLE.md, "The analytics library")."""

from __future__ import annotations

import numpy as np
import pytest

from openkam.analytics.base import NotFittedError
from openkam.analytics.bgnbd import BGNBDModel, BGNBDParams
from openkam.analytics.gammagamma import GammaGammaModel
from openkam.analytics.paretonbd import ParetoNBDModel
from openkam.analytics.tests.cdnow_data import cdnow_summary

MODELS = [BGNBDModel, ParetoNBDModel, GammaGammaModel]
LEARNED = {
    "params_",
    "standard_errors_",
    "covariance_",
    "log_likelihood_",
    "n_customers_",
    "n_iter_",
    "at_limit_",
}
Model = type[BGNBDModel] | type[ParetoNBDModel] | type[GammaGammaModel]


def fit(model_class: Model) -> BGNBDModel | ParetoNBDModel | GammaGammaModel:
    s = cdnow_summary()
    if model_class is GammaGammaModel:
        return GammaGammaModel().fit(s.x, s.monetary_value)
    return model_class().fit(s.x, s.t_x, s.T)


@pytest.mark.parametrize("model_class", MODELS)
def test_init_stores_settings_only(model_class: Model) -> None:
    assert set(vars(model_class(tol=1e-8, max_iter=10))) == {"initial_params", "tol", "max_iter"}


@pytest.mark.parametrize("model_class", MODELS)
def test_fit_returns_the_model_with_learned_values_ending_in_underscore(model_class: Model) -> None:
    model = fit(model_class)
    learned = set(vars(model)) - {"initial_params", "tol", "max_iter"}
    assert learned == LEARNED


@pytest.mark.parametrize("model_class", MODELS)
def test_no_training_data_is_kept_on_the_model(model_class: Model) -> None:
    model = fit(model_class)
    sizes = [np.size(value) for value in vars(model).values() if isinstance(value, np.ndarray)]
    assert max(sizes) <= 16  # the covariance matrix, nothing per customer


def test_predicting_before_fitting_says_so() -> None:
    with pytest.raises(NotFittedError, match="fit"):
        BGNBDModel().predict_probability_alive(1, 2.0, 3.0)


def test_a_given_starting_point_reaches_the_same_estimate() -> None:
    s = cdnow_summary()
    start = BGNBDParams(r=2.0, alpha=20.0, a=2.0, b=5.0)
    from_start = BGNBDModel(initial_params=start).fit(s.x, s.t_x, s.T)
    default = BGNBDModel().fit(s.x, s.t_x, s.T)
    np.testing.assert_allclose(from_start.params_.to_array(), default.params_.to_array(), rtol=1e-5)
