"""The demo company's service cases (售后服务): every strategic and key account gets a few: a
quality claim resolved through its 8D fields, a complaint whose first response came late, a
technical support case still open past its resolution deadline on some accounts, and a
training request in progress; the claim's contact rated its handling, and a training on the
new check followed it. Deadlines come from the SLA of the tier and severity, as the
services set them; the cases are written with their history.

Written in bulk, each table in one write: the rows (and history records) are those that
saving the cases one by one, rating the claim and setting the training's cases and attendees
would write (demo/tests/test_same_rows.py compares them with that code)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.apps import apps
from django.db import models
from django.utils import timezone

from openkam.accounts.models import Account, Tier
from openkam.relationships.models import Contact
from openkam.service.models import ServiceCase, Training
from openkam.service.services import sla_hours

FAMILIES = ("曳引机", "门机系统", "控制柜", "导轨")
BATCH = 2_000


class _History:
    """History records in the order the row-at-a-time writes made them; ids (and the `now`
    stamps bulk_create sets) are filled in once the tracked rows are written."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model.history.model  # type: ignore[attr-defined]
        self.names = [field.attname for field in self.model.tracked_fields]
        self.pending: list[tuple[models.Model, dict[str, Any], str]] = []

    def record(self, instance: models.Model, history_type: str) -> None:
        self.pending.append((instance, self._values(instance), history_type))

    def _values(self, instance: models.Model) -> dict[str, Any]:
        return {name: getattr(instance, name) for name in self.names}

    def write(self, stamp: dt.datetime) -> list[models.Model]:
        rows = []
        for instance, values, history_type in self.pending:
            for name in ("id", "created_at", "updated_at"):
                values[name] = getattr(instance, name)
            rows.append(
                self.model(
                    history_date=stamp,
                    history_type=history_type,
                    history_user_id=None,
                    history_change_reason=None,
                    **values,
                )
            )
        return list(self.model.objects.bulk_create(rows, batch_size=BATCH))


def _m2m_history(table: str) -> Any:  # a model django-simple-history made
    return next(m for m in apps.get_models() if m._meta.db_table == table)


class _Cases:
    def __init__(self) -> None:
        self.cases: list[ServiceCase] = []
        self.history = _History(ServiceCase)
        self.sla: dict[tuple[str, str, str], tuple[int, int]] = {}

    def add(self, account: Account, opened: dt.datetime, **fields: Any) -> ServiceCase:
        key = (account.tier, str(fields["severity"]), str(fields["kind"]))
        if key not in self.sla:
            self.sla[key] = sla_hours(*key)
        response, resolution = self.sla[key]
        made = ServiceCase(
            account=account,
            owner_id=account.owner_id,
            opened_at=opened,
            response_due=opened + dt.timedelta(hours=response),
            resolution_due=opened + dt.timedelta(hours=resolution),
            **fields,
        )
        self.cases.append(made)
        self.history.record(made, "+")
        return made


def _first_contacts(account_ids: list[int]) -> dict[int, Contact]:
    """Each account's contact of most influence (then the first made)."""
    first: dict[int, Contact] = {}
    for contact in Contact.objects.filter(account_id__in=account_ids).order_by(
        "account_id", "-influence_level", "pk"
    ):
        first.setdefault(contact.account_id, contact)
    return first


def write_service_cases(*, seed: int, today: dt.date) -> int:
    """A few cases per strategic and key account; returns how many were written."""
    rng = np.random.default_rng(seed + 13)
    accounts = list(Account.objects.filter(tier__in=(Tier.STRATEGIC, Tier.KEY)).order_by("pk"))
    contacts = _first_contacts([account.pk for account in accounts])
    nine = timezone.make_aware(dt.datetime.combine(today, dt.time(9, 0)))
    made = _Cases()
    trainings: list[tuple[Training, ServiceCase, Contact | None]] = []
    trainings_history = _History(Training)
    written = 0
    for index, account in enumerate(accounts):
        family = FAMILIES[index % len(FAMILIES)]
        days = int(rng.integers(20, 60))
        opened = nine - dt.timedelta(days=days)
        claim = made.add(
            account, opened, kind="quality_claim", severity="high", channel="email",
            title=f"{family}批次到货不良率超标", family=family,
            description="客户来料检验发现一批次不良率2.1%，超过合同约定的0.3%。",
            first_response_at=opened + dt.timedelta(hours=2),
            resolved_at=opened + dt.timedelta(days=2), status="closed",
            closed_at=opened + dt.timedelta(days=5),
            containment="隔离在库同批次产品，全检后发货。",
            root_cause="供应商热处理炉温控制偏差，硬度不足。",
            corrective_action="更换温控模块，增加首件硬度检验。",
            prevention="供应商过程审核纳入季度计划。",
        )  # fmt: skip
        # The contact's rating of the claim's handling, and the training on the new check.
        contact = contacts.get(account.pk)
        if contact is not None:
            claim.contact = contact
            claim.rating = int(rng.integers(2, 6))
            claim.rated_at = opened + dt.timedelta(days=3)
            made.history.record(claim, "~")
        training = Training(
            account=account, held_on=(opened + dt.timedelta(days=4)).date(),
            topic=f"{family}来料检验与首件硬度检验培训", trainer="技术服务部 张工",
            other_attendees="客户质检班组", recorded_by_id=account.owner_id,
        )  # fmt: skip
        trainings.append((training, claim, contact))
        # Created, then its cases set, then its attendees: a history record each.
        for history_type in ("+", "~", "~") if contact is not None else ("+", "~"):
            trainings_history.record(training, history_type)
        opened = nine - dt.timedelta(days=2)  # within its 72 h to resolve
        late = 6 if index % 3 == 0 else 3  # hours to the first answer: a high case allows 4
        made.add(
            account, opened, kind="complaint", severity="high", channel="phone",
            title=f"{family}安装现场异响", family=family,
            description="项目现场反映运行异响，要求派工程师到场。",
            first_response_at=opened + dt.timedelta(hours=late), status="in_progress",
        )  # fmt: skip
        if index % 4 == 0:
            made.add(
                account, nine - dt.timedelta(days=8), kind="technical_support",
                severity="critical", channel="wechat", title="控制柜通讯故障停梯",
                family="控制柜", first_response_at=nine - dt.timedelta(days=8, hours=-1),
                status="waiting",
            )  # fmt: skip
            written += 1
        made.add(
            account, nine - dt.timedelta(hours=20), kind="training_request", severity="low",
            channel="visit", title="新版控制系统维保培训", status="new",
        )  # fmt: skip
        written += 3
    if not made.cases:
        return 0
    ServiceCase.objects.bulk_create(made.cases, batch_size=BATCH)
    Training.objects.bulk_create([training for training, _claim, _contact in trainings])
    stamp = timezone.now()
    made.history.write(stamp)
    _trainings_links(trainings, trainings_history.write(stamp))
    return written


def _trainings_links(
    trainings: list[tuple[Training, ServiceCase, Contact | None]], records: list[models.Model]
) -> None:
    """Each training's case and attendee, and the history's copies of them: the record made
    when the cases were set holds the case; the one made when the attendees were set holds
    both."""
    case_link = Training.cases.through
    attendee_link = Training.attendees.through
    cases: list[Any] = list(
        case_link.objects.bulk_create(
            [case_link(training_id=t.pk, servicecase_id=claim.pk) for t, claim, _c in trainings],
            batch_size=BATCH,
        )
    )
    attended = [(t, contact) for t, _claim, contact in trainings if contact is not None]
    attendees: Any = iter(
        attendee_link.objects.bulk_create(
            [attendee_link(training_id=t.pk, contact_id=c.pk) for t, c in attended],
            batch_size=BATCH,
        )
    )
    history_cases: list[models.Model] = []
    history_attendees: list[models.Model] = []
    case_history = _m2m_history("service_historicaltraining_cases")
    attendee_history = _m2m_history("service_historicaltraining_attendees")
    position = 0
    for (_training, _claim, contact), case in zip(trainings, cases, strict=True):
        position += 1  # the "+" record: no links yet
        copies = 2 if contact is not None else 1
        attendee = next(attendees) if contact is not None else None
        for copy in range(copies):
            record = records[position]
            position += 1
            history_cases.append(
                case_history(
                    history=record,
                    id=case.pk,
                    training_id=case.training_id,
                    servicecase_id=case.servicecase_id,
                )
            )
            if copy == 1 and attendee is not None:
                history_attendees.append(
                    attendee_history(
                        history=record,
                        id=attendee.pk,
                        training_id=attendee.training_id,
                        contact_id=attendee.contact_id,
                    )
                )
    attendee_history.objects.bulk_create(history_attendees, batch_size=BATCH)
    case_history.objects.bulk_create(history_cases, batch_size=BATCH)
