"""The imports app's daily job "imports.stale": jobs whose worker died are marked failed after a day."""

import datetime

import pytest
import time_machine

from apps.core import daily
from apps.core.models import AuditEvent
from apps.imports import services
from apps.imports.models import ImportJob
from apps.schools.models import SchoolYear

S = ImportJob.Status
ON = datetime.date(2025, 3, 11)
HANOI = datetime.timezone(datetime.timedelta(hours=7))


def at(day: int, hour: int = 12):
    """Travel to 2025-03-<day> at <hour>:00 Vietnam time."""
    return time_machine.travel(datetime.datetime(2025, 3, day, hour, tzinfo=HANOI), tick=False)


@pytest.fixture
def job_of(cast):
    year = SchoolYear.objects.get(province=cast.province, start_year=2025)

    def make(day: int, hour: int = 12, **fields):
        with at(day, hour):
            return ImportJob.objects.create(
                kind="students.roster",
                org_unit=cast.school_a.managed_by,
                target_id=cast.school_a.pk,
                params={"year": year.pk, "checked_as": cast.principal_a.pk},
                filename=f"ds-{day}-{hour}.xlsx",
                created_by=cast.principal_a,
                **fields,
            )

    return make


def stale_jobs(on):
    return daily.jobs()["imports.stale"](on)


def status(job) -> str:
    job.refresh_from_db()
    return job.status


class TestStaleJobs:
    def test_an_old_checking_job_is_marked_failed_and_a_fresh_one_left_alone(self, job_of):
        old, fresh = job_of(9, 23), job_of(10, 1)
        assert stale_jobs(ON) == {"failed": 1}
        assert (status(old), status(fresh)) == (S.FAILED, S.CHECKING)
        assert old.failure == "Quá thời gian xử lý; hãy tải lên lại." and old.may_discard
        assert old.summary["errors"] == ["Quá thời gian xử lý; hãy tải lên lại."]
        from apps.notifications.models import Notification

        told = Notification.objects.get(kind="imports.failed")  # the uploader of the one swept, no one else
        assert told.recipient_id == old.created_by_id and told.url == f"/imports/{old.pk}/"

    def test_it_counts_from_the_day_it_is_given(self, job_of):
        job = job_of(9, 23)
        assert stale_jobs(ON - datetime.timedelta(days=1)) == {"failed": 0}
        assert status(job) == S.CHECKING

    def test_a_write_confirmed_long_ago_is_marked_failed_and_one_confirmed_yesterday_is_not(self, cast, job_of):
        def confirmed_on(day):  # uploaded on the 1st, confirmed on `day`
            at_noon = datetime.datetime(2025, 3, day, 12, tzinfo=HANOI)
            return job_of(1, status=S.IMPORTING, confirmed_by=cast.principal_a, confirmed_at=at_noon)

        long_ago, yesterday = confirmed_on(9), confirmed_on(10)
        assert stale_jobs(ON) == {"failed": 1}
        assert (status(long_ago), status(yesterday)) == (S.FAILED, S.IMPORTING)

    def test_an_old_upload_checked_again_yesterday_is_left_alone(self, cast, job_of):
        job = job_of(1, status=S.CHECKED, summary={"header": ["Họ và tên"], "header_row": 1, "rows": 3})
        with at(10, 22):
            services.import_revise(actor=cast.principal_a, job=job, mapping={}, decisions={})
        assert status(job) == S.CHECKING
        assert stale_jobs(ON) == {"failed": 0} and status(job) == S.CHECKING
        assert stale_jobs(ON + datetime.timedelta(days=1)) == {"failed": 1} and status(job) == S.FAILED

    def test_jobs_that_finished_are_not_touched(self, job_of):
        finished = [job_of(1, status=s) for s in (S.CHECKED, S.DONE, S.FAILED, S.DISCARDED)]
        assert stale_jobs(ON) == {"failed": 0}
        assert [status(job) for job in finished] == [S.CHECKED, S.DONE, S.FAILED, S.DISCARDED]

    def test_one_system_event_is_audited_when_it_marks_jobs_and_none_when_it_does_not(self, cast, job_of):
        jobs = [job_of(1), job_of(2)]
        stale_jobs(ON)
        event = AuditEvent.objects.get(action="imports.fail_stale")
        assert event.actor is None and event.kind == AuditEvent.Kind.BULK
        assert event.changes == {"jobs": [job.pk for job in jobs], "on": "2025-03-11"}
        assert event.org_unit == cast.school_a.managed_by
        stale_jobs(ON + datetime.timedelta(days=1))
        assert AuditEvent.objects.filter(action="imports.fail_stale").count() == 1

    def test_run_daily_runs_it_once_a_day(self, job_of):
        job_of(1)
        outcomes = {outcome.job: outcome for outcome in daily.run(ON)}
        assert (outcomes["imports.stale"].status, outcomes["imports.stale"].result) == (daily.RAN, {"failed": 1})
        job_of(1)  # appears after today's sweep: tomorrow's
        assert {o.job: o.status for o in daily.run(ON)}["imports.stale"] == daily.ALREADY_DONE
        assert ImportJob.objects.filter(status=S.CHECKING).count() == 1
