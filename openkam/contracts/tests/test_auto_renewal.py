"""Automatic renewal: a signed contract that renews automatically rolls over, once its end
has passed, to a signed contract of the same terms for the next term of the same length; the
old one reads "renewed" and the versions of both say why. A contract without the clause
expires instead, a terminated one stays terminated; running again changes nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from openkam.conftest import World, client_for
from openkam.contracts import services
from openkam.contracts.apps import roll_over_renewals
from openkam.contracts.models import Contract
from openkam.contracts.selectors import with_status
from openkam.contracts.services import contracts_roll_over, next_term
from openkam.contracts.tests.builders import contract
from openkam.contracts.tests.conftest import TODAY
from openkam.portfolio import hooks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "frozen")]

ITEM = {"family": "曳引机", "quantity": "120", "amount": "600000"}


def status(made: Contract) -> str:
    return with_status(Contract.objects.filter(pk=made.pk), today=TODAY).get().status  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("starts", "ends", "next_starts", "next_ends"),
    [
        ("2025-03-01", "2026-02-28", "2026-03-01", "2027-02-28"),  # a year, whole months
        ("2023-03-01", "2024-02-29", "2024-03-01", "2025-02-28"),  # a leap year's February
        ("2026-01-01", "2026-03-31", "2026-04-01", "2026-06-30"),  # a quarter
        ("2026-01-10", "2026-02-08", "2026-02-09", "2026-03-10"),  # 30 days
    ],
)
def test_the_next_term_has_the_same_length(
    starts: str, ends: str, next_starts: str, next_ends: str
) -> None:
    day = dt.date.fromisoformat
    assert next_term(day(starts), day(ends)) == (day(next_starts), day(next_ends))


def test_an_ended_contract_rolls_over_and_says_why(world: World) -> None:
    old = contract(world.account, number="HT-AUTO", starts_on=dt.date(2025, 3, 1),
                   ends_on=dt.date(2026, 2, 28), notice_days=30, auto_renew=True,
                   committed_value="1200000", items=[ITEM])  # fmt: skip
    plain = contract(world.account, number="HT-PLAIN", starts_on=dt.date(2025, 3, 1),
                     ends_on=dt.date(2026, 2, 28))  # fmt: skip
    ended = contract(world.account, number="HT-ENDED", starts_on=dt.date(2025, 3, 1),
                     ends_on=dt.date(2026, 2, 28), auto_renew=True)  # fmt: skip
    services.contract_terminate(user=world.kam, contract=ended,
                                terminated_on=dt.date(2025, 9, 30), reason="产线搬迁")  # fmt: skip
    running = contract(world.account, number="HT-RUNNING", auto_renew=True)  # ends 2026-12-31

    made = contracts_roll_over(as_of=TODAY)

    assert [new.number for new in made] == ["HT-AUTO-R1"]
    new = Contract.objects.get(number="HT-AUTO-R1")
    assert (new.starts_on, new.ends_on) == (dt.date(2026, 3, 1), dt.date(2027, 2, 28))
    assert (new.state, new.renews, new.auto_renew, new.notice_days) == ("signed", old, True, 30)
    assert new.notice_by == dt.date(2027, 1, 29)
    assert str(new.committed_value) == "1200000.00"
    assert [(i.family, str(i.quantity), str(i.amount)) for i in new.items.all()] == [
        ("曳引机", "120.000", "600000.00")
    ]
    assert list(new.covered_accounts.all()) == [world.account]
    assert (status(old), status(new)) == ("renewed", "active")
    assert (status(plain), status(ended), status(running)) == ("expired", "terminated", "active")
    assert not Contract.objects.filter(renews__in=[plain, ended, running]).exists()
    assert old.history.latest().history_change_reason == "renewed_automatically"
    assert new.history.latest().history_change_reason == "automatic_renewal"
    client = client_for(world.kam)
    page = client.get(old.get_absolute_url()).content.decode()
    assert "Renewed automatically: the term ended with no notice given" in page
    page = client.get(new.get_absolute_url()).content.decode()
    assert "Signed by the automatic renewal of the contract before" in page
    assert "HT-AUTO" in page  # "renews" names the old one

    assert contracts_roll_over(as_of=TODAY) == []
    assert Contract.objects.count() == 5


def test_a_contract_left_for_years_catches_up(world: World) -> None:
    old = contract(world.account, number="HT-HALF", starts_on=dt.date(2024, 1, 1),
                   ends_on=dt.date(2024, 6, 30), auto_renew=True)  # fmt: skip
    made = contracts_roll_over(as_of=TODAY)
    assert [(new.number, new.starts_on, new.ends_on) for new in made] == [
        ("HT-HALF-R1", dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
        ("HT-HALF-R2", dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
        ("HT-HALF-R3", dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
        ("HT-HALF-R4", dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
    ]
    assert made[0].renews == old
    assert [new.renews for new in made[1:]] == made[:-1]
    assert status(made[-1]) in ("active", "expiring")


def test_a_renewal_drafted_by_hand_is_left_alone(world: World) -> None:
    old = contract(world.account, number="HT-HAND", starts_on=dt.date(2025, 1, 1),
                   ends_on=dt.date(2025, 12, 31), auto_renew=True)  # fmt: skip
    draft = services.contract_renew(user=world.kam, contract=old, number="HT-HAND-2")
    assert contracts_roll_over(as_of=TODAY) == []
    assert list(Contract.objects.filter(renews=old)) == [draft]


def test_the_refresh_and_the_command_roll_over(world: World) -> None:
    assert roll_over_renewals in hooks._after_refresh
    contract(world.account, number="HT-A", starts_on=dt.date(2025, 1, 1),
             ends_on=dt.date(2025, 12, 31), auto_renew=True)  # fmt: skip
    contract(world.account, number="HT-B", starts_on=dt.date(2025, 5, 1),
             ends_on=dt.date(2026, 4, 30), auto_renew=True)  # fmt: skip
    # A refresh back-dated to March renews what had ended by then; never beyond today.
    roll_over_renewals(dt.date(2026, 3, 1))
    assert set(Contract.objects.filter(renews__isnull=False).values_list("number", flat=True)) == {
        "HT-A-R1"
    }
    out = StringIO()
    call_command("contracts_renew", stdout=out)
    assert "HT-B -> HT-B-R1 2026-05-01 to 2027-04-30" in out.getvalue()
    assert "1 contract(s) renewed automatically as of 2026-06-01" in out.getvalue()
