"""Every page route, walked from the URL resolver so that a new one cannot be forgotten, by
every persona, against objects of ANOTHER team: anonymous users are sent to log in; a KAM, a
director or a viewer of the first team gets 404 (403 where a role may not use the page at all)
for another team's object, by GET and by POST; readers (viewer, analyst) are refused every
write, and the analyst, who sees every object, every edit form too (GET); and no refused POST
changes a row of a business table.

A route whose parameters this file cannot fill fails the walk: add the route's name to KWARGS
(which object of `Others` each parameter takes). The HTTP API is walked by its own schema tests,
the admin, log-in and language switch are Django's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.http import HttpResponseBase
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from openkam.accounts.models import Competitor, CompetitorPresence, Need
from openkam.alerts.tests.builders import alert_of
from openkam.conftest import World, client_for
from openkam.contracts.tests.builders import their_contract
from openkam.factories import AccountFactory, ContactFactory
from openkam.governance.models import StrategicDesignation
from openkam.imports.merging import account_merge
from openkam.imports.models import AccountMatch, ImportRun
from openkam.interactions.tests.builders import interaction
from openkam.pipeline.tests.builders import opportunity
from openkam.plans.models import Action, ResourceRequest, Risk
from openkam.plans.tests.builders import objective, plan
from openkam.portfolio.models import ScoringCriterion, TierProposal, TierReview
from openkam.retention.tests.builders import of_other_team
from openkam.service.tests.builders import their_case, their_training
from openkam.surveys.tests.builders import their_campaign

pytestmark = pytest.mark.django_db

# s/: a survey recipient's public link (no login; its own tests in openkam/surveys); r/: a
# resolved case's rating link (no login; its own tests in openkam/service).
SKIPPED_PREFIXES = ("admin/", "api/", "static/", "media/", "i18n/", "login/", "logout/", "s/",
                    "r/")  # fmt: skip
REFUSED = {403, 404, 405}


@dataclass(frozen=True)
class Route:
    name: str  # namespace:name
    route: str
    params: tuple[str, ...]


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            params = tuple(getattr(entry.pattern, "converters", {}))
            yield Route(f"{namespace}{entry.name}", route, params)


def page_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


@dataclass
class Others:
    """One object of each kind, all of the other team (world.other_team)."""

    account: Any
    contact: Any
    interaction: Any
    plan: Any
    objective: Any
    action: Any
    resource: Any
    risk: Any
    criterion: Any
    run: Any
    match: Any
    merge: Any
    need: Any = None  # set by the fixture (kept last: the constructor's order stays)
    competitor: Any = None
    review: Any = None  # the tier review and a proposal on the other team's account
    proposal: Any = None
    designation: Any = None  # a strategic designation awaiting the decision


Kwargs = Callable[[Others], dict[str, object]]
ACCOUNT: Kwargs = lambda o: {"pk": o.account.pk}  # noqa: E731
INTERACTION: Kwargs = lambda o: {"pk": o.interaction.pk}  # noqa: E731
PLAN: Kwargs = lambda o: {"pk": o.plan.pk}  # noqa: E731
RUN: Kwargs = lambda o: {"pk": o.run.pk}  # noqa: E731
FORMAT: Kwargs = lambda o: {"fmt": "csv"}  # noqa: E731

# Route name -> the value of each of its parameters. The integers are other team's objects.
KWARGS: dict[str, Kwargs] = {
    "accounts:detail": ACCOUNT,
    "accounts:tab": lambda o: {"pk": o.account.pk, "tab": "group"},
    "accounts:export": FORMAT,
    "scorecard": ACCOUNT,
    "score_set": lambda o: {"pk": o.account.pk, "criterion_id": o.criterion.pk},
    "relationships:map": ACCOUNT,
    "relationships:panels": ACCOUNT,
    "relationships:contacts_export": lambda o: {"pk": o.account.pk, "fmt": "csv"},
    "relationships:record_stage": ACCOUNT,
    "relationships:contact_add": ACCOUNT,
    "relationships:contact_edit": lambda o: {"pk": o.contact.pk},
    "relationships:contact_active": lambda o: {"pk": o.contact.pk},
    "accounts:fact_add": lambda o: {"pk": o.account.pk, "kind": "need"},
    "accounts:fact_edit": lambda o: {"pk": o.account.pk, "kind": "need", "item": o.need.pk},
    "accounts:fact_delete": lambda o: {"pk": o.account.pk, "kind": "need", "item": o.need.pk},
    "accounts:competitor": lambda o: {"pk": o.competitor.pk},
    "relationships:contact_field": lambda o: {"pk": o.contact.pk, "field": "support"},
    "relationships:contact_cell": lambda o: {"pk": o.contact.pk, "field": "support"},
    "interactions:export": FORMAT,
    "interactions:timeline_export": lambda o: {"pk": o.account.pk, "fmt": "csv"},
    "interactions:timeline": ACCOUNT,
    "interactions:log": ACCOUNT,
    "interactions:detail": INTERACTION,
    "interactions:edit": INTERACTION,
    "interactions:history": INTERACTION,
    "interactions:complete": INTERACTION,
    "interactions:cancel": INTERACTION,
    "interactions:next_step_done": INTERACTION,
    "plans:risk_edit": lambda o: {"pk": o.risk.pk},
    "plans:create": lambda o: {"account_id": o.account.pk},
    "plans:risks": lambda o: {"account_id": o.account.pk},
    "plans:detail": PLAN,
    "plans:texts": PLAN,
    "plans:pdf": PLAN,
    "plans:review_preview": PLAN,
    "plans:transition": lambda o: {"pk": o.plan.pk, "step": "submit"},
    "plans:part_add": lambda o: {"pk": o.plan.pk, "part": "objective"},
    "plans:part_delete": lambda o: {"pk": o.plan.pk, "part": "objective", "item": o.objective.pk},
    "plans:objective_edit": lambda o: {"pk": o.objective.pk},
    "plans:objective_progress": lambda o: {"pk": o.objective.pk},
    "plans:action_edit": lambda o: {"pk": o.action.pk},
    "plans:action_status": lambda o: {"pk": o.action.pk},
    "plans:resource_decide": lambda o: {"pk": o.resource.pk},
    "plans:part_edit": lambda o: {"pk": o.plan.pk, "part": "resource", "item": o.resource.pk},
    "plans:action_from_step": lambda o: {"interaction_id": o.interaction.pk},
    "contracts:create": lambda o: {"account_id": o.account.pk},
    "contracts:detail": lambda o: {"pk": their_contract(o.account)[0].pk},
    "contracts:edit": lambda o: {"pk": their_contract(o.account)[0].pk},
    "contracts:amend": lambda o: {"pk": their_contract(o.account)[0].pk},
    "contracts:step": lambda o: {"pk": their_contract(o.account)[0].pk, "step": "terminate"},
    "contracts:upload": lambda o: {"pk": their_contract(o.account)[0].pk},
    "contracts:attachment": lambda o: {"pk": their_contract(o.account)[1].pk},
    "imports:export": FORMAT,
    "imports:template": lambda o: {"kind": "transactions", "language": "zh", "fmt": "xlsx"},
    "imports:detail": RUN,
    "imports:progress": RUN,
    "imports:rejected": RUN,
    "imports:retry": RUN,
    "imports:matches_export": FORMAT,
    "imports:match_decide": lambda o: {"pk": o.match.pk},
    "imports:duplicates_export": FORMAT,
    "imports:merge_undo": lambda o: {"pk": o.merge.pk},
    "alerts:detail": lambda o: {"pk": alert_of(o.account).pk},
    "alerts:act": lambda o: {"pk": alert_of(o.account).pk, "action": "acknowledge"},
    "retention:create": lambda o: {"alert_id": of_other_team(o.account)[0].pk},
    "retention:lifecycle": ACCOUNT,
    "retention:detail": lambda o: {"pk": of_other_team(o.account)[1].pk},
    "retention:edit": lambda o: {"pk": of_other_team(o.account)[1].pk},
    "retention:outcome": lambda o: {"pk": of_other_team(o.account)[1].pk},
    "retention:action_add": lambda o: {"pk": of_other_team(o.account)[1].pk},
    "retention:action_status": lambda o: {"pk": of_other_team(o.account)[2].pk},
}

# Routes that only read, whatever the method: a reader's POST may answer 200 (it saves nothing).
READS = {
    "home",
    "glossary",
    "accounts:list",
    "accounts:detail",
    "accounts:tab",
    "accounts:export",
    "accounts:competitors",
    "scorecard",
    "relationships:map",
    "relationships:panels",
    "relationships:contacts_export",
    "relationships:contact_cell",
    "interactions:list",
    "interactions:export",
    "interactions:my_week",
    "interactions:cadence",
    "interactions:timeline_export",
    "interactions:timeline",
    "interactions:detail",
    "interactions:history",
    "plans:overview",
    "plans:portfolio_risks",
    "plans:detail",
    "plans:pdf",
    "plans:review_preview",
    "contracts:list",
    "contracts:detail",
    "contracts:attachment",
    "imports:list",
    "imports:export",
    "imports:columns",
    "imports:template",
    "imports:detail",
    "imports:progress",
    "imports:rejected",
    "imports:matches",
    "imports:matches_export",
    "imports:duplicates",
    "imports:duplicates_export",
    "alerts:mine",
    "alerts:team",
    "alerts:portfolio",
    "alerts:bell",
    "alerts:detail",
    "retention:list",
    "retention:overview",
    "retention:lost",
    "retention:rules",
    "retention:detail",
}
# Routes whose GET reads (a list with its own add form for writers) while their POST writes.
GET_READS = {"accounts:competitor", "plans:risks"}
# The account's lifecycle page reads; its POST overrides the stage.
GET_READS |= {"retention:lifecycle"}
GET_READS |= {"governance:settings"}  # every user reads the company settings
GET_READS |= {"performance:company_split"}  # the analyst reads the split; executives save it
# Writes an analyst may make (README, the users table): the imports of ERP data.
ANALYST_WRITES = {"imports:upload", "imports:retry", "imports:match_decide"}
# ... and the yearly tier review and the company settings (marketing prepares them).
ANALYST_WRITES |= {
    "governance:review_open",
    "governance:review_submit",
    "governance:proposal_add",
    "governance:proposal_change",
    "governance:proposal_withdraw",
    "governance:settings",
}
ANALYST_WRITES |= {"governance:strategic"}  # proposes a strategic designation
REVIEW: Kwargs = lambda o: {"pk": o.review.pk}  # noqa: E731
PROPOSAL: Kwargs = lambda o: {"pk": o.proposal.pk}  # noqa: E731
KWARGS |= {
    "governance:review": REVIEW,
    "governance:review_export": REVIEW,
    "governance:strategic_decide": lambda o: {"pk": o.designation.pk},
    "governance:review_submit": REVIEW,
    "governance:review_approve_rest": REVIEW,
    "governance:proposal_add": REVIEW,
    "governance:proposal": PROPOSAL,
    "governance:proposal_change": PROPOSAL,
    "governance:proposal_withdraw": PROPOSAL,
    "governance:proposal_decide": PROPOSAL,
}
READS |= {"governance:reviews", "governance:current", "governance:review", "governance:proposal"}
READS |= {"governance:review_export"}
READS |= {"governance:rescore_status"}  # the settings' re-scoring progress, read by all


def their_seat(o: Others) -> dict[str, object]:
    """A seat on the other team's account team (issue 14)."""
    from openkam.accounts.models import AccountTeamMember

    found, _created = AccountTeamMember.objects.get_or_create(
        account=o.account, user=o.account.owner, defaults={"role": "other"}
    )
    return {"pk": found.pk}


KWARGS |= {
    "account_team:card": ACCOUNT,
    "account_team:add": ACCOUNT,
    "account_team:history": ACCOUNT,
    "account_team:change": their_seat,
    "account_team:remove": their_seat,
}
READS |= {"account_team:card", "account_team:history"}
OPPORTUNITY: Kwargs = lambda o: {"pk": opportunity(o.account).pk}  # noqa: E731
KWARGS |= {
    "pipeline:screen": lambda o: {"account_id": o.account.pk},
    "pipeline:detail": OPPORTUNITY,
    "pipeline:edit": OPPORTUNITY,
    "pipeline:move": OPPORTUNITY,
}
READS |= {"pipeline:board", "pipeline:list", "pipeline:figures", "pipeline:prospects"}
READS |= {"pipeline:detail"}
# The stage probabilities and a prospect's scorecard read for all; their POST writes.
GET_READS |= {"pipeline:probabilities", "pipeline:screen"}


def their_chain_link(o: Others) -> dict[str, object]:
    """A supplier the other team's target brings (the promotion mode's chain, issue 18)."""
    from openkam.accounts.models import Account
    from openkam.pipeline.models import ChainLink

    supplier = Account.objects.exclude(pk=o.account.pk).order_by("pk").first()
    link, _created = ChainLink.objects.get_or_create(anchor=o.account, supplier=supplier)
    return {"account_id": o.account.pk, "link_id": link.pk}


TARGET: Kwargs = lambda o: {"account_id": o.account.pk}  # noqa: E731
KWARGS |= {
    "pipeline:terms": OPPORTUNITY,
    "pipeline:target": TARGET,
    "pipeline:supplier-add": TARGET,
    "pipeline:supplier-remove": their_chain_link,
}
GET_READS |= {"pipeline:target"}  # a target's profile reads for all; its POST writes
# The targets' matrix reads; the plan page's opportunities card reads the other team's plan
# (404); the promotion scorecard's weights read for all, analysts and executives set them.
KWARGS |= {"pipeline:plan-opportunities": lambda o: {"plan_id": o.plan.pk}}
READS |= {"pipeline:matrix", "pipeline:plan-opportunities"}
GET_READS |= {"pipeline:weights"}
ANALYST_WRITES |= {"pipeline:weights"}
SERVICE_CASE: Kwargs = lambda o: {"pk": their_case(o.account).pk}  # noqa: E731
KWARGS |= {
    "service:create": lambda o: {"account_id": o.account.pk},
    "service:detail": SERVICE_CASE,
    "service:edit": SERVICE_CASE,
    "service:resolve": SERVICE_CASE,
    "service:move": SERVICE_CASE,
    "service:training_create": lambda o: {"account_id": o.account.pk},
    "service:training_edit": lambda o: {"pk": their_training(o.account).pk},
}
READS |= {"service:list", "service:detail"}
GET_READS |= {"service:training_edit"}
KWARGS |= {
    "surveys:campaign": lambda o: {"pk": their_campaign(o.account)[0].pk},
    "surveys:campaign_remind": lambda o: {"pk": their_campaign(o.account)[0].pk},
    "surveys:answer_enter": lambda o: {"pk": their_campaign(o.account)[1].pk},
}
READS |= {"surveys:results", "surveys:campaigns", "surveys:campaign"}


def their_target(o: Others) -> dict[str, object]:
    from openkam.performance.models import Target

    found, _created = Target.objects.get_or_create(
        year=2026, level="team", metric="sales", team=o.account.team, defaults={"amount": 1}
    )
    return {"pk": found.pk}


KWARGS |= {
    "performance:team": lambda o: {"pk": o.account.team_id},
    "performance:team_target": lambda o: {"pk": o.account.team_id},
    "performance:decompose": their_target,
    "performance:submit": their_target,
    "performance:approve": their_target,
}
READS |= {"performance:mine", "performance:team"}


def their_appraisal(o: Others) -> dict[str, object]:
    from openkam.performance.models import Appraisal

    found, _created = Appraisal.objects.get_or_create(
        kam=o.account.owner, period="2026", defaults={"team": o.account.team}
    )
    return {"pk": found.pk}


THEIR_PAY: Kwargs = lambda o: {"kam_id": o.account.owner_id}  # noqa: E731
KWARGS |= {
    "performance:appraisal": their_appraisal,
    "performance:appraisal_edit": their_appraisal,
    "performance:appraisal_sign": their_appraisal,
    "performance:statement": THEIR_PAY,
    "performance:statement_export": lambda o: {"kam_id": o.account.owner_id, "fmt": "xlsx"},
    "performance:plan_set": THEIR_PAY,
}
READS |= {"performance:appraisals", "performance:my_pay", "performance:forecasts"}
KWARGS |= {"performance:kpi_rows": lambda o: {"key": "sales"}}  # scope in the query string
READS |= {"performance:kpis", "performance:kpi_rows"}


@pytest.fixture
def others(world: World) -> Others:
    account = world.other_account
    contact = ContactFactory.create(account=account, name="别队联系人")
    met = interaction(account, day=dt.date(2026, 3, 2), ours=[world.other_kam], theirs=[contact])
    their_plan = plan(account, owner=world.other_kam)
    goal = objective(their_plan)
    action = Action.objects.create(
        plan=their_plan, title="拜访", owner=world.other_kam, due_on=dt.date(2026, 6, 30)
    )
    resource = ResourceRequest.objects.create(
        plan=their_plan, function="rnd", person_days=Decimal("5"), reason="研发支持"
    )
    risk = Risk.objects.create(
        account=account, plan=their_plan, source="ours", category="quality", description="质量",
        probability="high", impact="high", rating="show_stopper", owner=world.other_kam,
    )  # fmt: skip
    criterion = ScoringCriterion.objects.create(
        scorecard="attractiveness", key="walk", name="走查", name_en="Walk", weight=Decimal("1")
    )
    run = ImportRun.objects.create(
        kind="orders", source="ERP", file_name="o.csv", sha256="0" * 64, user=world.executive,
        status=ImportRun.Status.DONE, finished_at=timezone.now(),
    )  # fmt: skip
    match = AccountMatch.objects.create(
        source="ERP", external_id="C9", name="别队客户", account=account, basis="name", score=90,
        run=run,
    )  # fmt: skip
    merge = account_merge(
        keep=account, drop=AccountFactory.create(team=world.other_team), user=world.executive
    )
    found = Others(account, contact, met, their_plan, goal, action, resource, risk, criterion,
                   run, match, merge)  # fmt: skip
    found.need = Need.objects.create(account=account, kind="price", description="降价")
    rival = Competitor.objects.create(name="别队对手")
    CompetitorPresence.objects.create(account=account, competitor=rival)
    found.competitor = rival
    found.review = TierReview.objects.create(year=2026, opened_by=world.analyst)
    found.proposal = TierProposal.objects.create(
        review=found.review, account=account, current_tier="general", proposed_tier="key",
        reason="走查",
    )  # fmt: skip
    found.designation = StrategicDesignation.objects.create(
        account=account, reason="走查", proposed_by=world.analyst
    )
    return found


def _business_tables() -> list[str]:
    models = apps.get_models(include_auto_created=True)
    return sorted({m._meta.db_table for m in models if m.__module__.startswith("openkam.")})


def row_counts(tables: list[str]) -> dict[str, int]:
    """Rows of every business table, in one query (the same SQL on SQLite and PostgreSQL)."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _url(route: Route, others: Others) -> str:
    if not route.params:
        return reverse(route.name)
    if route.name not in KWARGS:
        pytest.fail(
            f"The route {route.route!r} ({route.name}) takes {route.params} but "
            f"openkam/web/tests/test_route_walk.py does not know what to fill them with: add "
            f"{route.name!r} to KWARGS (another team's object for each id) and, when the route "
            f"only reads, to READS (GET_READS when only its GET reads).",
            pytrace=False,
        )
    return reverse(route.name, kwargs=KWARGS[route.name](others))


def _of_an_object(route: Route, others: Others) -> bool:
    return route.name in KWARGS and any(
        isinstance(value, int) for value in KWARGS[route.name](others).values()
    )


class Walk:
    """The requests of the walk, with what each answered and what each changed."""

    def __init__(self, others: Others) -> None:
        self.others = others
        self.tables = _business_tables()
        self.failures: list[str] = []

    def request(self, client: Client, method: str, route: Route, who: str) -> HttpResponseBase:
        url = _url(route, self.others)
        before = row_counts(self.tables) if method == "post" else None
        response = getattr(client, method)(url)
        if response.status_code >= 500:
            self.failures.append(f"{who} {method.upper()} {url}: {response.status_code}")
        refused = response.status_code in REFUSED or who == "anonymous"
        if before is not None and refused:
            after = row_counts(self.tables)
            changed = {t: (before[t], after[t]) for t in self.tables if before[t] != after[t]}
            if changed:
                self.failures.append(f"{who} POST {url} refused but changed {changed}")
        return response

    def expect(self, ok: bool, who: str, method: str, route: Route, response: Any) -> None:
        if not ok:
            url = _url(route, self.others)
            self.failures.append(
                f"{who} {method.upper()} {url} ({route.name}): {response.status_code}"
            )


def refusal_due(route: Route, method: str, who: str, *, of_object: bool) -> bool:
    """Whether `who` must be refused: another team's object does not exist for a member of
    the first team; readers may not write (an analyst may import)."""
    if who in {"kam", "director", "viewer"} and of_object:
        return True
    if route.name in READS:
        return False
    if who == "analyst":  # sees every object: its edit forms too must be refused
        reads = method == "get" and route.name in GET_READS
        return not reads and route.name not in ANALYST_WRITES
    return who == "viewer" and method == "post"


def walk_routes(world: World, others: Others, routes: list[Route]) -> None:
    """Each route by GET and POST: anonymous users are sent to log in, and every persona that
    must be refused is (the failures listed together). The apps' own walks call it too."""
    walk = Walk(others)
    login = resolve_url(settings.LOGIN_URL)
    anonymous = Client()
    personas = {"kam": world.kam, "director": world.director, "viewer": world.viewer,
                "analyst": world.analyst}  # fmt: skip
    clients = {who: client_for(user) for who, user in personas.items()}
    for route in routes:
        of_object = _of_an_object(route, others)
        for method in ("get", "post"):
            response = walk.request(anonymous, method, route, "anonymous")
            sent_to_login = response.status_code == 302 and response["Location"].startswith(login)
            walk.expect(sent_to_login or response.status_code == 405, "anonymous", method,
                        route, response)  # fmt: skip
            for who, client in clients.items():
                if not refusal_due(route, method, who, of_object=of_object):
                    continue
                response = walk.request(client, method, route, who)
                walk.expect(response.status_code in REFUSED, who, method, route, response)
    assert not walk.failures, "\n".join(walk.failures)


def test_every_route_refuses_what_each_persona_may_not_do(world: World, others: Others) -> None:
    routes = page_routes()
    assert len(routes) > 40  # the walk reaches into every app's urls
    walk_routes(world, others, routes)
