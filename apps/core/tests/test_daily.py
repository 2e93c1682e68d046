"""Daily jobs (`apps.core.daily`, `manage.py run_daily`): once per job and day, a failure stops no other job."""

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from apps.core import daily
from apps.core.audit import audit_record, register_actions, unregister_actions
from apps.core.models import AuditEvent, DailyRun

DAY = datetime.date(2025, 3, 11)


@pytest.fixture(autouse=True)
def declared_actions():
    """The jobs below record audit actions of their own, declared for these tests only."""
    register_actions("tests", {"tests.daily_note": "Ghi chú hằng ngày", "tests.daily_broken": "Việc hỏng"})
    yield
    unregister_actions("tests")


@pytest.fixture
def register():
    """register(name, job) for one test: the registry is left as the apps made it."""
    before = daily.jobs()
    added = []

    def add(name, job):
        daily.register(name, job)
        added.append(name)

    yield add
    for name in added:
        daily.unregister(name)
    assert daily.jobs() == before


def noting(days: list, action: str = "tests.daily_note"):
    """A job that appends one audit event per run (its effect in the database) and remembers the days it ran."""

    def job(on):
        days.append(on)
        audit_record(actor=None, action=action, kind=AuditEvent.Kind.BULK, changes={"on": on.isoformat()})
        return {"noted": 1}

    return job


def broken(days: list):
    def job(on):
        days.append(on)
        audit_record(actor=None, action="tests.daily_broken", kind=AuditEvent.Kind.BULK)
        raise RuntimeError("thiếu dữ liệu")

    return job


def run_daily(*args) -> str:
    out = io.StringIO()
    call_command("run_daily", *args, stdout=out)
    return out.getvalue()


class TestRun:
    def test_a_second_run_the_same_day_changes_nothing(self, db, register):
        days = []
        register("tests.note", noting(days))
        first = daily.run(DAY)
        rows, notes = DailyRun.objects.count(), AuditEvent.objects.filter(action="tests.daily_note").count()
        second = daily.run(DAY)
        assert (DailyRun.objects.count(), AuditEvent.objects.filter(action="tests.daily_note").count()) == (rows, notes)
        assert days == [DAY] and notes == 1
        by_job = {outcome.job: outcome for outcome in first}, {outcome.job: outcome for outcome in second}
        assert (by_job[0]["tests.note"].status, by_job[1]["tests.note"].status) == (daily.RAN, daily.ALREADY_DONE)
        assert DailyRun.objects.get(job="tests.note", on=DAY).result == {"noted": 1}

    def test_the_next_day_runs_again(self, db, register):
        days = []
        register("tests.note", noting(days))
        daily.run(DAY)
        daily.run(DAY + datetime.timedelta(days=1))
        assert days == [DAY, DAY + datetime.timedelta(days=1)]
        assert DailyRun.objects.filter(job="tests.note").count() == 2

    def test_a_failing_job_is_recorded_with_its_reason_and_the_next_still_runs(self, db, register):
        failed, noted = [], []
        register("tests.broken", broken(failed))
        register("tests.note", noting(noted))
        outcomes = {outcome.job: outcome for outcome in daily.run(DAY)}
        assert outcomes["tests.broken"].status == daily.FAILED and noted == [DAY]
        run = DailyRun.objects.get(job="tests.broken", on=DAY)
        assert run.failure == "RuntimeError: thiếu dữ liệu" and run.finished_at is None
        assert not AuditEvent.objects.filter(action="tests.daily_broken").exists()  # its writes were undone

    def test_a_failed_job_runs_again_on_the_next_call_that_day(self, db, register):
        failed, noted = [], []
        register("tests.broken", broken(failed))
        register("tests.note", noting(noted))
        daily.run(DAY)
        daily.run(DAY)
        assert failed == [DAY, DAY] and noted == [DAY]
        assert DailyRun.objects.filter(job="tests.broken", on=DAY).count() == 1

    def test_a_name_taken_by_another_job_is_refused(self, db, register):
        register("tests.note", noting([]))
        with pytest.raises(ValueError, match="already registered"):
            daily.register("tests.note", noting([]))


class TestRunDailyCommand:
    def test_on_is_the_day_the_jobs_run_for(self, db, register):
        days = []
        register("tests.note", noting(days))
        out = run_daily("--on", "2025-03-11")
        assert days == [DAY] and DailyRun.objects.filter(job="tests.note", on=DAY).exists()
        assert "tests.note: đã chạy cho ngày 11/03/2025 (noted=1)." in out
        assert "tests.note: đã chạy xong cho ngày 11/03/2025 từ trước, bỏ qua." in run_daily("--on", "2025-03-11")

    def test_by_default_it_runs_for_today_in_vietnam(self, db, register):
        days = []
        register("tests.note", noting(days))
        with time_machine.travel(datetime.datetime(2025, 3, 10, 18, 30, tzinfo=datetime.UTC), tick=False):
            run_daily()  # 01:30 on 11 March in Hà Nội, still the 10th in UTC
        assert days == [DAY]

    def test_it_exits_with_1_and_names_the_failure_when_a_job_fails(self, db, register):
        register("tests.broken", broken([]))
        register("tests.note", noting([]))
        out = io.StringIO()
        # manage.py exits with a CommandError's returncode (run_from_argv, which also closes the test's connection)
        with pytest.raises(CommandError, match="1 việc hằng ngày bị lỗi") as error:
            call_command("run_daily", "--on", "2025-03-11", stdout=out)
        assert error.value.returncode == 1
        assert "tests.broken: lỗi khi chạy cho ngày 11/03/2025: RuntimeError: thiếu dữ liệu" in out.getvalue()
        assert "tests.note: đã chạy cho ngày 11/03/2025" in out.getvalue()

    def test_it_exits_normally_when_every_job_ran(self, db, register):
        register("tests.note", noting([]))
        assert "tests.note: đã chạy" in run_daily("--on", "2025-03-11")  # no CommandError: exit code 0


def test_a_day_to_come_is_refused_and_marked_nothing(db):
    from apps.core.models import DailyRun

    with time_machine.travel(datetime.datetime(2026, 3, 10, 3, 0, tzinfo=datetime.UTC), tick=False):
        with pytest.raises(CommandError, match="chưa tới"):
            call_command("run_daily", "--on", "2026-03-12", stdout=io.StringIO())
    assert not DailyRun.objects.filter(on=datetime.date(2026, 3, 12)).exists()
