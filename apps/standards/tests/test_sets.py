import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.models import AuditEvent
from apps.standards import selectors, services
from apps.standards.models import CriteriaSet, Criterion, Indicator

pytestmark = pytest.mark.django_db


class TestShippedSets:
    def test_the_2018_sets_ship_with_their_structure_unverified_and_no_invented_text(self):
        secondary = CriteriaSet.objects.get(code="tt18-2018")
        assert not secondary.verified
        assert [s.criteria.count() for s in secondary.standards.all()] == [10, 4, 6, 2, 6]
        assert secondary.standards.get(number=3).title == "Cơ sở vật chất và thiết bị dạy học"
        assert set(
            Criterion.objects.filter(standard__criteria_set__code__endswith="-2018").values_list("text", flat=True)
        ) == {""}
        assert not Indicator.objects.filter(criteria_set__code__endswith="-2018").exists()
        assert (secondary.validity_years, secondary.reregister_months, secondary.national_levels) == (
            5,
            5,
            {"1": 2, "2": 3},
        )

    def test_the_2024_set_ships_empty_and_unverified(self):
        amended = CriteriaSet.objects.get(code="tt22-2024")
        assert not amended.verified and not amended.standards.exists()

    def test_a_school_takes_the_set_of_its_kind(self, cast):
        from apps.schools.models import School

        both = School.objects.get(moet_code="48095003")  # TH&THCS Trà Linh
        assert services.set_for(both).code == "tt18-2018"
        assert services.set_for(cast.school_a).code == "tt17-2018"
        assert services.set_for(School.objects.get(moet_code="48095001")).code == "tt19-2018"

    def test_a_cycle_on_an_unverified_set_shows_not_verified(self, cast):
        cycle = services.cycle_start(actor=cast.principal_a, school=cast.school_a, year=2030)
        result = selectors.cycle_result(cycle)
        assert cycle.criteria_set.code == "tt17-2018"
        assert result.level_text == "chưa xác minh"
        assert all(r.level == 0 for r in result.criteria)  # no indicators: never met


class TestEditingAndVerifying:
    def test_a_text_edit_is_audited_with_the_old_and_new_text(self, cast):
        criterion = Criterion.objects.get(standard__criteria_set__code="tt18-2018", standard__number=1, number=10)
        services.text_edit(actor=cast.admin, kind="criterion", pk=criterion.pk, text="Nội dung do quản trị nhập")
        criterion.refresh_from_db()
        assert criterion.text == "Nội dung do quản trị nhập"
        event = AuditEvent.objects.get(action="standards.text_edit", object_id=str(criterion.pk))
        assert event.changes == {"text": ["", "Nội dung do quản trị nhập"]}
        assert event.actor == cast.admin

    def test_only_a_system_administrator_edits_or_verifies(self, cast, test_set):
        criterion = Criterion.objects.filter(standard__criteria_set=test_set).first()
        with pytest.raises(PermissionDenied):
            services.text_edit(actor=cast.province_officer, kind="criterion", pk=criterion.pk, text="x")
        with pytest.raises(PermissionDenied):
            services.set_verify(actor=cast.principal_a, criteria_set=test_set)

    def test_a_set_with_missing_texts_cannot_be_verified(self, cast):
        shipped = CriteriaSet.objects.get(code="tt17-2018")
        with pytest.raises(ValidationError, match="27 tiêu chí"):
            services.set_verify(actor=cast.admin, criteria_set=shipped)
        with pytest.raises(ValidationError, match="chưa có tiêu chí"):
            services.set_verify(actor=cast.admin, criteria_set=CriteriaSet.objects.get(code="tt22-2024"))

    def test_the_edit_page_saves_and_audits(self, cast, client_for):
        from django.urls import reverse

        shipped = CriteriaSet.objects.get(code="tt19-2018")
        standard = shipped.standards.get(number=2)
        response = client_for(cast.admin).post(
            reverse("standards:set_text", args=[shipped.pk]), {"kind": "standard", "pk": standard.pk, "text": "Tên mới"}
        )
        assert response.status_code == 302
        standard.refresh_from_db()
        assert standard.title == "Tên mới"
        assert AuditEvent.objects.filter(action="standards.text_edit", object_id=str(standard.pk)).exists()
        refused = client_for(cast.province_officer).post(
            reverse("standards:set_text", args=[shipped.pk]), {"kind": "standard", "pk": standard.pk, "text": "Khác"}
        )
        assert refused.status_code == 403
        standard.refresh_from_db()
        assert standard.title == "Tên mới"
