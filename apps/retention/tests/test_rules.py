"""The early warning: signals weighed by the province's rules, levels with reasons in words, a new flag only when
something changed (the old one kept as history), the homeroom teacher told only after the write commits, a rule
edit audited and effective at the next recompute, the daily job."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from apps.core import daily
from apps.core.models import AuditEvent
from apps.notifications.models import Notification
from apps.retention.jobs import daily_recompute
from apps.retention.models import RiskFlag
from apps.retention.rules import reason_text
from apps.retention.services import flags_recompute, note_add, rules_update
from apps.students.attendance import absences_record
from apps.students.models import Enrolment

from .conftest import ON


def school_days_before(on, n):
    days, day = [], on
    while len(days) < n:
        if day.weekday() != 6:
            days.append(day)
        day -= datetime.timedelta(days=1)
    return days


def absent(cast, enrolment, days, mark="K"):
    absences_record(
        actor=cast.teacher_a, class_group=enrolment.class_group, marks={(enrolment.pk, d): mark for d in days}
    )


def recompute(enrolment, on=ON):
    return flags_recompute(Enrolment.objects.filter(pk=enrolment.pk), on=on)


def current(enrolment):
    return RiskFlag.objects.filter(enrolment=enrolment, current=True).first()


class TestLevels:
    def test_seven_unexcused_days_and_a_poor_household_make_a_medium_risk_said_in_words(self, cast, plain_pupil):
        plain_pupil.child.poor = True
        plain_pupil.child.save()
        absent(cast, plain_pupil, school_days_before(ON, 7))
        recompute(plain_pupil)
        flag = current(plain_pupil)
        assert (flag.level, flag.score) == ("medium", 4)
        assert flag.reason_texts == ["vắng 7 ngày không phép trong 30 ngày qua", "hộ nghèo"]

    def test_excused_days_and_days_outside_the_window_do_not_count(self, cast, plain_pupil):
        absent(cast, plain_pupil, school_days_before(ON, 6), mark="P")
        absent(cast, plain_pupil, school_days_before(ON - datetime.timedelta(days=31), 6))
        recompute(plain_pupil)
        assert current(plain_pupil) is None  # low, and never flagged: no row

    def test_an_orphan_over_age_with_an_earlier_dropout_is_high(self, cast, plain_pupil):
        child = plain_pupil.child
        child.orphan, child.birth_year = True, child.birth_year - 3
        child.save()
        recompute(plain_pupil)
        flag = current(plain_pupil)
        assert (
            flag.level == "medium"
            and "lớn hơn tuổi đúng lớp 3 tuổi" in flag.reason_texts
            and "mồ côi" in flag.reason_texts
        )
        note_add(actor=cast.teacher_a, enrolment=plain_pupil, text="Bố mẹ đi làm xa", family_difficulty=True, on=ON)
        recompute(plain_pupil)
        flag = current(plain_pupil)
        assert flag.level == "high" and "giáo viên ghi nhận gia đình khó khăn" in flag.reason_texts

    def test_a_flag_changes_only_when_something_changed_and_keeps_its_history(self, cast, plain_pupil):
        plain_pupil.child.orphan = True
        plain_pupil.child.save()
        absent(cast, plain_pupil, school_days_before(ON, 5))
        recompute(plain_pupil)
        recompute(plain_pupil)  # nothing new
        assert RiskFlag.objects.filter(enrolment=plain_pupil).count() == 1
        recompute(plain_pupil, on=ON + datetime.timedelta(days=40))  # the absences left the window
        flags = list(RiskFlag.objects.filter(enrolment=plain_pupil).order_by("pk"))
        assert [(f.level, f.current) for f in flags] == [("high", False), ("low", True)]

    def test_a_figure_alone_changing_updates_the_flag_in_force_which_keeps_its_day(self, cast, plain_pupil):
        plain_pupil.child.orphan = True
        plain_pupil.child.save()
        absent(cast, plain_pupil, [*school_days_before(ON, 5), ON - datetime.timedelta(days=29)])
        recompute(plain_pupil)
        first = current(plain_pupil)
        assert first.reason_texts == ["vắng 6 ngày không phép trong 30 ngày qua", "mồ côi"]
        later = ON + datetime.timedelta(days=1)  # the earliest absence leaves the window: 5 days, the same signals
        assert recompute(plain_pupil, on=later) == {"changed": 1, "high": 0}
        flag = current(plain_pupil)
        assert (flag.pk, flag.level, flag.score, flag.since) == (first.pk, "high", 5, ON)
        assert flag.computed_at >= first.computed_at
        assert flag.reason_texts == ["vắng 5 ngày không phép trong 30 ngày qua", "mồ côi"]
        assert RiskFlag.objects.filter(enrolment=plain_pupil).count() == 1
        # A signal more (the same level, a higher score) is a new flag; the old one is kept as it last stood.
        plain_pupil.child.poor = True
        plain_pupil.child.save()
        recompute(plain_pupil, on=later)
        flags = list(RiskFlag.objects.filter(enrolment=plain_pupil).order_by("pk"))
        assert [(f.level, f.score, f.since, f.current) for f in flags] == [
            ("high", 5, ON, False),
            ("high", 6, later, True),
        ]
        assert flags[0].reason_texts == ["vắng 5 ngày không phép trong 30 ngày qua", "mồ côi"]

    def test_saving_absences_recomputes_the_level(self, cast, plain_pupil):
        plain_pupil.child.orphan = True
        plain_pupil.child.save()
        # The 2025-2026 year is over: its levels stand as of its last day (30/06/2026).
        absent(cast, plain_pupil, school_days_before(datetime.date(2026, 6, 30), 5))
        assert current(plain_pupil).level == "high"

    def test_a_reason_reads_in_english_too(self):
        from django.utils import translation

        with translation.override("en"):
            assert reason_text("absences", [7, 30]) == "absent 7 days without leave in the last 30 days"
            assert reason_text("poor_household", "poor") == "poor household"


class TestNotification:
    def test_the_homeroom_teacher_is_told_only_after_the_write_commits(
        self, cast, plain_pupil, django_capture_on_commit_callbacks
    ):
        plain_pupil.child.orphan = True
        plain_pupil.child.save()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            absent(cast, plain_pupil, school_days_before(datetime.date(2026, 6, 30), 5))
            assert current(plain_pupil).level == "high"
            assert not Notification.objects.filter(kind="retention.high_risk").exists()  # not before the commit
        for callback in callbacks:
            callback()
        note = Notification.objects.get(kind="retention.high_risk")
        assert note.recipient == cast.teacher_a and note.title == "Lớp 1A: 1 học sinh có nguy cơ bỏ học cao"
        assert plain_pupil.child.full_name not in note.title + note.body

    def test_a_write_rolled_back_tells_nobody(self, cast, plain_pupil, django_capture_on_commit_callbacks):
        plain_pupil.child.orphan = True
        plain_pupil.child.save()
        with django_capture_on_commit_callbacks(execute=True):
            try:
                with transaction.atomic():
                    absent(cast, plain_pupil, school_days_before(datetime.date(2026, 6, 30), 5))
                    raise RuntimeError("rolled back")
            except RuntimeError:
                pass
        assert not Notification.objects.filter(kind="retention.high_risk").exists()
        assert current(plain_pupil) is None


class TestRules:
    def test_a_rule_edit_is_audited_and_changes_levels_at_the_next_recompute(self, cast, plain_pupil):
        plain_pupil.child.poor = True
        plain_pupil.child.save()
        recompute(plain_pupil)
        assert current(plain_pupil) is None  # poor household alone weighs 1
        rules_update(
            actor=cast.province_officer,
            province=cast.province,
            weights={"poor_household": 5},
            absence_days=5,
            absence_window=30,
            over_age_years=2,
            medium=3,
            high=5,
            mentor_limit=2,
        )
        event = AuditEvent.objects.get(action="retention.rules_update")
        assert event.actor == cast.province_officer and event.changes["weights"][1]["poor_household"] == 5
        assert current(plain_pupil) is None  # not yet: at the next recompute
        recompute(plain_pupil)
        assert current(plain_pupil).level == "high" and current(plain_pupil).reason_texts == ["hộ nghèo"]

    def test_only_the_province_s_officers_edit_its_rules(self, cast):
        for user in (cast.commune_officer, cast.principal_a, cast.teacher_a):
            with pytest.raises((Http404, PermissionDenied)):
                rules_update(actor=user, province=cast.province, weights={"poor_household": 5})


class TestDaily:
    def test_the_daily_job_recomputes_every_ongoing_student_of_the_years_under_way(self, cast, plain_pupil):
        plain_pupil.child.orphan = True
        plain_pupil.child.save()
        absent(cast, plain_pupil, school_days_before(ON, 5))
        RiskFlag.objects.all().delete()
        assert "retention.recompute" in daily.jobs()
        result = daily_recompute(ON)
        assert result["changed"] >= 1 and current(plain_pupil).level == "high"
        daily_recompute(ON + datetime.timedelta(days=35))
        assert current(plain_pupil).level == "low"  # the absences left the window; the orphan alone weighs 2
