"""How the change log shows an event's values (`apps.core.audit_display`): as a person reads them."""

import pytest
from django.utils.translation import override

from apps.core import audit_display
from apps.core.audit_display import Ref, describe, plain, register_field
from apps.core.models import AuditEvent
from apps.orgunits.models import OrgUnit


def shown(action: str, **changes) -> dict[str, str]:
    event = AuditEvent(action=action, changes=changes)
    describe([event])
    return dict(event.shown_changes)


@pytest.fixture
def field():
    """register_field(...) for one test; the registry is left as the apps made it."""
    added = []

    def add(name, format, **options):
        register_field(name, format, **options)
        added.append((name, options.get("scope", "")))

    yield add
    for name, scope in added:
        audit_display.unregister_field(name, scope=scope)


class TestPlainValues:
    def test_booleans_read_yes_or_no_in_the_readers_language(self):
        assert (plain(True), plain(False)) == ("Có", "Không")
        with override("en"):
            assert (plain(True), plain(False)) == ("Yes", "No")

    def test_iso_dates_read_day_month_year(self):
        assert plain("2025-09-05") == "05/09/2025"
        assert plain("2025-09-05T01:30:00+00:00") == "05/09/2025 08:30"  # in Asia/Ho_Chi_Minh

    def test_nothing_reads_as_a_dash_and_text_stays_as_it_is(self):
        assert (plain(None), plain(""), plain("Thôn 1"), plain(28)) == ("—", "—", "Thôn 1", "28")


class TestDescribe:
    def test_ids_of_known_kinds_read_as_their_names(self, cast):
        hamlet = OrgUnit.objects.filter(parent=cast.commune_a, type=OrgUnit.Type.HAMLET).first()
        values = shown("schools.site_create", hamlet=hamlet.pk, name="Điểm Thôn")
        assert values == {"hamlet": hamlet.display_name, "name": "Điểm Thôn"}
        assert shown("students.enrolment_create", school=cast.school_a.pk)["school"] == cast.school_a.name

    def test_a_change_reads_before_and_after(self, cast):
        values = shown("schools.school_update", levels=[4, 12], managed_by=[cast.commune_a.pk, cast.province.pk])
        assert values["levels"] == "Tiểu học → Tiểu học, Trung học cơ sở"
        assert values["managed_by"] == f"{cast.commune_a.name} → {cast.province.name}"
        assert shown("orgunits.hamlet_restore", valid_to=["2025-09-05", None]) == {"valid_to": "05/09/2025 → —"}

    def test_a_list_of_many_is_not_read_as_a_change(self, cast, field):
        field("schools", Ref("schools.School"), scope="tests", many=True)
        assert shown("tests.planted", schools=[cast.school_a.pk, cast.school_b.pk])["schools"] == (
            f"{cast.school_a.name}, {cast.school_b.name}"
        )

    def test_the_narrowest_registration_wins(self, field):
        field("kind", lambda value: "cả ứng dụng", scope="tests")
        field("kind", lambda value: "một hành động", scope="tests.planted")
        assert shown("tests.planted", kind="x")["kind"] == "một hành động"
        assert shown("tests.other", kind="x")["kind"] == "cả ứng dụng"
        assert shown("students.enrolment_event", kind="dropped_out")["kind"] == "Bỏ học"
        assert shown("imports.start", kind="students.roster")["kind"] == "Danh sách học sinh"

    def test_an_id_whose_object_is_gone_reads_as_the_id(self, db):
        assert shown("students.enrolment_create", school=999_999_999)["school"] == "#999999999"

    def test_a_field_shown_another_way_already_is_refused(self):
        with pytest.raises(ValueError, match="another way"):
            register_field("school", Ref("orgunits.OrgUnit"))

    def test_a_whole_page_costs_one_query_per_kind_of_object(self, cast, django_assert_num_queries):
        hamlets = list(OrgUnit.objects.filter(type=OrgUnit.Type.HAMLET)[:20])
        events = [
            AuditEvent(action="schools.site_create", changes={"hamlet": h.pk, "school": cast.school_a.pk})
            for h in hamlets
        ] + [AuditEvent(action="schools.school_update", changes={"location": [cast.commune_a.pk, cast.commune_b.pk]})]
        with django_assert_num_queries(2):  # the units, the schools
            describe(events)
        assert [dict(e.shown_changes)["hamlet"] for e in events[:-1]] == [h.display_name for h in hamlets]
