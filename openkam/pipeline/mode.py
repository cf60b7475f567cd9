"""Which mode the company runs OpenKAM in: a supplier's key-account management ("sales", the
default) or an investment-promotion office's (招商, "promotion"), from OPENKAM_MODE.

The mode picks the stage set the opportunities move through (an investment project's stages
in promotion mode) and, through the catalogue settings put first in LOCALE_PATHS, the words
(openkam/pipeline/vocabulary.py); the models, pages and rules are the same."""

from __future__ import annotations

from django.conf import settings

from openkam.pipeline.models import PROMOTION_STAGES, SALES_STAGES, StageSet

SALES = "sales"
PROMOTION = "promotion"


def promotion_mode() -> bool:
    return getattr(settings, "OPENKAM_MODE", SALES) == PROMOTION


def stages() -> StageSet:
    """The stage set of the company's mode."""
    return PROMOTION_STAGES if promotion_mode() else SALES_STAGES
