import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from apps.core.models import AuditEvent
from apps.orgunits.models import OrgUnit
from apps.orgunits.services import hamlet_create, hamlet_retire, hamlet_update, orgunit_move


class TestHamletCreate:
    def test_commune_officer_adds_a_hamlet_with_an_audit_event(self, cast):
        hamlet = hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="  Thôn  Mới ")
        assert (hamlet.name, hamlet.parent, hamlet.path) == (
            "Thôn Mới",
            cast.commune_a,
            f"{cast.commune_a.path}{hamlet.pk}/",
        )
        event = AuditEvent.objects.get(action="orgunits.hamlet_create", object_id=str(hamlet.pk))
        assert event.actor == cast.commune_officer and event.org_unit == cast.commune_a

    def test_a_hamlet_is_never_added_without_its_audit_event(self, cast):
        with pytest.raises(TypeError):
            hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="Thôn Lặng Lẽ", audit=False)
        assert not OrgUnit.objects.filter(name="Thôn Lặng Lẽ").exists()

    def test_a_duplicate_name_in_the_same_commune_is_refused(self, cast):
        with pytest.raises(ValidationError, match="đã có thôn"):
            hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="THÔN 1", qualifier="xã Trà Nam cũ")

    def test_a_qualifier_allows_a_name_inherited_from_two_former_communes(self, cast):
        hamlet = hamlet_create(
            actor=cast.commune_officer, commune=cast.commune_a, name="Thôn 1", qualifier="khu tái định cư"
        )
        assert hamlet.display_name == "Thôn 1 (khu tái định cư)"

    def test_qualifiers_are_compared_without_case_or_diacritics(self, cast):
        with pytest.raises(ValidationError, match="đã có thôn"):
            hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="Thôn 1", qualifier="XÃ TRA NAM CU")

    def test_a_repeated_name_needs_a_qualifier(self, cast):
        with pytest.raises(ValidationError, match="phân biệt"):
            hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="Thôn 2")

    def test_a_blank_or_overlong_name_is_refused(self, cast):
        with pytest.raises(ValidationError, match="Hãy nhập tên thôn"):
            hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="   ")
        with pytest.raises(ValidationError, match="150"):
            hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="Thôn " + "A" * 150)

    def test_another_communes_officer_gets_404(self, cast):
        with pytest.raises(Http404):
            hamlet_create(actor=cast.other_commune_officer, commune=cast.commune_a, name="Thôn X")

    def test_a_teacher_gets_403(self, cast):
        with pytest.raises(PermissionDenied):
            hamlet_create(actor=cast.teacher_a, commune=cast.commune_a, name="Thôn X")

    def test_hamlets_only_go_under_a_current_commune(self, cast):
        with pytest.raises(ValidationError):
            hamlet_create(actor=cast.province_officer, commune=cast.province, name="Thôn X")


class TestHamletChanges:
    def test_rename_is_audited_with_old_and_new_values(self, cast):
        hamlet = hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="Thôn Cũ")
        hamlet_update(actor=cast.commune_officer, hamlet=hamlet, name="Thôn Mới Đổi")
        event = AuditEvent.objects.get(action="orgunits.hamlet_update", object_id=str(hamlet.pk))
        assert event.changes["name"] == ["Thôn Cũ", "Thôn Mới Đổi"]

    def test_a_rename_to_blank_is_refused(self, cast):
        hamlet = hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="Thôn Đặt Tên")
        with pytest.raises(ValidationError):
            hamlet_update(actor=cast.commune_officer, hamlet=hamlet, name="  ")

    def test_a_hamlet_cannot_be_retired_before_it_existed(self, cast):
        hamlet = hamlet_create(
            actor=cast.commune_officer,
            commune=cast.commune_a,
            name="Thôn Mới Lập",
            valid_from=datetime.date(2024, 3, 1),
        )
        with pytest.raises(ValidationError, match="trước ngày thôn được lập"):
            hamlet_retire(actor=cast.commune_officer, hamlet=hamlet, on=datetime.date(2020, 1, 1))

    def test_a_hamlet_with_a_school_site_is_not_retired(self, cast):
        hamlet = cast.school_a.sites.exclude(hamlet=None).first().hamlet
        with pytest.raises(ValidationError, match="điểm trường"):
            hamlet_retire(actor=cast.commune_officer, hamlet=hamlet, on=datetime.date.today())

    def test_a_retirement_is_undone_with_an_audit_event(self, cast):
        from apps.orgunits.services import hamlet_restore

        hamlet = hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="Thôn Nhầm")
        hamlet_retire(actor=cast.commune_officer, hamlet=hamlet, on=datetime.date.today())
        hamlet_restore(actor=cast.commune_officer, hamlet=hamlet)
        hamlet.refresh_from_db()
        assert hamlet.is_current
        assert AuditEvent.objects.filter(action="orgunits.hamlet_restore", object_id=str(hamlet.pk)).exists()

    def test_a_name_of_punctuation_only_is_refused(self, cast):
        with pytest.raises(ValidationError, match="Hãy nhập tên thôn"):
            hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="...")

    def test_retiring_keeps_the_row_and_frees_the_name(self, cast):
        hamlet = hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="Thôn Giải Thể")
        hamlet_retire(actor=cast.commune_officer, hamlet=hamlet, on=datetime.date.today())
        assert OrgUnit.objects.filter(pk=hamlet.pk, valid_to__isnull=False).exists()
        again = hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="Thôn Giải Thể")
        assert again.pk != hamlet.pk


class TestMove:
    def test_a_unit_cannot_move_below_itself(self, cast):
        hamlet = hamlet_create(actor=cast.province_officer, commune=cast.commune_a, name="Thôn Vòng")
        with pytest.raises(ValidationError, match="chính nó"):
            orgunit_move(actor=cast.province_officer, unit=cast.commune_a, new_parent=hamlet)

    def test_only_hamlets_move(self, cast):
        with pytest.raises(ValidationError, match="Chỉ chuyển được thôn"):
            orgunit_move(actor=cast.province_officer, unit=cast.commune_a, new_parent=cast.commune_b)

    def test_a_move_into_a_commune_with_a_namesake_is_refused(self, cast):
        hamlet_create(actor=cast.province_officer, commune=cast.commune_b, name="Thôn Trùng")
        hamlet = hamlet_create(actor=cast.province_officer, commune=cast.commune_a, name="Thôn Trùng")
        with pytest.raises(ValidationError, match="đã có thôn"):
            orgunit_move(actor=cast.province_officer, unit=hamlet, new_parent=cast.commune_b)

    def test_moving_a_hamlet_rewrites_its_path(self, cast):
        hamlet = hamlet_create(actor=cast.province_officer, commune=cast.commune_a, name="Thôn Chuyển")
        moved = orgunit_move(actor=cast.province_officer, unit=hamlet, new_parent=cast.commune_b)
        assert moved.parent == cast.commune_b and moved.path == f"{cast.commune_b.path}{hamlet.pk}/"
        assert not OrgUnit.objects.restrict(cast.commune_officer).filter(pk=hamlet.pk).exists()


def test_today_is_the_day_in_vietnam_not_on_the_server_s_clock(cast):
    """At 01:30 in Hà Nội the server's UTC clock still says yesterday: retiring a hamlet "today" is not the future."""
    import datetime

    import time_machine

    from apps.orgunits.services import hamlet_create, hamlet_retire

    with time_machine.travel(datetime.datetime(2026, 3, 9, 18, 30, tzinfo=datetime.UTC), tick=False):
        hamlet = hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="Thôn Nửa Đêm")
        retired = hamlet_retire(actor=cast.commune_officer, hamlet=hamlet, on=datetime.date(2026, 3, 10))
    assert retired.valid_to == datetime.date(2026, 3, 10)
