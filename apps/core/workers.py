"""The background workers' heartbeat and the reaper of the tasks a dead worker left running.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: a worker killed (SIGKILL,
out of memory, a restart of the machine) leaves its task running for ever, and nobody is told. So the worker
(`manage.py worker`, which `make run` starts) beats: a thread writes `WorkerHeartbeat.beat_at` every
`TASK_HEARTBEAT_SECONDS`. The reaper (`reap`, `manage.py reap_tasks`, the daily job "core.tasks_reap", and every
worker at its start) finds the running tasks whose worker is dead — on this machine, its process is gone; on
another, it has not beaten for `TASK_STALE_SECONDS` — and queues them again, or marks them failed once they have
been tried `TASK_MAX_ATTEMPTS` times. The tasks themselves must bear a second run (the import tasks do: they act
only on a job still checking or importing, and write in one transaction).
"""

import logging
import os
import socket
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

LOST = "apps.core.workers.WorkerLost"  # the exception class path a reaped task fails with


def _setting(name: str, default: float) -> float:
    """A setting of the workers: from settings when set there, else the environment, else the default."""
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name) or default
    return float(value)


def heartbeat_seconds() -> float:
    return _setting("TASK_HEARTBEAT_SECONDS", 15)


def stale_seconds() -> float:
    return _setting("TASK_STALE_SECONDS", 600)


def max_attempts() -> int:
    return int(_setting("TASK_MAX_ATTEMPTS", 3))


def this_host() -> str:
    return socket.gethostname()[:255]


def alive(pid: int) -> bool:
    """Whether a process of this machine still runs (one of another user answers PermissionError: alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def beat(worker_id: str) -> None:
    """Say that this process, worker `worker_id`, is alive now."""
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now, host=this_host(), pid=os.getpid())
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, host=this_host(), pid=os.getpid(), started_at=now, beat_at=now
        )


class Heartbeat:
    """A daemon thread beating for `worker_id` until `stop()`. A beat that fails (SQLite busy under a long write
    of the task itself) is tried again at the next one: the stale limit is many beats long."""

    def __init__(self, worker_id: str, every: float | None = None):
        self.worker_id = worker_id
        self.every = heartbeat_seconds() if every is None else every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{worker_id}", daemon=True)

    def start(self) -> "Heartbeat":
        beat(self.worker_id)  # before the first task is claimed, from the caller's thread
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    close_old_connections()
                    beat(self.worker_id)
                except DatabaseError:
                    logger.warning("worker %s: heartbeat not written, trying again", self.worker_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        """Stop beating and remove the row: a worker that stops in its own time leaves no task running."""
        self._stop.set()
        self._thread.join(timeout=self.every + 10)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except DatabaseError:
            logger.warning("worker %s: heartbeat row not removed", self.worker_id, exc_info=True)


@dataclass
class Reaped:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def counts(self) -> dict:
        return {"requeued": len(self.requeued), "failed": len(self.failed)}


def _dead(task: DBTaskResult, beats: dict[str, WorkerHeartbeat], now, host: str) -> bool:
    worker = task.worker_ids[-1] if task.worker_ids else ""
    heartbeat = beats.get(worker)
    limit = now - timezone.timedelta(seconds=stale_seconds())
    if heartbeat is None:  # stopped without a heartbeat (or run by a plain `db_worker`): only its age tells
        return task.started_at is None or task.started_at < limit
    if heartbeat.host == host:  # on this machine the process itself tells, however long a beat was held up
        return not alive(heartbeat.pid)
    return heartbeat.beat_at < limit


def reap() -> Reaped:
    """Queue again (or fail, after `TASK_MAX_ATTEMPTS` claims) every running task whose worker is dead, and forget
    the heartbeats of dead workers. Returns the ids of the tasks requeued and failed; one audit event for them."""
    from apps.core.audit import audit_record
    from apps.core.models import AuditEvent

    now, host, reaped = timezone.now(), this_host(), Reaped()
    with transaction.atomic():
        running = list(DBTaskResult.objects.running().select_for_update(skip_locked=True).order_by("started_at"))
        workers = {task.worker_ids[-1] for task in running if task.worker_ids}
        beats = {b.worker_id: b for b in WorkerHeartbeat.objects.filter(worker_id__in=workers)}
        for task in running:
            if not _dead(task, beats, now, host):
                continue
            same = DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at)
            if len(task.worker_ids) < max_attempts():
                if same.update(status=TaskResultStatus.READY, started_at=None):
                    reaped.requeued.append(str(task.pk))
            elif same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=LOST,
                traceback=(
                    f"{LOST}: the worker running this task stopped before it finished "
                    f"({len(task.worker_ids)} attempts: {', '.join(task.worker_ids)})."
                ),
            ):
                reaped.failed.append(str(task.pk))
            logger.warning("task %s (%s) was left running by a dead worker: %s", task.pk, task.task_path, reaped)
        limit = now - timezone.timedelta(seconds=stale_seconds())
        gone = [
            b.pk
            for b in WorkerHeartbeat.objects.all()
            if (b.host == host and not alive(b.pid)) or (b.host != host and b.beat_at < limit)
        ]
        WorkerHeartbeat.objects.filter(pk__in=gone).delete()
        if reaped.requeued or reaped.failed:
            audit_record(
                actor=None,
                action="core.tasks_reap",
                kind=AuditEvent.Kind.BULK,
                object_type=DBTaskResult._meta.label_lower,
                changes={"requeued": reaped.requeued, "failed": reaped.failed},
            )
    return reaped


def daily_reap(on) -> dict:
    """The daily job "core.tasks_reap": whatever the day, the tasks left running now."""
    return reap().counts()
