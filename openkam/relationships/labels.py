"""Words for the relationship-stage assessment: what is missing to reach the next stage."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from openkam.relationships.stages import Missing

JOINT_PROJECT_LABELS = {
    "operations": gettext_lazy("operations"),
    "logistics": gettext_lazy("logistics"),
    "new_products": gettext_lazy("new products"),
    "she": gettext_lazy("safety, health and environment"),
    "market_research": gettext_lazy("market research"),
}


def describe_missing(missing: Missing) -> str:
    if missing.code == "first_interaction":
        return _("Log a first interaction with someone at the account.")
    if missing.code == "their_people":
        return ngettext(
            "Meet at least %(needed)d of their people (met in the last 12 months: %(have)d).",
            "Meet at least %(needed)d of their people (met in the last 12 months: %(have)d).",
            missing.needed,
        ) % {"needed": missing.needed, "have": missing.have}
    if missing.code == "their_functions":
        return _(
            "Reach beyond one department: meet people in at least %(needed)d of their "
            "functions (now %(have)d)."
        ) % {"needed": missing.needed, "have": missing.have}
    if missing.code == "counterpart_pairs":
        return _(
            "Have at least %(needed)d of our functions meet their counterparts twice a year "
            "or more (now %(have)d)."
        ) % {"needed": missing.needed, "have": missing.have}
    if missing.code == "sales_purchasing":
        return _("Our sales must meet their purchasing at least twice a year.")
    if missing.code == "our_functions":
        return _(
            "Bring in people from at least %(needed)d of our functions, not only sales "
            "(now %(have)d)."
        ) % {"needed": missing.needed, "have": missing.have}
    if missing.code == "regular_pairs":
        return _(
            "Meet counterparts at least quarterly in %(needed)d function pairs (now %(have)d)."
        ) % {"needed": missing.needed, "have": missing.have}
    if missing.code == "board_meetings":
        return _(
            "Hold and record at least %(needed)d joint board meetings a year (now %(have)d)."
        ) % {"needed": missing.needed, "have": missing.have}
    if missing.code == "joint_projects":
        # Translators: separator between items of a list (、 in Chinese).
        fields = _(", ").join(str(JOINT_PROJECT_LABELS[name]) for name in missing.items)
        return _(
            "Record joint project teams in at least %(needed)d fields "
            "(now %(have)d; open: %(fields)s)."
        ) % {"needed": missing.needed, "have": missing.have, "fields": fields}
    return missing.code
