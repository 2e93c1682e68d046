"""The targets' writes: publishing, the annex's workflow and who may do each step; audited and notified."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from apps.core.models import AuditEvent
from apps.notifications.models import Notification
from apps.schools.models import School
from apps.targets import catalogue, jobs, publications, selectors, services
from apps.targets.models import Annex, Publication, Target
from apps.targets.tests.conftest import ROWS, days

pytestmark = pytest.mark.django_db


def _values(annex, **changes):
    out = {}
    for line in annex.lines.all():
        out[line.pk] = {
            "value": str(line.value),
            "census_count": line.census_count,
            "mobilised_count": line.mobilised_count,
            "justification": "",
        }
        out[line.pk].update(changes.get(line.indicator, {}))
    return out


class TestPublish:
    def test_a_commune_publishes_and_its_schools_take_its_defaults_the_others_the_provinces(
        self, cast, open_year, commune_published
    ):
        province = services.publication_publish(
            actor=cast.province_officer,
            org_unit=cast.province,
            year=open_year,
            deadline=min(days(20), open_year.ends_on),
            rows=ROWS,
        )
        nearest = publications.nearest(
            School.objects.filter(pk__in=[cast.school_a.pk, cast.school_b.pk, cast.school_upper.pk]).select_related(
                "managed_by"
            ),
            open_year,
        )
        assert nearest[cast.school_a.pk] == commune_published  # Trà Nam: managed by Xã Trà Linh
        assert nearest[cast.school_b.pk] == province  # Phù Đổng: Hải Châu published nothing
        assert nearest[cast.school_upper.pk] == province  # upper secondary: managed by the province

    def test_publishing_is_audited_and_tells_the_principals_it_reaches(self, cast, commune_published):
        event = AuditEvent.objects.filter(action="targets.publish", object_id=str(commune_published.pk)).get()
        assert event.actor == cast.commune_officer and event.org_unit_id == cast.commune_a.pk
        assert Notification.objects.filter(recipient=cast.principal_a, kind="targets.published").exists()
        assert set(Target.objects.filter(publication=commune_published).values_list("indicator", "level")) == {
            (i, lv) for i, lv, _c, _v in ROWS
        }

    def test_a_hamlet_publishes_nothing(self, cast, open_year):
        from apps.orgunits.models import OrgUnit

        hamlet = OrgUnit.objects.current().filter(parent=cast.commune_a).first()
        with pytest.raises(PermissionDenied):  # its officers are the commune's: not the hamlet's own
            services.publication_publish(
                actor=cast.commune_officer, org_unit=hamlet, year=open_year, deadline=days(5), rows=ROWS
            )
        with pytest.raises(ValidationError):
            services.publication_publish(actor=cast.admin, org_unit=hamlet, year=open_year, deadline=days(5), rows=ROWS)

    def test_publishing_again_replaces_the_defaults(self, cast, open_year, commune_published):
        services.publication_publish(
            actor=cast.commune_officer,
            org_unit=cast.commune_a,
            year=open_year,
            deadline=commune_published.deadline,
            rows=[("health_insurance", 0, ">=", Decimal("92"))],
        )
        assert list(Target.objects.filter(publication=commune_published).values_list("indicator", "value")) == [
            ("health_insurance", Decimal("92.000"))
        ]

    def test_a_province_officer_does_not_publish_for_a_commune_nor_a_commune_for_the_province(self, cast, open_year):
        with pytest.raises(PermissionDenied):
            services.publication_publish(
                actor=cast.province_officer, org_unit=cast.commune_a, year=open_year, deadline=days(5), rows=ROWS
            )
        with pytest.raises(Http404):  # a commune officer does not even see the province's unit
            services.publication_publish(
                actor=cast.commune_officer, org_unit=cast.province, year=open_year, deadline=days(5), rows=ROWS
            )
        with pytest.raises(Http404):
            services.publication_publish(
                actor=cast.commune_officer, org_unit=cast.commune_b, year=open_year, deadline=days(5), rows=ROWS
            )

    @pytest.mark.parametrize(
        "row",
        [
            ("enrol_net", catalogue.PRIMARY, ">=", Decimal("100.5")),
            ("retention", catalogue.PRIMARY, ">", Decimal("100")),
            ("dropout", catalogue.PRIMARY, "<", Decimal("0")),
            ("enrol_net", catalogue.PRIMARY, ">=", Decimal("-1")),
            ("no_such_indicator", 0, ">=", Decimal("50")),
            ("health_insurance", 999, ">=", Decimal("50")),
            ("health_insurance", 0, "=", Decimal("50")),
            ("health_insurance", 0, ">=", Decimal("NaN")),
        ],
    )
    def test_an_impossible_target_is_refused(self, cast, open_year, row):
        with pytest.raises(ValidationError):
            services.publication_publish(
                actor=cast.commune_officer, org_unit=cast.commune_a, year=open_year, deadline=days(5), rows=[row]
            )
        assert not Publication.objects.filter(org_unit=cast.commune_a, year=open_year).exists()

    def test_a_refused_value_names_its_row_on_its_field_and_nothing_is_published(self, cast, open_year):
        rows = [
            ("health_insurance", catalogue.ALL, ">=", Decimal("90")),
            ("enrol_net", catalogue.PRIMARY, ">=", Decimal("120")),
            ("retention", catalogue.LOWER, ">", Decimal("100")),
        ]
        with pytest.raises(ValidationError) as caught:
            services.publication_publish(
                actor=cast.commune_officer, org_unit=cast.commune_a, year=open_year, deadline=days(5), rows=rows
            )
        assert caught.value.message_dict == {
            f"val-enrol_net-{catalogue.PRIMARY}": [
                "Tỷ lệ huy động đúng độ tuổi (Tiểu học): Tỷ lệ từ 0 đến 100 %, tối đa 3 chữ số thập phân."
            ],
            f"val-retention-{catalogue.LOWER}": [
                "Tỷ lệ duy trì sĩ số (THCS): Không thể đạt “trên 100 %”: chọn “≥ 100 %”."
            ],
        }
        assert not Publication.objects.filter(org_unit=cast.commune_a, year=open_year).exists()

    def test_the_funds_progress_is_published_as_a_rate_of_their_targets_not_an_amount(self, cast, open_year):
        # Its figure is money raised over the funds' targets (unit "money"), its default "≥ 100 %" of them.
        publish = dict(actor=cast.commune_officer, org_unit=cast.commune_a, year=open_year, deadline=days(5))
        with pytest.raises(ValidationError) as caught:
            services.publication_publish(**publish, rows=[("fund_progress", catalogue.ALL, ">=", Decimal("4000000"))])
        assert "Tỷ lệ từ 0 đến 100 %" in caught.value.message_dict[f"val-fund_progress-{catalogue.ALL}"][0]
        services.publication_publish(**publish, rows=[("fund_progress", catalogue.ALL, ">=", Decimal("100"))])
        target = Target.objects.get(org_unit=cast.commune_a, year=open_year, indicator="fund_progress")
        assert (target.kind, target.value) == ("rate", Decimal("100"))


class TestRegister:
    def test_the_principal_starts_the_annex_with_the_levels_the_school_teaches(self, cast, annex_a):
        rows = set(annex_a.lines.values_list("indicator", "level"))
        assert rows == {
            ("enrol_net", catalogue.PRIMARY),
            ("retention", catalogue.PRIMARY),
            ("health_insurance", catalogue.ALL),
        }
        line = annex_a.lines.get(indicator="retention")
        assert (line.comparison, line.default_value, line.value) == (">=", Decimal("99.900"), Decimal("99.900"))
        assert AuditEvent.objects.filter(action="targets.annex_start", object_id=str(annex_a.pk)).exists()

    @pytest.mark.parametrize("who", ["teacher_a", "commune_officer", "province_officer"])
    def test_only_the_principal_registers(self, cast, open_year, commune_published, who):
        with pytest.raises(PermissionDenied):
            services.annex_start(actor=getattr(cast, who), school=cast.school_a, year=open_year)

    def test_a_principal_of_another_school_gets_404(self, cast, open_year, commune_published):
        with pytest.raises(Http404):
            services.annex_start(actor=cast.principal_a, school=cast.school_b, year=open_year)

    def test_a_bad_value_names_the_row_and_nothing_is_saved(self, cast, annex_a):
        values = _values(annex_a, retention={"value": "99,95"}, health_insurance={"value": "nhiều"})
        with pytest.raises(ValidationError) as caught:
            services.annex_save(actor=cast.principal_a, annex=annex_a, lines=values)
        messages = [m for ms in caught.value.message_dict.values() for m in ms]
        assert any("Tham gia BHYT" in m and "không phải là số" in m for m in messages)
        assert annex_a.lines.get(indicator="retention").value == Decimal("99.900")  # one transaction

    def test_a_target_below_the_default_needs_a_justification(self, cast, annex_a):
        services.annex_save(actor=cast.principal_a, annex=annex_a, lines=_values(annex_a, enrol_net={"value": "97,5"}))
        with pytest.raises(ValidationError, match="cần giải trình"):
            services.annex_submit(actor=cast.principal_a, annex=annex_a)
        services.annex_save(
            actor=cast.principal_a,
            annex=annex_a,
            lines=_values(annex_a, enrol_net={"value": "97.5", "justification": "Hai thôn xa điểm trường"}),
        )
        assert services.annex_submit(actor=cast.principal_a, annex=annex_a).status == Annex.Status.SUBMITTED


class TestDecide:
    def test_submitted_returned_resubmitted_approved_each_audited_and_notified(self, cast, annex_a):
        services.annex_submit(actor=cast.principal_a, annex=annex_a)
        assert Notification.objects.filter(recipient=cast.commune_officer, kind="targets.submitted").exists()
        with pytest.raises(ValidationError):
            services.annex_return(actor=cast.commune_officer, annex=annex_a, comment="  ")
        services.annex_return(actor=cast.commune_officer, annex=annex_a, comment="Rà soát lại số trẻ 6 tuổi.")
        annex_a.refresh_from_db()
        assert annex_a.status == Annex.Status.RETURNED and annex_a.comment == "Rà soát lại số trẻ 6 tuổi."
        assert Notification.objects.filter(recipient=cast.principal_a, kind="targets.returned").exists()
        services.annex_save(
            actor=cast.principal_a, annex=annex_a, lines=_values(annex_a, enrol_net={"census_count": 40})
        )
        services.annex_submit(actor=cast.principal_a, annex=annex_a)
        services.annex_approve(actor=cast.commune_officer, annex=annex_a)
        annex_a.refresh_from_db()
        assert annex_a.status == Annex.Status.APPROVED and annex_a.decided_by == cast.commune_officer
        assert Notification.objects.filter(recipient=cast.principal_a, kind="targets.approved").exists()
        approved = Target.objects.filter(school=cast.school_a, year=annex_a.year)
        assert approved.count() == 3 and approved.get(indicator="retention").value == Decimal("99.900")
        actions = list(
            AuditEvent.objects.filter(object_type="targets.annex", object_id=str(annex_a.pk))
            .order_by("pk")
            .values_list("action", flat=True)
        )
        assert actions == [
            "targets.annex_start",
            "targets.annex_submit",
            "targets.annex_return",
            "targets.annex_save",
            "targets.annex_submit",
            "targets.annex_approve",
        ]

    def test_a_principal_approving_their_own_annex_is_refused(self, cast, annex_a):
        services.annex_submit(actor=cast.principal_a, annex=annex_a)
        with pytest.raises(PermissionDenied):
            services.annex_approve(actor=cast.principal_a, annex=annex_a)
        with pytest.raises(PermissionDenied):
            services.annex_return(actor=cast.principal_a, annex=annex_a, comment="tự trả")

    def test_a_province_officer_does_not_approve_a_commune_school(self, cast, annex_a):
        services.annex_submit(actor=cast.principal_a, annex=annex_a)
        with pytest.raises(PermissionDenied):
            services.annex_approve(actor=cast.province_officer, annex=annex_a)
        with pytest.raises(Http404):
            services.annex_approve(actor=cast.other_commune_officer, annex=annex_a)
        annex_a.refresh_from_db()
        assert annex_a.status == Annex.Status.SUBMITTED

    def test_a_draft_cannot_be_approved_nor_an_approved_annex_edited(self, cast, annex_a):
        with pytest.raises(ValidationError):
            services.annex_approve(actor=cast.commune_officer, annex=annex_a)
        services.annex_submit(actor=cast.principal_a, annex=annex_a)
        services.annex_approve(actor=cast.commune_officer, annex=annex_a)
        with pytest.raises(ValidationError):
            services.annex_save(actor=cast.principal_a, annex=annex_a, lines=_values(annex_a))


class TestLate:
    def test_after_the_deadline_a_school_is_late_then_reopened_and_registers(self, cast, open_year):
        deadline = days(-1)
        if deadline < open_year.starts_on:
            pytest.skip("the year under way began today")
        services.publication_publish(
            actor=cast.commune_officer, org_unit=cast.commune_a, year=open_year, deadline=deadline, rows=ROWS
        )
        with pytest.raises(ValidationError, match="quá hạn"):
            services.annex_start(actor=cast.principal_a, school=cast.school_a, year=open_year)
        rows = selectors.registrations(cast.commune_officer, open_year)
        assert rows[0]["status"] == "late"  # the late ones first
        assert cast.school_a.pk in {r["school"].pk for r in selectors.late(cast.commune_officer, open_year)}
        with pytest.raises(PermissionDenied):
            services.annex_reopen(actor=cast.province_officer, school=cast.school_a, year=open_year, deadline=days(5))
        with pytest.raises(PermissionDenied):
            services.annex_reopen(actor=cast.principal_a, school=cast.school_a, year=open_year, deadline=days(5))
        with pytest.raises(ValidationError):
            services.annex_reopen(actor=cast.commune_officer, school=cast.school_a, year=open_year, deadline=days(0))
        new = min(days(5), open_year.ends_on)
        annex = services.annex_reopen(actor=cast.commune_officer, school=cast.school_a, year=open_year, deadline=new)
        assert annex.deadline == new and annex.status == Annex.Status.DRAFT
        assert Notification.objects.filter(recipient=cast.principal_a, kind="targets.reopened").exists()
        assert cast.school_a.pk not in {r["school"].pk for r in selectors.late(cast.commune_officer, open_year)}
        assert services.annex_start(actor=cast.principal_a, school=cast.school_a, year=open_year) == annex
        services.annex_submit(actor=cast.principal_a, annex=annex)
        assert AuditEvent.objects.filter(action="targets.annex_reopen", object_id=str(annex.pk)).exists()

    def test_the_demo_school_a_is_late_for_2025_and_school_b_approved(self, cast):
        from apps.schools.models import SchoolYear

        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        status = {r["school"].pk: r["status"] for r in selectors.registrations(cast.admin, year)}
        assert status[cast.school_a.pk] == "late"
        assert status[cast.school_b.pk] == "approved"


class TestDailyJob:
    def test_it_reminds_three_days_before_and_lists_the_late_the_day_after(self, cast, open_year, commune_published):
        deadline = commune_published.deadline
        assert jobs.deadlines(deadline - datetime.timedelta(days=4))["reminded"] == 0
        result = jobs.deadlines(deadline - datetime.timedelta(days=3))
        assert result["reminded"] >= 1
        reminder = Notification.objects.get(recipient=cast.principal_a, kind="targets.reminder")
        assert "Còn 3 ngày" in reminder.title
        assert jobs.deadlines(deadline)["late"] == 0
        result = jobs.deadlines(deadline + datetime.timedelta(days=1))
        assert result["late"] >= 1
        told = Notification.objects.get(recipient=cast.commune_officer, kind="targets.late")
        assert "Trường PTDTBT Tiểu học Trà Nam" in told.body and "/targets/late/" in told.url

    def test_a_submitted_school_is_neither_reminded_nor_late(self, cast, open_year, annex_a):
        services.annex_submit(actor=cast.principal_a, annex=annex_a)
        deadline = Publication.objects.get(org_unit=cast.commune_a, year=open_year).deadline
        jobs.deadlines(deadline - datetime.timedelta(days=3))
        jobs.deadlines(deadline + datetime.timedelta(days=1))
        assert not Notification.objects.filter(recipient=cast.principal_a, kind="targets.reminder").exists()
        late = Notification.objects.filter(recipient=cast.commune_officer, kind="targets.late").first()
        assert late is None or "Trường PTDTBT Tiểu học Trà Nam" not in late.body


class TestHostileInput:
    @pytest.mark.parametrize(
        "field,value,message",
        [
            ("value", "NaN", "không phải là số"),
            ("value", "Infinity", "không phải là số"),
            ("value", "1e5", "Tỷ lệ từ 0 đến 100"),
            ("value", "99.99999", "tối đa 3 chữ số"),
            ("census_count", "99999999999999", "không phải là số nguyên"),
            ("census_count", "-3", "không được âm"),
            ("mobilised_count", "١٢", "không phải là số nguyên"),  # Arabic-Indic digits: isdigit(), not ASCII
        ],
    )
    def test_a_hostile_value_is_refused_with_its_row_named(self, cast, annex_a, field, value, message):
        line = annex_a.lines.get(indicator="health_insurance")
        values = _values(annex_a, health_insurance={field: value})
        with pytest.raises(ValidationError) as caught:
            services.annex_save(actor=cast.principal_a, annex=annex_a, lines=values)
        found = caught.value.message_dict[f"line-{line.pk}-{field}"]
        assert any(message in m and "Tham gia BHYT" in m for m in found)


class TestChangeLog:
    def test_the_change_log_reads_the_published_targets_and_the_statuses(self, cast, annex_a, client_for):
        services.annex_submit(actor=cast.principal_a, annex=annex_a)
        html = client_for(cast.commune_officer).get("/audit/").content.decode()
        assert "Tỷ lệ duy trì sĩ số (Tiểu học) ≥ 99.9 %" in html
        assert "Đang soạn → Đã gửi, chờ duyệt" in html


class TestLateReminderReopen:
    def test_a_late_school_is_listed_told_and_once_reopened_reminded_by_its_new_deadline(self, cast, open_year):
        deadline = days(-1)
        new = days(4)
        if deadline < open_year.starts_on or new > open_year.ends_on:
            pytest.skip("needs a year under way with a few days on either side of today")
        services.publication_publish(
            actor=cast.commune_officer, org_unit=cast.commune_a, year=open_year, deadline=deadline, rows=ROWS
        )
        # Reminded three days before the deadline, listed the day after it.
        jobs.deadlines(deadline - datetime.timedelta(days=3))
        assert Notification.objects.filter(recipient=cast.principal_a, kind="targets.reminder").count() == 1
        jobs.deadlines(deadline + datetime.timedelta(days=1))
        assert (
            "Trường PTDTBT Tiểu học Trà Nam"
            in Notification.objects.get(recipient=cast.commune_officer, kind="targets.late").body
        )
        assert cast.school_a.pk in {r["school"].pk for r in selectors.late(cast.commune_officer, open_year)}
        # Reopened: no longer late, and reminded again three days before the new deadline.
        services.annex_reopen(actor=cast.commune_officer, school=cast.school_a, year=open_year, deadline=new)
        assert cast.school_a.pk not in {r["school"].pk for r in selectors.late(cast.commune_officer, open_year)}
        jobs.deadlines(new - datetime.timedelta(days=3))
        assert Notification.objects.filter(recipient=cast.principal_a, kind="targets.reminder").count() == 2
