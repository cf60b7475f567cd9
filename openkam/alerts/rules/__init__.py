"""The alert rules, one module each (all alike: copy one to add a rule, then list it here)."""

from __future__ import annotations

from openkam.alerts.rules import (
    churn_rising,
    concentration,
    contract_renewal_due,
    contract_shortfall,
    credit_exposure,
    missing_cost,
    no_owner,
    p_alive_low,
    payment_worsening,
    purchase_gap,
    revenue_decline,
    service_sla_breach,
    survey_detractor,
    visit_overdue,
)
from openkam.alerts.rules.base import Rule

RULES: dict[str, Rule] = {
    module.RULE.key: module.RULE
    for module in (
        churn_rising,
        p_alive_low,
        purchase_gap,
        revenue_decline,
        payment_worsening,
        credit_exposure,
        visit_overdue,
        concentration,
        missing_cost,
        no_owner,
        contract_renewal_due,
        contract_shortfall,
        service_sla_breach,
        survey_detractor,
    )
}


def rule_for(key: str) -> Rule:
    """The rule of that key; KeyError for a rule no longer shipped."""
    return RULES[key]


def message_of(key: str, params: dict[str, object]) -> str:
    """An alert's sentence in the active language (its rule's key for a rule since removed)."""
    rule = RULES.get(key)
    return rule.message(params) if rule is not None else key


def title_of(key: str) -> str:
    rule = RULES.get(key)
    return str(rule.title) if rule is not None else key
