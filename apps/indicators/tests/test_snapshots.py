import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from apps.core.models import AuditEvent
from apps.indicators import snapshots
from apps.indicators.models import Snapshot, SnapshotAmendment, SnapshotRow
from apps.indicators.registry import Query, Target, get
from apps.indicators.selectors import headcounts
from apps.students import services as students

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def tp(cast):
    from apps.indicators.tests.province import build

    return build(cast.admin)


def timezone_local(at) -> str:
    from django.utils import timezone

    return timezone.localtime(at).strftime("%d/%m/%Y %H:%M")


def official_retention(tp, target):
    return get("retention").compute(Query(targets=(target,), year=tp.year, on=D(2026, 7, 1)))[target.key][""]


class TestTheSnapshot:
    def test_it_freezes_each_enrolment_as_it_stood_on_the_count_day(self, tp, cast):
        snapshot = snapshots.snapshot_take(actor=cast.admin, year=tp.year, on=D(2025, 9, 22))
        rows = {r.enrolment.child.full_name: r for r in SnapshotRow.objects.filter(snapshot=snapshot, school=tp.a)}
        assert rows["c2"].status == "enrolled"  # transferred out on 10/10: after the count day
        assert {r.enrolment.child.full_name for r in SnapshotRow.objects.filter(snapshot=snapshot, school=tp.b)} == {
            "c5"
        }  # c2 arrived at B after the count day
        c9 = SnapshotRow.objects.get(snapshot=snapshot, enrolment__child=tp.children["c9"])
        assert c9.status == "dropped_out"
        assert AuditEvent.objects.filter(action="indicators.snapshot_take").exists()

    def test_it_stays_frozen_after_edits(self, tp, cast):
        snapshots.snapshot_take(actor=cast.admin, year=tp.year, on=D(2025, 9, 22))
        before = headcounts([Target(school=tp.a)], year=tp.year)[f"s{tp.a.pk}"]
        enrolment = tp.a.enrolments.get(child=tp.children["c1"])
        students.enrolment_record_event(
            actor=cast.admin, enrolment=enrolment, kind="dropped_out", on=D(2025, 9, 20), reason="economic"
        )  # recorded late, dated before the count day
        after = headcounts([Target(school=tp.a)], year=tp.year)[f"s{tp.a.pk}"]
        assert before["official"] == after["official"] == 3
        assert after["live"] == 2 and after["difference"] == -1

    def test_a_second_snapshot_of_the_year_is_refused_with_a_clear_message(self, tp, cast):
        snapshots.snapshot_take(actor=cast.admin, year=tp.year, on=D(2025, 9, 22))
        with pytest.raises(ValidationError) as exc:
            snapshots.snapshot_take(actor=cast.admin, year=tp.year, on=D(2025, 9, 23))
        assert "chỉ chốt một lần" in " ".join(exc.value.messages)
        assert Snapshot.objects.filter(year=tp.year).count() == 1

    def test_it_is_refused_before_the_count_day(self, tp, cast):
        with pytest.raises(ValidationError):
            snapshots.snapshot_take(actor=cast.admin, year=tp.year, on=D(2025, 9, 21))

    def test_a_commune_officer_may_not_take_it(self, cast):
        from apps.schools.models import SchoolYear

        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        with pytest.raises((PermissionDenied, Http404)):
            snapshots.snapshot_take(actor=cast.commune_officer, year=year, on=D(2025, 9, 22))

    def test_the_daily_job_takes_it_on_the_count_day_once(self, tp):
        import time_machine
        from django.utils import timezone

        # Run on the day it is run for (a run for a past day is a catch-up: see the tests of a missed day).
        with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 9, 21, 6)), tick=False):
            assert snapshots.daily_snapshot(D(2025, 9, 21)) == {"snapshots": 0}
        with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 9, 22, 6)), tick=False):
            assert snapshots.daily_snapshot(D(2025, 9, 22))["snapshots"] >= 1
            assert Snapshot.objects.filter(year=tp.year, taken_by=None).exists()
            assert snapshots.daily_snapshot(D(2025, 9, 22)) == {"snapshots": 0}
        with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 9, 23, 6)), tick=False):
            assert snapshots.daily_snapshot(D(2025, 9, 23)) == {"snapshots": 0}  # never a second

    @pytest.mark.parametrize("run_for", [D(2025, 9, 24), D(2025, 9, 22)], ids=["next-run", "catch-up-run"])
    def test_a_missed_count_day_is_taken_late_as_it_stood_on_the_count_day(self, tp, cast, run_for):
        """The machine was down on 22/9: the run of 24/9 (for that day, or a catch-up for the 22nd) takes it,
        leaving out an event recorded on 23/9 even though it is dated before the count day."""
        import time_machine
        from django.utils import timezone

        from apps.students.models import EnrolmentEvent

        # Every event of the test province as recorded on its own date (the fixture wrote them today).
        for event in EnrolmentEvent.objects.filter(enrolment__year__in=(tp.year, tp.last)):
            EnrolmentEvent.objects.filter(pk=event.pk).update(
                recorded_at=timezone.make_aware(datetime.datetime.combine(event.on, datetime.time(10)))
            )
        c1 = tp.a.enrolments.get(child=tp.children["c1"])
        c10 = tp.a.enrolments.get(child=tp.children["c10"])
        with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 9, 22, 23, 30)), tick=False):
            students.enrolment_record_event(  # recorded on the count day itself: counts
                actor=cast.admin, enrolment=c10, kind="dropped_out", on=D(2025, 9, 22), reason="economic"
            )
        with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 9, 23, 9)), tick=False):
            students.enrolment_record_event(  # recorded the day after, dated before: stays out
                actor=cast.admin, enrolment=c1, kind="dropped_out", on=D(2025, 9, 20), reason="economic"
            )
        with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 9, 24, 6)), tick=False):
            result = snapshots.daily_snapshot(run_for)
        assert result["snapshots"] >= 1
        snapshot = Snapshot.objects.get(year=tp.year)
        assert snapshot.late and snapshot.recorded_until == timezone.make_aware(datetime.datetime(2025, 9, 23))
        assert SnapshotRow.objects.get(snapshot=snapshot, enrolment=c1).status == "enrolled"
        assert SnapshotRow.objects.get(snapshot=snapshot, enrolment=c10).status == "dropped_out"
        assert headcounts([Target(school=tp.a)], year=tp.year)[f"s{tp.a.pk}"]["official"] == 2  # c1, c2
        event = AuditEvent.objects.filter(action="indicators.snapshot_take").latest("pk")
        assert event.changes["late"] is True

    def test_a_year_with_nothing_recorded_by_its_count_day_is_not_taken_late(self, tp):
        """Declared, or the system set up, after the count day: an empty official count is never frozen for good;
        the province officer takes it by hand once the rosters are in."""
        import time_machine
        from django.utils import timezone

        with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 9, 24, 6)), tick=False):
            assert snapshots.daily_snapshot(D(2025, 9, 24)) == {"snapshots": 0}  # tp's events: recorded today
        assert not Snapshot.objects.filter(year=tp.year).exists()

    def test_a_year_not_due_when_the_job_ran_on_its_count_day_is_not_caught_up(self, tp):
        import time_machine
        from django.utils import timezone

        from apps.core.models import DailyRun
        from apps.students.models import EnrolmentEvent

        EnrolmentEvent.objects.filter(enrolment__year=tp.year).update(
            recorded_at=timezone.make_aware(datetime.datetime(2025, 9, 5, 10))
        )
        at = timezone.make_aware(datetime.datetime(2025, 9, 22, 6))
        DailyRun.objects.create(job=snapshots.DAILY_JOB, on=D(2025, 9, 22), started_at=at, finished_at=at)
        with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 9, 24, 6)), tick=False):
            assert snapshots.daily_snapshot(D(2025, 9, 24)) == {"snapshots": 0}
        DailyRun.objects.all().delete()  # the machine was down on the 22nd after all
        with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 9, 24, 6)), tick=False):
            assert snapshots.daily_snapshot(D(2025, 9, 24)) == {"snapshots": 1}

    def test_a_snapshot_on_the_count_day_counts_what_was_recorded_before_it(self, tp):
        import time_machine
        from django.utils import timezone

        with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 9, 22, 6)), tick=False):
            snapshots.daily_snapshot(D(2025, 9, 22))
        snapshot = Snapshot.objects.get(year=tp.year)
        assert not snapshot.late and snapshot.recorded_until == snapshot.taken_at

    def test_the_late_snapshot_is_shown_as_late_with_its_time(self, tp, cast, client_for):
        snapshots.snapshot_take(actor=cast.admin, year=tp.year, on=D(2025, 9, 25))
        snapshot = Snapshot.objects.get(year=tp.year)
        assert snapshot.late
        at = timezone_local(snapshot.taken_at)
        for url in ("/indicators/snapshots/", f"/indicators/snapshots/{tp.year.pk}/schools/{tp.a.pk}/"):
            text = client_for(cast.admin).get(url).content.decode()
            assert "Chốt muộn" in text and at in text and "ghi đến hết ngày 22/09/2025" in text, url
        api = client_for(cast.admin).get("/api/v1/indicators/snapshots").json()
        assert next(s for s in api if s["province"] == tp.province.name)["late"] is True


class TestAmendments:
    def test_an_amendment_changes_the_official_figure_and_is_audited(self, tp, cast):
        snapshots.snapshot_take(actor=cast.admin, year=tp.year, on=D(2025, 9, 22))
        target = Target(school=tp.a)
        assert (official_retention(tp, target).numerator, official_retention(tp, target).denominator) == (2, 2)
        row = SnapshotRow.objects.get(snapshot__year=tp.year, enrolment__child=tp.children["c10"])
        snapshots.snapshot_amend(
            actor=cast.admin, row=row, field="status", new="dropped_out", reason="Sai sót khi nhập"
        )
        assert headcounts([target], year=tp.year)[target.key]["official"] == 2
        assert official_retention(tp, target).denominator == 1  # 2 official − 1 transfer out
        amendment = SnapshotAmendment.objects.get(row=row)
        assert (amendment.field, amendment.old, amendment.new, amendment.actor) == (
            "status",
            "enrolled",
            "dropped_out",
            cast.admin,
        )
        event = AuditEvent.objects.get(action="indicators.snapshot_amend")
        assert event.changes["status"] == ["enrolled", "dropped_out"] and event.changes["reason"] == "Sai sót khi nhập"

    def test_an_amendment_needs_a_reason(self, tp, cast):
        snapshots.snapshot_take(actor=cast.admin, year=tp.year, on=D(2025, 9, 22))
        row = SnapshotRow.objects.filter(snapshot__year=tp.year).first()
        with pytest.raises(ValidationError):
            snapshots.snapshot_amend(actor=cast.admin, row=row, field="grade", new="2", reason=" ")

    def test_only_the_managing_unit_amends(self, cast):
        from apps.schools.models import SchoolYear

        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        snapshot = snapshots.snapshot_take(actor=cast.province_officer, year=year, on=D(2025, 9, 22))
        row = SnapshotRow.objects.filter(snapshot=snapshot, school=cast.school_a).first()
        with pytest.raises(PermissionDenied):
            snapshots.snapshot_amend(actor=cast.province_officer, row=row, field="grade", new="2", reason="x")
        with pytest.raises(PermissionDenied):
            snapshots.snapshot_amend(actor=cast.principal_a, row=row, field="grade", new="2", reason="x")
        with pytest.raises(Http404):
            snapshots.snapshot_amend(actor=cast.other_commune_officer, row=row, field="grade", new="2", reason="x")
        snapshots.snapshot_amend(actor=cast.commune_officer, row=row, field="grade", new="2", reason="Sai khối")
        row.refresh_from_db()
        assert row.grade == "2"
