"""The promotion scorecard's weights: analysts and executives set them (whole percents, 0-100,
adding up to 100), every change kept with who made it, every score read with the new weights
at once; anybody else is refused with nothing saved, and bad input names the field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.pipeline import promotion
from openkam.pipeline.models import ProjectTerms, PromotionWeight, Stage, TargetProfile
from openkam.pipeline.tests.builders import opportunity

pytestmark = pytest.mark.django_db
EVEN = {"investment": 20, "tax_per_mu": 20, "leverage": 20, "technology": 20, "park_fit": 20}


def _stored() -> list[Any]:
    return [
        list(PromotionWeight.objects.order_by("pk").values("key", "weight")),
        PromotionWeight.history.count(),
    ]


def _scored(world: World) -> promotion.ProjectScore:
    project = opportunity(world.account, amount="500000000", stage=Stage.NEGOTIATION)
    terms = ProjectTerms(
        opportunity=project, land_mu=Decimal(150), annual_tax=Decimal(36000000), park_fit=4
    )
    profile = TargetProfile(account=world.account, technology_level=3)
    return promotion.project_score(project, terms, profile, suppliers=3)


def test_the_defaults_hold_until_someone_saves(world: World) -> None:
    assert promotion.promotion_weights() == {
        "investment": 30, "tax_per_mu": 25, "leverage": 20, "technology": 15, "park_fit": 10,
    }  # fmt: skip
    assert _scored(world).total == 54.0


def test_saved_weights_rescore_every_project_and_keep_their_history(world: World) -> None:
    saved = promotion.promotion_weights_set(user=world.analyst, weights=EVEN)
    assert saved == EVEN
    # The same lines (50, 48, 60, 50, 75) weighed evenly: 283 / 5 = 56.6.
    score = _scored(world)
    assert (score.total, [line.weight for line in score.lines]) == (56.6, [20] * 5)
    promotion.promotion_weights_set(user=world.executive, weights={**EVEN, "investment": 40,
                                                                   "park_fit": 0})  # fmt: skip
    changes = PromotionWeight.history.order_by("history_date", "history_id")
    assert [(c.key, c.weight, c.history_user) for c in changes][-2:] == [
        ("investment", 40, world.executive),
        ("park_fit", 0, world.executive),
    ]
    assert changes.count() == 7  # five rows created, then two changed
    # (50 x 40 + 48 x 20 + 60 x 20 + 50 x 20 + 75 x 0) / 100 = 51.6
    assert _scored(world).total == 51.6


@pytest.mark.parametrize(
    ("weights", "field"),
    [
        ({**EVEN, "investment": 30}, "__all__"),  # adds up to 110
        ({**EVEN, "investment": 101, "tax_per_mu": -61}, "investment"),
        ({**EVEN, "leverage": "20.5"}, "leverage"),
        ({**EVEN, "technology": ""}, "technology"),
        ({k: v for k, v in EVEN.items() if k != "park_fit"}, "park_fit"),
        ({**EVEN, "colour": 1}, "__all__"),
    ],
    ids=["sum", "range", "fraction", "empty", "missing", "unknown"],
)
def test_bad_weights_name_the_field_and_save_nothing(
    world: World, weights: dict[str, Any], field: str
) -> None:
    before = _stored()
    with pytest.raises(promotion.ValidationError) as refused:
        promotion.promotion_weights_set(user=world.executive, weights=weights)
    assert field in refused.value.message_dict
    assert _stored() == before


@pytest.mark.usefixtures("english")
def test_the_form_shows_the_sum_error_and_keeps_what_was_typed(world: World) -> None:
    form = {**EVEN, "investment": "35"}
    response = client_for(world.analyst).post(reverse("pipeline:weights"), form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The weights add up to 115 %; they must add up to 100 %." in page
    assert 'name="investment" value="35"' in page
    bad = client_for(world.analyst).post(reverse("pipeline:weights"), {**EVEN, "leverage": "x"})
    assert "Enter a whole percentage from 0 to 100." in bad.content.decode()
    assert not PromotionWeight.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("executive", 302), ("analyst", 302), ("director", 403), ("kam", 403),
     ("other_kam", 403), ("viewer", 403), ("anonymous", 302)],
)  # fmt: skip
def test_each_persona_sets_the_weights_or_is_refused(
    world: World, persona: str, status: int
) -> None:
    client = Client() if persona == "anonymous" else client_for(getattr(world, persona))
    page = client.get(reverse("pipeline:weights"))
    before = _stored()
    response = client.post(reverse("pipeline:weights"), EVEN)
    assert response.status_code == status
    if persona == "anonymous":
        assert "/login" in response["Location"]
    if status == 302 and persona != "anonymous":
        assert response["Location"] == reverse("pipeline:weights")
        assert promotion.promotion_weights() == EVEN
        assert 'data-testid="save"' in page.content.decode()
    else:
        assert _stored() == before
        if persona != "anonymous":
            assert page.status_code == 200
            assert 'data-testid="save"' not in page.content.decode()
            assert "readonly" in page.content.decode()


def test_the_page_lists_the_changes_in_both_languages(world: World) -> None:
    promotion.promotion_weights_set(user=world.analyst, weights=EVEN)
    client = client_for(world.director)
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(reverse("pipeline:weights")).content.decode()
    assert "招商评分权重" in chinese
    assert chinese.count('data-testid="weights-history-row"') == 5
    assert "投资规模" in chinese
    client.cookies["django_language"] = "en"
    english = client.get(reverse("pipeline:weights")).content.decode()
    assert "Promotion scorecard weights" in english
    assert "Investment size" in english
    assert 'data-testid="weights-sales-mode"' in english  # the sales mode does not use them
