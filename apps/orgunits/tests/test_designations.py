"""Designations of especially difficult communes and hamlets: who records them, what the selectors answer on a
day, and who sees them."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from apps.core.models import AuditEvent
from apps.core.scoping import CHANGE
from apps.orgunits.models import Designation, OrgUnit
from apps.orgunits.selectors import designated_ids, is_designated
from apps.orgunits.services import designation_record

DBKK = Designation.Kind.DBKK
D = datetime.date


@pytest.fixture
def hamlet(cast):
    return OrgUnit.objects.current().filter(parent=cast.commune_a, type=OrgUnit.Type.HAMLET).order_by("pk").first()


def designate(actor, unit, valid_from=D(2022, 1, 1), valid_to=D(2023, 12, 31), **fields):
    fields = {"decision_ref": "QĐ 433/QĐ-UBDT ngày 18/6/2021", **fields}
    return designation_record(actor=actor, unit=unit, kind=DBKK, valid_from=valid_from, valid_to=valid_to, **fields)


class TestSelectors:
    def test_a_hamlet_is_designated_inside_its_window_and_not_outside(self, cast, hamlet):
        designate(cast.commune_officer, hamlet)
        days = (D(2021, 12, 31), D(2022, 1, 1), D(2023, 12, 31), D(2024, 1, 1))
        assert [is_designated(hamlet, DBKK, on=day) for day in days] == [False, True, True, False]
        assert hamlet.pk in designated_ids(DBKK, on=D(2023, 6, 1))
        assert hamlet.pk not in designated_ids(DBKK, on=D(2024, 1, 1))

    def test_designated_ids_are_the_units_themselves_with_nothing_inherited(self, cast, hamlet):
        # The demo's Trà Linh is designated from 2021 with no end; its hamlets are not, unless designated too.
        designate(cast.commune_officer, hamlet)
        assert designated_ids(DBKK, on=D(2023, 6, 1)) == {cast.commune_a.pk, hamlet.pk}
        assert designated_ids(DBKK, on=D(2024, 6, 1)) == {cast.commune_a.pk}
        other = OrgUnit.objects.current().filter(parent=cast.commune_a).exclude(pk=hamlet.pk).first()
        assert not is_designated(other, DBKK, on=D(2023, 6, 1))

    def test_without_a_day_they_answer_for_today_in_vietnam(self, cast, hamlet):
        designate(cast.commune_officer, hamlet, valid_from=D(2025, 3, 11), valid_to=None)
        with time_machine.travel(datetime.datetime(2025, 3, 10, 18, 30, tzinfo=datetime.UTC), tick=False):
            assert is_designated(hamlet, DBKK) and hamlet.pk in designated_ids(DBKK)  # 01:30 on the 11th there
        with time_machine.travel(datetime.datetime(2025, 3, 10, 16, 30, tzinfo=datetime.UTC), tick=False):
            assert not is_designated(hamlet, DBKK) and hamlet.pk not in designated_ids(DBKK)


class TestDesignationRecord:
    def test_a_commune_officer_designates_a_hamlet_of_their_commune_with_an_audit_event(self, cast, hamlet):
        designation = designate(cast.commune_officer, hamlet, decision_ref="  QĐ 433/QĐ-UBDT  ", note="Thôn ĐBKK")
        assert (designation.unit, designation.decision_ref, designation.note) == (hamlet, "QĐ 433/QĐ-UBDT", "Thôn ĐBKK")
        event = AuditEvent.objects.get(action="orgunits.designation_record", object_id=str(designation.pk))
        assert (event.actor, event.org_unit) == (cast.commune_officer, hamlet)
        assert event.changes == {
            "kind": "dbkk",
            "valid_from": "2022-01-01",
            "valid_to": "2023-12-31",
            "decision_ref": "QĐ 433/QĐ-UBDT",
            "note": "Thôn ĐBKK",
        }

    def test_a_commune_officer_of_another_commune_gets_404(self, cast, hamlet):
        with pytest.raises(Http404):
            designate(cast.other_commune_officer, hamlet)
        assert not Designation.objects.filter(unit=hamlet).exists()

    def test_a_principal_may_see_the_commune_but_not_designate_it(self, cast):
        with pytest.raises(PermissionDenied):
            designate(cast.principal_a, cast.commune_a, valid_from=D(2026, 1, 1), valid_to=None)

    def test_an_end_before_the_start_is_refused(self, cast, hamlet):
        with pytest.raises(ValidationError, match="không thể trước ngày bắt đầu"):
            designate(cast.commune_officer, hamlet, valid_from=D(2023, 1, 1), valid_to=D(2022, 12, 31))

    def test_a_period_overlapping_one_already_recorded_is_refused(self, cast, hamlet):
        designate(cast.commune_officer, hamlet)
        with pytest.raises(ValidationError, match="đã thuộc diện “Đặc biệt khó khăn” từ 01/01/2022"):
            designate(cast.commune_officer, hamlet, valid_from=D(2023, 6, 1), valid_to=None)
        after = designate(cast.commune_officer, hamlet, valid_from=D(2024, 1, 1), valid_to=None)  # the next decision
        assert [is_designated(hamlet, DBKK, on=day) for day in (D(2023, 12, 31), D(2030, 1, 1))] == [True, True]
        assert after.valid_to is None

    def test_a_province_is_not_designated_as_especially_difficult(self, cast):
        with pytest.raises(ValidationError, match="không thuộc cấp"):
            designate(cast.admin, cast.province)


class TestScope:
    def test_a_designation_is_seen_by_whoever_sees_its_unit(self, cast, hamlet):
        designation = designate(cast.commune_officer, hamlet)
        seen = {
            name
            for name, user in cast.members().items()
            if Designation.objects.restrict(user).filter(pk=designation.pk)
        }
        assert seen == {"admin", "province_officer", "commune_officer", "principal_a", "teacher_a", "partner"}
        assert not Designation.objects.restrict(cast.other_commune_officer).filter(pk=designation.pk).exists()

    def test_it_is_changed_by_whoever_may_change_its_unit(self, cast, hamlet):
        designation = designate(cast.commune_officer, hamlet)
        changers = {
            name
            for name, user in cast.members().items()
            if Designation.objects.restrict(user, CHANGE).filter(pk=designation.pk)
        }
        assert changers == {"admin", "province_officer", "commune_officer"}
