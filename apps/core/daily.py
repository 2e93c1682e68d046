"""Daily jobs: each app's work for one day (warnings, overdue lists, deadlines, snapshots), run once a day by
`manage.py run_daily` (cron, and `make run` at start). An app registers its jobs from its `AppConfig.ready()`:

    from apps.core.daily import register
    register("imports.stale", stale_jobs)  # stale_jobs(on: datetime.date) -> {"failed": 2}

A job does the work of day `on` (never "today": tests and catch-up runs pass the day) and returns a small dict of
what it did. `run(on)` runs every job once for that day: each in its own transaction together with its
`DailyRun` record, so a job that finished is skipped on a second run the same day, and a job that raised leaves
nothing but its failure and runs again on the next call that day.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from apps.core.models import DailyRun

logger = logging.getLogger(__name__)

Job = Callable[[datetime.date], dict | None]

_JOBS: dict[str, Job] = {}

RAN, ALREADY_DONE, FAILED = "ran", "already_done", "failed"


def register(name: str, job: Job) -> None:
    """Add a daily job under `name` ("app.what"); jobs run in the order they were registered (the apps' order)."""
    if name in _JOBS and _JOBS[name] is not job:
        raise ValueError(f"a daily job named {name!r} is already registered")
    _JOBS[name] = job


def unregister(name: str) -> None:
    """Remove a job (tests that register one take it away again)."""
    _JOBS.pop(name, None)


def jobs() -> dict[str, Job]:
    return dict(_JOBS)


@dataclass(frozen=True)
class Outcome:
    """What became of one job on one call: ran now, had already run that day, or failed (with its reason)."""

    job: str
    status: str
    result: dict = field(default_factory=dict)
    failure: str = ""


def run(on: datetime.date) -> list[Outcome]:
    """Run every registered job for day `on` that has not finished for that day yet; one failing job stops none
    of the others."""
    return [_run_one(name, job, on) for name, job in list(_JOBS.items())]


def _run_one(name: str, job: Job, on: datetime.date) -> Outcome:
    with transaction.atomic():
        record, _created = DailyRun.objects.get_or_create(job=name, on=on, defaults={"started_at": timezone.now()})
        # A second `run_daily` started meanwhile waits here (PostgreSQL), then finds the job done.
        record = DailyRun.objects.select_for_update().get(pk=record.pk)
        if record.finished_at is not None:
            return Outcome(name, ALREADY_DONE, record.result)
        record.started_at = timezone.now()
        try:
            with transaction.atomic():  # the job's own writes: undone when it raises, its failure is kept
                result = dict(job(on) or {})
        except Exception as exc:
            logger.exception("daily job %s failed for %s", name, on)
            record.failure = f"{exc.__class__.__name__}: {exc}"
            record.save(update_fields=["started_at", "failure"])
            return Outcome(name, FAILED, failure=record.failure)
        record.result, record.failure, record.finished_at = result, "", timezone.now()
        record.save(update_fields=["started_at", "result", "failure", "finished_at"])
        return Outcome(name, RAN, result)
