"""Imports handed to the background worker (`openkam db_worker`): a page records the run as
queued and enqueues it; the worker runs the same engine as `openkam import`, saving how far it
has got so the run's page can show a progress bar.

Each import runs in a child process of the worker when it can (a file the checks did not
foresee may still exhaust memory or crash a reader): the child dying marks the run failed and
the worker carries on with the next one. A run left running by a worker that died itself is
failed once it has shown no progress for IMPORT_STALLED_MINUTES."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from openkam.imports.models import ImportRun
from openkam.imports.reading import file_sha256
from openkam.imports.services import ImportFailed, import_run
from openkam.team.models import User

PROGRESS_EVERY_SECONDS = 1.0


def import_enqueue(
    *,
    kind: str,
    path: Path,
    user: User | None,
    source: str,
    file_name: str,
    atomic: bool = False,
    encoding: str = "",
    sheet: str = "",
    mapping: dict[str, str] | None = None,
    save_mapping: bool = False,
    preset: str = "",
) -> ImportRun:
    """Record the import of a file saved on the server as queued and hand it to the worker.

    Returns the run as it is after enqueueing: still queued with the database backend, already
    finished with the immediate one."""
    import_runs_fail_stalled()
    run = ImportRun.objects.create(
        kind=kind,
        source=source,
        file_name=file_name[:255],
        user=user,
        atomic=atomic,
        encoding=encoding,
        sheet=sheet,
        mapping=mapping or {},
        preset=preset,
        path=str(path),
        status=ImportRun.Status.QUEUED,
    )
    try:
        import_file.enqueue(
            run.pk, save_mapping=save_mapping, language=translation.get_language() or ""
        )
    except Exception as exc:  # a queue that refuses it: no run left queued for ever
        _record_failure(run, _("the import could not be queued: %(error)s") % {"error": exc})
        raise
    run.refresh_from_db()
    return run


class ProgressSaver:
    """The progress callback of a queued run: one UPDATE of the run's row at most once a second
    (and for the last batch), so following a big file costs nothing next to importing it.

    The import writes its batches inside transactions, so the saved progress is seen by the
    run's page when each group of batches is committed (an all-or-nothing import: at the end)."""

    def __init__(
        self,
        run: ImportRun,
        *,
        every: float = PROGRESS_EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.run = run
        self.every = every
        self.clock = clock
        self.saved_at: float | None = None

    def __call__(self, done: int, expected: int) -> None:
        now = self.clock()
        if done < expected and self.saved_at is not None and now - self.saved_at < self.every:
            return
        self.saved_at = now
        # The run object too: import_run saves it whole when it finishes.
        self.run.rows_done, self.run.rows_expected = done, expected
        self.run.progress_at = timezone.now()
        ImportRun.objects.filter(pk=self.run.pk).update(
            rows_done=done, rows_expected=expected, progress_at=self.run.progress_at
        )


@task()
def import_file(run_id: int, *, save_mapping: bool = False, language: str = "") -> str:
    """Import the file of a queued run; returns the run's final status.

    An import that cannot run is recorded on the run by import_run (status failed, message);
    anything else that stops it (a bug, the worker being stopped, the child process dying) is
    recorded here too, then raised again for the worker's log. The file stays where the page
    saved it."""
    import_runs_fail_stalled()
    # Claimed in one conditional UPDATE: a run taken already (a task enqueued twice, two
    # workers) is never imported twice.
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, progress_at=timezone.now()
    )
    run = ImportRun.objects.get(pk=run_id)
    if not claimed:
        return run.status
    if child_process_possible():
        _import_in_child(run, save_mapping=save_mapping, language=language)
    else:
        _import(run, save_mapping=save_mapping, language=language)
    return run.status


def _import(run: ImportRun, *, save_mapping: bool, language: str) -> None:
    with translation.override(language or None):
        try:
            run.sha256 = file_sha256(Path(run.path)) if Path(run.path).is_file() else ""
            run.save(update_fields=["sha256"])
            import_run(kind=run.kind, path=Path(run.path), user=run.user, source=run.source,
                       file_name=run.file_name, atomic=run.atomic,
                       encoding=run.encoding or None, sheet=run.sheet or None,
                       mapping=run.mapping, save_mapping=save_mapping,
                       progress=ProgressSaver(run), run=run,
                       preset=run.preset or None)  # fmt: skip
        except ImportFailed as exc:
            if exc.run is None:  # refused before the run was touched (an unknown kind)
                _record_failure(run, str(exc))
        except (KeyboardInterrupt, SystemExit):
            _record_failure(run, _("the background worker was stopped during the import; "
                                   "import the file again"))  # fmt: skip
            raise
        except Exception as exc:
            _record_failure(run, _("unexpected error: %(error)s")
                            % {"error": str(exc) or type(exc).__name__})  # fmt: skip
            raise


def child_process_possible() -> bool:
    """Whether a child process would see the run: not through an in-memory SQLite database
    (the tests'), nor while the run is inside a transaction not committed yet."""
    in_memory = getattr(connection, "is_in_memory_db", lambda: False)()
    forking = "fork" in multiprocessing.get_all_start_methods()
    return forking and not in_memory and not connection.in_atomic_block


def _import_in_child(run: ImportRun, *, save_mapping: bool, language: str) -> None:
    """Run the import in a forked child; whatever kills the child (memory exhausted, a reader
    aborting) leaves the worker alive and the run failed with the exit code."""
    connections.close_all()  # the child opens its own: a connection is never shared
    child = multiprocessing.get_context("fork").Process(
        target=_child_import, args=(run.pk,), kwargs={"save_mapping": save_mapping,
                                                        "language": language},
        name=f"import-{run.pk}",
    )  # fmt: skip
    child.start()
    child.join()
    run.refresh_from_db()
    if run.status in ImportRun.ACTIVE:
        _record_failure(run, _("the import stopped abnormally (exit code %(code)s): the file may "
                               "need more memory than the server has; split it and import the "
                               "parts") % {"code": child.exitcode})  # fmt: skip


def _child_import(run_id: int, *, save_mapping: bool, language: str) -> None:
    try:
        _import(ImportRun.objects.get(pk=run_id), save_mapping=save_mapping, language=language)
    finally:
        connections.close_all()


def import_runs_fail_stalled(*, now: dt.datetime | None = None) -> int:
    """Fail the runs left running without progress for IMPORT_STALLED_MINUTES (a worker killed
    outright records nothing); returns how many. Without it they would show as running for
    ever."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.IMPORT_STALLED_MINUTES)
    stalled = ImportRun.objects.filter(status=ImportRun.Status.RUNNING).filter(
        Q(progress_at__lt=cutoff) | Q(progress_at__isnull=True, started_at__lt=cutoff)
    )
    message = _("the import stopped without finishing (its worker was stopped or crashed); "
                "import the file again")  # fmt: skip
    return stalled.update(status=ImportRun.Status.FAILED, message=message, finished_at=now)


def _record_failure(run: ImportRun, reason: str) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.FAILED, message=reason, finished_at=timezone.now()
    )
    run.refresh_from_db()
