"""Scoring the latest refresh again in the background worker (`openkam db_worker`): saving the
scorecard criteria records a queued job and enqueues it in the same transaction (a refused save
leaves neither); the worker claims it once, saves how far it has got, and records a failure
with its reason. The settings page follows the job through htmx."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from openkam.governance.models import RescoreJob
from openkam.portfolio.scoring import rescore_latest_run
from openkam.team.models import User

PROGRESS_EVERY_SECONDS = 1.0
# A running job saves progress after each batch (seconds of work): this long without any means
# its worker was killed, which records nothing.
STALLED_AFTER = dt.timedelta(minutes=30)


def rescore_enqueue(*, user: User | None) -> RescoreJob:
    """The job that scores the latest refresh again on the criteria being saved: the queued one
    when there is one (it has not read the criteria yet, so one job serves every save before
    it starts), else a new one handed to the worker. Call it inside the save's transaction."""
    rescore_jobs_fail_stalled()
    waiting = RescoreJob.objects.filter(status=RescoreJob.Status.QUEUED).first()
    if waiting is not None:
        return waiting
    job = RescoreJob.objects.create(requested_by=user)
    rescore_job_run.enqueue(job.pk, language=translation.get_language() or "")
    job.refresh_from_db()  # the immediate backend has run it already
    return job


class ProgressSaver:
    """One UPDATE of the job's row at most once a second, and for the last batch."""

    def __init__(
        self,
        job: RescoreJob,
        *,
        every: float = PROGRESS_EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.job, self.every, self.clock = job, every, clock
        self.saved_at: float | None = None

    def __call__(self, done: int, expected: int) -> None:
        now = self.clock()
        if done < expected and self.saved_at is not None and now - self.saved_at < self.every:
            return
        self.saved_at = now
        RescoreJob.objects.filter(pk=self.job.pk).update(
            snapshots_done=done, snapshots_expected=expected, progress_at=timezone.now()
        )


@task()
def rescore_job_run(job_id: int, *, language: str = "") -> str:
    """Score the latest refresh again for a queued job; returns the job's final status.

    Claimed in one conditional UPDATE, so a job enqueued twice or seen by two workers runs
    once; scoring again is idempotent besides (the same criteria give the same figures). A
    failure is recorded on the job with its reason, then raised again for the worker's log."""
    rescore_jobs_fail_stalled()
    now = timezone.now()
    claimed = RescoreJob.objects.filter(pk=job_id, status=RescoreJob.Status.QUEUED).update(
        status=RescoreJob.Status.RUNNING, started_at=now, progress_at=now
    )
    job = RescoreJob.objects.get(pk=job_id)
    if not claimed:
        return job.status
    with translation.override(language or None):
        try:
            scored = rescore_latest_run(progress=ProgressSaver(job))
        except (KeyboardInterrupt, SystemExit):
            _fail(job, _("the background worker was stopped while scoring; save again"))
            raise
        except Exception as exc:
            _fail(job, _("unexpected error: %(error)s") % {"error": str(exc) or type(exc).__name__})
            raise
    RescoreJob.objects.filter(pk=job.pk).update(
        status=RescoreJob.Status.DONE, snapshots_done=scored, snapshots_expected=scored,
        finished_at=timezone.now(),
    )  # fmt: skip
    return RescoreJob.Status.DONE


def rescore_jobs_fail_stalled(*, now: dt.datetime | None = None) -> int:
    """Fail the jobs left running without progress for STALLED_AFTER (a worker killed outright
    records nothing) and those queued that long; without it they would show for ever."""
    now = now or timezone.now()
    cutoff = now - STALLED_AFTER
    stalled = RescoreJob.objects.filter(status=RescoreJob.Status.RUNNING).filter(
        Q(progress_at__lt=cutoff) | Q(progress_at__isnull=True, started_at__lt=cutoff)
    )
    message = _("the scoring stopped without finishing (its worker was stopped or crashed); "
                "save the criteria again")  # fmt: skip
    failed = stalled.update(status=RescoreJob.Status.FAILED, message=message, finished_at=now)
    # A job no worker took up (none running, or its task lost): failed, so the next save
    # enqueues a new one instead of joining it for ever.
    waiting = RescoreJob.objects.filter(status=RescoreJob.Status.QUEUED, requested_at__lt=cutoff)
    message = _("no background worker took the scoring up (is `openkam db_worker` running?); "
                "save the criteria again")  # fmt: skip
    return failed + waiting.update(status=RescoreJob.Status.FAILED, message=message,
                                   finished_at=now)  # fmt: skip


def _fail(job: RescoreJob, reason: str) -> None:
    RescoreJob.objects.filter(pk=job.pk).update(
        status=RescoreJob.Status.FAILED, message=reason, finished_at=timezone.now()
    )
