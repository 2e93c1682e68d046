"""The workers' heartbeat and the reaper (`apps.core.workers`): a task left running by a dead worker is queued again,
or failed after its last attempt, and never one whose worker still lives."""

import datetime
import io
import os
import subprocess

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.core import daily, workers
from apps.core.models import AuditEvent, WorkerHeartbeat

pytestmark = pytest.mark.django_db


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def running(*worker_ids, started=None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="apps.imports.tasks.run_import",
        backend_name="default",
        worker_ids=list(worker_ids),
        started_at=started or timezone.now(),
    )


def heartbeat(worker_id, *, pid, host=None, ago=0) -> WorkerHeartbeat:
    at = timezone.now() - datetime.timedelta(seconds=ago)
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id, host=host or workers.this_host(), pid=pid, started_at=at, beat_at=at
    )


def status(task) -> str:
    task.refresh_from_db()
    return task.status


class TestTheReaper:
    def test_a_task_whose_worker_process_is_gone_is_queued_again_and_audited(self):
        heartbeat("w1", pid=dead_pid())
        task = running("w1")
        reaped = workers.reap()
        assert reaped.requeued == [str(task.pk)] and status(task) == TaskResultStatus.READY
        assert task.started_at is None and not WorkerHeartbeat.objects.filter(pk="w1").exists()
        event = AuditEvent.objects.get(action="core.tasks_reap")
        assert event.changes == {"requeued": [str(task.pk)], "failed": []}

    def test_a_task_whose_worker_still_runs_is_left_however_old_its_last_beat(self):
        heartbeat("w1", pid=os.getpid(), ago=10 * 86400)  # a long write held the beats up: the process tells
        task = running("w1", started=timezone.now() - datetime.timedelta(days=10))
        assert workers.reap().counts() == {"requeued": 0, "failed": 0}
        assert status(task) == TaskResultStatus.RUNNING and not AuditEvent.objects.filter(action="core.tasks_reap")

    def test_on_another_machine_a_worker_is_dead_once_it_stopped_beating(self, settings):
        settings.TASK_STALE_SECONDS = 60
        heartbeat("far", pid=os.getpid(), host="elsewhere", ago=61)
        heartbeat("near", pid=os.getpid(), host="elsewhere", ago=5)
        stale, fresh = running("far"), running("near")
        assert workers.reap().requeued == [str(stale.pk)]
        assert status(stale) == TaskResultStatus.READY and status(fresh) == TaskResultStatus.RUNNING

    def test_a_task_without_a_heartbeat_is_reaped_only_once_older_than_the_limit(self, settings):
        settings.TASK_STALE_SECONDS = 60
        old = running("plain", started=timezone.now() - datetime.timedelta(seconds=120))
        young = running("plain2")
        assert workers.reap().requeued == [str(old.pk)] and status(young) == TaskResultStatus.RUNNING

    def test_after_its_last_attempt_a_task_is_failed_and_says_why(self, settings):
        settings.TASK_MAX_ATTEMPTS = 2
        pid = dead_pid()
        heartbeat("w2", pid=pid)
        task = running("w1", "w2")
        assert workers.reap().failed == [str(task.pk)]
        task.refresh_from_db()
        assert task.status == TaskResultStatus.FAILED and task.finished_at is not None
        assert task.exception_class_path == workers.LOST and "w1, w2" in task.traceback
        assert task.task_result.errors[0].exception_class_path == workers.LOST  # as the task's result shows it

    def test_finished_and_queued_tasks_are_never_touched(self):
        heartbeat("w1", pid=dead_pid())
        done = running("w1")
        DBTaskResult.objects.filter(pk=done.pk).update(status=TaskResultStatus.SUCCESSFUL)
        assert workers.reap().counts() == {"requeued": 0, "failed": 0}
        assert status(done) == TaskResultStatus.SUCCESSFUL


class TestWhereItRuns:
    def test_it_is_a_daily_job(self):
        heartbeat("w1", pid=dead_pid())
        task = running("w1")
        assert daily.jobs()["core.tasks_reap"] is workers.daily_reap
        outcome = {o.job: o for o in daily.run(timezone.localdate())}["core.tasks_reap"]
        assert outcome.status == daily.RAN and outcome.result == {"requeued": 1, "failed": 0}
        assert status(task) == TaskResultStatus.READY

    def test_the_command_says_what_it_did(self):
        heartbeat("w1", pid=dead_pid())
        running("w1")
        out = io.StringIO()
        call_command("reap_tasks", stdout=out)
        assert "1 được xếp hàng chạy lại, 0 đánh dấu thất bại" in out.getvalue()


class TestTheHeartbeat:
    def test_it_beats_while_it_runs_and_removes_its_row_when_stopped(self):
        beat = workers.Heartbeat("me", every=0.05).start()
        first = WorkerHeartbeat.objects.get(pk="me")
        assert first.pid == os.getpid() and first.host == workers.this_host()
        beat.stop()
        assert not WorkerHeartbeat.objects.filter(pk="me").exists()

    def test_a_task_of_a_beating_worker_is_not_reaped(self):
        beat = workers.Heartbeat("me", every=60).start()
        try:
            task = running("me", started=timezone.now() - datetime.timedelta(days=2))
            assert workers.reap().counts() == {"requeued": 0, "failed": 0} and status(task) == "RUNNING"
        finally:
            beat.stop()
