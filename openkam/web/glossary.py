"""The KAM terms as the pages use them, each in one plain sentence: the in-app glossary."""
# ruff: noqa: E501  (one sentence per term reads better whole)

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Term:
    key: str
    name: str | Promise
    meaning: str | Promise


TERMS: tuple[Term, ...] = (
    Term("kam", _("Key account manager (KAM)"),
         _("The one person who owns the relationship with a key account and answers for its revenue, margin and plan.")),
    Term("tier", _("Tier"),
         _("How much the account matters to us: strategic, key, major or general; set by the yearly tier review.")),
    Term("abc", _("ABC class"),
         _("Accounts ranked by revenue: class A brings the first 80% of the cumulative revenue, class B the next 15%, class C the rest.")),
    Term("lifecycle", _("Lifecycle stage"),
         _("Where the account stands with us: identification, building, deepening, maintenance, churn warning, win-back or lost.")),
    Term("relationship", _("Relationship stage"),
         _("How close the two companies work together, from a first contact (pre) to a synergistic partnership.")),
    Term("p_alive", _("Probability alive"),
         _("How likely the customer is still buying from us, judged from how often and how recently it ordered.")),
    Term("clv", _("Customer lifetime value (CLV)"),
         _("The margin we can expect from the account over the coming years, discounted to today.")),
    Term("share_of_wallet", _("Share of wallet"),
         _("Our part of what the customer spends on what we sell.")),
    Term("churn", _("Churn risk"),
         _("Signs that the customer is buying less or may leave: fewer orders, a falling probability alive, overdue payments.")),
    Term("dso", _("Days sales outstanding (DSO)"),
         _("How many days, on average, the customer takes to pay our invoices.")),
    Term("matrices", _("Value matrices"),
         _("Accounts placed by revenue and margin, by revenue and loyalty, and by attractiveness and our relative strength, each in four quadrants.")),
    Term("coverage", _("Coverage matrix"),
         _("Who on our side talks to whom on the customer's side; gaps show where a decision maker has no counterpart.")),
    Term("buying_center", _("Buying center"),
         _("The customer's people who take part in a purchase decision: decision makers, influencers, users, gatekeepers and buyers.")),
    Term("plan", _("Account plan"),
         _("The yearly plan for one account: objectives, actions with owners and dates, the resources asked for, and its reviews.")),
    Term("next_step", _("Next step"),
         _("What was agreed at a visit or call, who does it and by when.")),
)  # fmt: skip
