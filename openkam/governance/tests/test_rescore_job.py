"""Scoring the latest refresh again after the scorecard criteria changed runs in the background
worker, not in the settings request: the save is committed at once with exactly one queued job;
the worker scores (figures pinned on two accounts), claims a job once and gives the same figures
when run again; the settings page follows its progress (htmx) and shows a failure's reason; a
refused save leaves no job and scores nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openkam.conftest import World, client_for
from openkam.governance import tasks
from openkam.governance.models import RescoreJob
from openkam.governance.tests.test_settings_criteria_levels import index_of, two_criteria
from openkam.governance.tests.test_settings_page import form_data
from openkam.portfolio.models import AccountSnapshot, PortfolioRun, ScoringCriterion
from openkam.portfolio.scoring import rescore_latest_run
from openkam.web.tests.builders import add_run

pytestmark = pytest.mark.django_db
__all__ = ["two_criteria"]
URL = reverse("governance:settings")
STATUS = reverse("governance:rescore_status")


@pytest.fixture(autouse=True)
def database_queue(settings: Any) -> None:
    """The queue of production: the job waits in the database for `openkam db_worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _attractiveness(world: World) -> float | None:
    return AccountSnapshot.objects.get(account=world.account).attractiveness


def _save_weight(client: Client, first: ScoringCriterion, weight: str) -> Any:
    return client.post(URL, form_data(**{f"w-{index_of(first)}-weight": weight}))


def _worker() -> None:
    """What `openkam db_worker --batch` does with the queue, inside the test's transaction (the
    command itself closes the connection, which PostgreSQL's test transaction cannot survive):
    each queued task called with the arguments it was enqueued with."""
    for queued in DBTaskResult.objects.filter(status="READY").order_by("enqueued_at"):
        queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])


def test_saving_a_criterion_enqueues_exactly_one_job_and_scores_nothing_yet(
    world: World, two_criteria: tuple[ScoringCriterion, ...]
) -> None:
    first, _second = two_criteria
    before = _attractiveness(world)
    response = _save_weight(client_for(world.analyst), first, "9")
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.weight == Decimal("9")  # the save itself is committed at once
    job = RescoreJob.objects.get()
    assert (job.status, job.requested_by) == (RescoreJob.Status.QUEUED, world.analyst)
    assert DBTaskResult.objects.filter(task_path__endswith="rescore_job_run").count() == 1
    assert _attractiveness(world) == before  # nothing scored inside the request


def test_saves_before_the_worker_starts_share_the_queued_job(
    world: World, two_criteria: tuple[ScoringCriterion, ...]
) -> None:
    first, _second = two_criteria
    client = client_for(world.analyst)
    _save_weight(client, first, "9")
    _save_weight(client, first, "6")
    assert RescoreJob.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_the_worker_scores_the_latest_refresh_again(
    world: World, two_criteria: tuple[ScoringCriterion, ...]
) -> None:
    first, _second = two_criteria
    _save_weight(client_for(world.analyst), first, "9")
    _worker()
    job = RescoreJob.objects.get()
    assert job.status == RescoreJob.Status.DONE
    # the three accounts of the refresh: scored 5 and 1, weighed 9 and 3: 100 * 9/12 = 75
    assert (job.snapshots_done, job.snapshots_expected) == (3, 3)
    assert job.started_at is not None
    assert job.finished_at is not None
    snapshot = AccountSnapshot.objects.get(account=world.account)
    assert snapshot.attractiveness == pytest.approx(75.0)
    assert snapshot.attractiveness_coverage == pytest.approx(1.0)
    assert AccountSnapshot.objects.get(account=world.other_account).attractiveness is None


def test_a_job_runs_once_and_scoring_again_gives_the_same_figures(
    world: World, two_criteria: tuple[ScoringCriterion, ...]
) -> None:
    first, _second = two_criteria
    _save_weight(client_for(world.analyst), first, "9")
    job = RescoreJob.objects.get()
    assert tasks.rescore_job_run.call(job.pk) == RescoreJob.Status.DONE
    figures = list(AccountSnapshot.objects.order_by("pk").values_list(
        "attractiveness", "attractiveness_coverage", "relative_strength", "portfolio_quadrant"
    ))  # fmt: skip
    finished = RescoreJob.objects.get().finished_at
    # the same job again (enqueued twice, a second worker): claimed already, nothing done
    assert tasks.rescore_job_run.call(job.pk) == RescoreJob.Status.DONE
    assert RescoreJob.objects.get().finished_at == finished
    # another job on the same criteria: the same figures
    again = RescoreJob.objects.create(requested_by=world.analyst)
    assert tasks.rescore_job_run.call(again.pk) == RescoreJob.Status.DONE
    assert list(AccountSnapshot.objects.order_by("pk").values_list(
        "attractiveness", "attractiveness_coverage", "relative_strength", "portfolio_quadrant"
    )) == figures  # fmt: skip


def test_the_progress_is_saved_as_the_batches_are_committed(
    world: World, two_criteria: tuple[ScoringCriterion, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, int]] = []
    monkeypatch.setattr("openkam.portfolio.scoring.RESCORE_BATCH", 2)
    saver = tasks.ProgressSaver(RescoreJob.objects.create(), every=0.0)

    def record(done: int, expected: int) -> None:
        saver(done, expected)
        job = RescoreJob.objects.get()
        seen.append((job.snapshots_done, job.snapshots_expected))

    assert rescore_latest_run(progress=record) == 3
    assert seen == [(0, 3), (2, 3), (3, 3)]


@pytest.mark.parametrize(
    ("language", "shown"),
    [("zh-hans", "重新评分中… 45%"), ("en", "Scoring the latest refresh again… 45%")],
)
def test_the_settings_page_shows_the_progress_and_polls_it(
    world: World, language: str, shown: str
) -> None:
    RescoreJob.objects.create(
        status=RescoreJob.Status.RUNNING, snapshots_done=45_000, snapshots_expected=100_000,
        requested_by=world.analyst,
    )  # fmt: skip
    client = client_for(world.kam)  # every user reads the settings
    client.cookies["django_language"] = language
    for url in (URL, STATUS):
        html = client.get(url).content.decode()
        assert shown in html
        assert f'hx-get="{STATUS}"' in html
        assert 'data-status="running"' in html


def test_a_failed_job_is_shown_with_its_reason_and_no_longer_polled(
    world: World,
    two_criteria: tuple[ScoringCriterion, ...],
    monkeypatch: pytest.MonkeyPatch,
    english: None,
) -> None:
    def broken(**kwargs: Any) -> int:
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(tasks, "rescore_latest_run", broken)
    first, _second = two_criteria
    _save_weight(client_for(world.analyst), first, "9")
    job = RescoreJob.objects.get()
    with pytest.raises(RuntimeError):
        tasks.rescore_job_run.call(job.pk)
    job.refresh_from_db()
    assert job.status == RescoreJob.Status.FAILED
    assert job.message == "unexpected error: disk I/O error"
    html = client_for(world.analyst).get(URL).content.decode()
    assert 'data-testid="rescore-failed"' in html
    assert "disk I/O error" in html
    assert "hx-get" not in html.split('data-testid="rescore"')[1].split(">")[0]


def test_a_refused_save_leaves_no_job_and_scores_nothing(
    world: World, two_criteria: tuple[ScoringCriterion, ...]
) -> None:
    first, _second = two_criteria
    before = _attractiveness(world)
    # a valid weight with an invalid service level: the whole save is refused
    data = form_data(**{f"w-{index_of(first)}-weight": "9", "s-key-every_days": "0"})
    assert client_for(world.analyst).post(URL, data).status_code == 422
    assert client_for(world.viewer).post(URL, form_data()).status_code == 403
    first.refresh_from_db()
    assert first.weight == Decimal("3")
    assert not RescoreJob.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert _attractiveness(world) == before


def test_a_save_that_changes_no_criterion_enqueues_nothing(world: World) -> None:
    response = client_for(world.analyst).post(URL, form_data(key_threshold="30000000"))
    assert response.status_code == 302
    assert not RescoreJob.objects.exists()


def test_a_job_left_running_without_progress_is_failed(world: World, english: None) -> None:
    long_ago = timezone.now() - dt.timedelta(hours=2)
    job = RescoreJob.objects.create(
        status=RescoreJob.Status.RUNNING, started_at=long_ago, progress_at=long_ago
    )
    assert tasks.rescore_jobs_fail_stalled() == 1
    job.refresh_from_db()
    assert job.status == RescoreJob.Status.FAILED
    assert "stopped without finishing" in job.message


def test_the_status_before_any_job_is_not_found(world: World) -> None:
    assert client_for(world.analyst).get(STATUS).status_code == 404


def test_of_two_refreshes_on_one_day_the_later_one_is_scored(
    world: World, two_criteria: tuple[ScoringCriterion, ...]
) -> None:
    """The demo refreshes twice on its last day; the earlier run keeps no snapshot of that day.
    The job scores the refresh every page reads (latest_run), not an empty one of the day."""
    first, _second = two_criteria
    run = AccountSnapshot.objects.get(account=world.account).run
    earlier = add_run(run.as_of)
    PortfolioRun.objects.filter(pk=earlier.pk).update(
        started_at=run.started_at - dt.timedelta(hours=1)
    )
    _save_weight(client_for(world.analyst), first, "9")
    _worker()
    assert RescoreJob.objects.get().snapshots_done == 3
    assert _attractiveness(world) == pytest.approx(75.0)


def test_a_job_no_worker_took_up_is_failed_and_the_next_save_enqueues_anew(
    world: World, two_criteria: tuple[ScoringCriterion, ...], english: None
) -> None:
    first, _second = two_criteria
    client = client_for(world.analyst)
    _save_weight(client, first, "9")
    RescoreJob.objects.update(requested_at=timezone.now() - dt.timedelta(hours=2))
    _save_weight(client, first, "6")
    old, new = RescoreJob.objects.order_by("pk")
    assert old.status == RescoreJob.Status.FAILED
    assert "is `openkam db_worker` running?" in old.message
    assert new.status == RescoreJob.Status.QUEUED
    assert DBTaskResult.objects.count() == 2
