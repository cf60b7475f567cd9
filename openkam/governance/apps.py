from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "openkam.governance"
    verbose_name = _("Portfolio governance")

    def ready(self) -> None:
        from openkam.governance.week import week_tier_decisions
        from openkam.interactions.week import WeekSection, register_week_section

        register_week_section(
            WeekSection(
                key="tier_decisions",
                template="governance/_week_decisions.html",
                rows=week_tier_decisions,
            )
        )
