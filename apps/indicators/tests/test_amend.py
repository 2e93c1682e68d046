"""Amending the snapshot: the row is found in the snapshot by school, class and name within the user's scope; the
field is chosen from a list, its new value from the values that field may take, checked again by the service
with a Vietnamese message per field; audited as before."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from apps.core.models import AuditEvent
from apps.core.text import fold
from apps.indicators import snapshots
from apps.indicators.models import SnapshotAmendment, SnapshotRow
from apps.schools.models import SchoolYear
from apps.students.models import ClassGroup

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def tp(cast):
    from apps.indicators.tests.province import build

    tp = build(cast.admin)
    snapshots.snapshot_take(actor=cast.admin, year=tp.year, on=D(2025, 9, 22))
    return tp


@pytest.fixture
def year(cast):
    year = SchoolYear.objects.get(province=cast.province, start_year=2025)
    snapshots.snapshot_take(actor=cast.province_officer, year=year, on=D(2025, 9, 22))
    return year


def row_of(tp, key):
    return SnapshotRow.objects.select_related("school").get(snapshot__year=tp.year, enrolment__child=tp.children[key])


def options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"', select.group(1))


class TestTheValuesAreCheckedPerField:
    @pytest.mark.parametrize(
        "field,new,message",
        [
            ("grade", "6", "không thuộc cấp học của Trường TH A"),
            ("grade", "MG5", "không thuộc cấp học"),
            ("sex", "X", "Giới tính chỉ là Nam hoặc Nữ"),
            ("ethnicity", "99", "không có trong danh mục các dân tộc"),
            ("ethnicity", "Kinh", "không có trong danh mục các dân tộc"),
            ("status", "completed", "không phải tình trạng của học sinh vào ngày chốt"),
            ("status", "đang học", "không phải tình trạng"),
            ("circumstances", "32", "Hoàn cảnh gia đình không hợp lệ"),
        ],
    )
    def test_a_value_the_field_cannot_take_is_refused_in_words(self, tp, cast, field, new, message):
        with pytest.raises(ValidationError) as exc:
            snapshots.snapshot_amend(actor=cast.admin, row=row_of(tp, "c1"), field=field, new=new, reason="Sai")
        assert message in " ".join(exc.value.messages)
        assert not SnapshotAmendment.objects.exists()

    def test_the_values_offered_are_those_of_the_field(self, tp):
        row = row_of(tp, "c1")
        assert [v for v, _ in snapshots.allowed_values(row, "grade")] == ["1", "2", "3", "4", "5"]  # a primary school
        assert ("06", "Mường") in snapshots.allowed_values(row, "ethnicity")
        from apps.students.identity import ethnicity_choices

        assert snapshots.allowed_values(row, "ethnicity") == ethnicity_choices()  # the registry, every entry
        assert "completed" not in dict(snapshots.allowed_values(row, "status"))
        assert dict(snapshots.allowed_values(row, "sex")) == {"M": "Nam", "F": "Nữ"}


class TestTheAmendmentPage:
    def test_the_row_is_found_by_school_class_and_name(self, cast, year, client_for):
        client = client_for(cast.commune_officer)
        url = f"/indicators/snapshots/{year.pk}/amend/"
        page = client.get(url).content.decode()
        assert str(cast.school_a.pk) in options(page, "school")
        assert str(cast.school_b.pk) not in options(page, "school")  # another commune's school
        rows = SnapshotRow.objects.filter(snapshot__year=year, school=cast.school_a).select_related("enrolment__child")
        whole = client.get(f"{url}?school={cast.school_a.pk}").content.decode()
        assert whole.count(">Chọn</a>") == min(rows.count(), 50)
        one = rows.exclude(class_group=None).first()
        name = one.enrolment.child.full_name
        by_class = client.get(f"{url}?school={cast.school_a.pk}&class_group={one.class_group_id}").content.decode()
        assert by_class.count(">Chọn</a>") == rows.filter(class_group=one.class_group).count()
        word = name.split()[-1]
        by_name = client.get(f"{url}?school={cast.school_a.pk}&name={word}").content.decode()
        assert name in by_name
        assert by_name.count(">Chọn</a>") == min(
            sum(1 for r in rows if fold(word) in r.enrolment.child.name_folded), 50
        )
        event = AuditEvent.objects.filter(action="indicators.students_read").latest("pk")
        assert event.kind == AuditEvent.Kind.READ and event.changes["search"] is True
        assert ClassGroup.objects.filter(pk=one.class_group_id, school=cast.school_a).exists()

    def test_a_name_is_searched_without_its_marks(self, tp, cast, client_for):
        from apps.students.models import Child

        Child.objects.filter(pk=tp.children["c10"].pk).update(full_name="Hờ Thị Ân", name_folded="ho thi an")
        url = f"/indicators/snapshots/{tp.year.pk}/amend/?school={tp.a.pk}&name=Thị+Ân"
        page = client_for(cast.admin).get(url).content.decode()
        assert "Hờ Thị Ân" in page and page.count(">Chọn</a>") == 1

    def test_the_field_is_chosen_from_a_list_then_the_value_from_its_values(self, tp, cast, client_for):
        client = client_for(cast.admin)
        row = row_of(tp, "c1")
        base = f"/indicators/snapshots/{tp.year.pk}/amend/?school={tp.a.pk}&row={row.pk}"
        step1 = client.get(base).content.decode()
        assert options(step1, "field") == ["", "grade", "status", "sex", "ethnicity", "circumstances"]
        assert "Khối lớp" in step1 and "Dân tộc" in step1
        step2 = client.get(f"{base}&field=grade").content.decode()
        assert options(step2, "new") == ["", "1", "2", "3", "4", "5"]
        response = client.post(f"{base}&field=grade", {"field": "grade", "new": "2", "reason": "Nhập nhầm khối"})
        assert response.status_code == 302
        row.refresh_from_db()
        assert row.grade == "2"
        amendment = SnapshotAmendment.objects.get(row=row)
        assert (amendment.field, amendment.old, amendment.new, amendment.actor) == ("grade", "1", "2", cast.admin)
        assert AuditEvent.objects.get(action="indicators.snapshot_amend").changes["grade"] == ["1", "2"]
        school_page = client.get(f"/indicators/snapshots/{tp.year.pk}/schools/{tp.a.pk}/").content.decode()
        assert re.search(
            r">Khối lớp</td><td[^>]*>Lớp 1</td><td[^>]*>Lớp 2</td><td[^>]*>Nhập nhầm khối</td>", school_page
        )

    def test_a_value_posted_outside_the_list_gets_the_fields_message(self, tp, cast, client_for):
        row = row_of(tp, "c1")
        url = f"/indicators/snapshots/{tp.year.pk}/amend/?school={tp.a.pk}&row={row.pk}&field=grade"
        response = client_for(cast.admin).post(url, {"field": "grade", "new": "9", "reason": "Sai"})
        assert response.status_code == 400
        assert "Khối “9” không thuộc cấp học của Trường TH A." in response.content.decode()
        response = client_for(cast.admin).post(url, {"field": "grade", "new": "2", "reason": ""})
        assert response.status_code == 400 and not SnapshotAmendment.objects.exists()

    def test_circumstances_are_ticked(self, tp, cast, client_for):
        row = row_of(tp, "c1")
        url = f"/indicators/snapshots/{tp.year.pk}/amend/?school={tp.a.pk}&row={row.pk}&field=circumstances"
        assert 'type="checkbox" name="new" value="1"' in client_for(cast.admin).get(url).content.decode()
        response = client_for(cast.admin).post(url, {"field": "circumstances", "new": ["1", "4"], "reason": "Hộ nghèo"})
        assert response.status_code == 302
        row.refresh_from_db()
        assert row.circumstances == 5
        assert snapshots.describe("circumstances", "5") == "Hộ nghèo, Mồ côi"

    def test_only_the_managing_unit_finds_and_amends(self, cast, year, client_for):
        row = SnapshotRow.objects.filter(snapshot__year=year, school=cast.school_a).first()
        url = f"/indicators/snapshots/{year.pk}/amend/"
        assert client_for(cast.other_commune_officer).get(f"{url}?row={row.pk}").status_code == 404
        assert (
            client_for(cast.other_commune_officer)
            .get(f"{url}?school={cast.school_a.pk}")
            .content.decode()
            .count(">Chọn</a>")
            == 0
        )
        assert client_for(cast.partner).get(url).status_code == 404
        assert client_for(cast.teacher_a).get(url).status_code == 403
        assert client_for(cast.principal_a).get(url).status_code == 403
        assert client_for(cast.province_officer).get(f"{url}?row={row.pk}").status_code == 403  # sees, may not change
        response = client_for(cast.commune_officer).post(
            f"{url}?school={cast.school_a.pk}&row={row.pk}&field=sex",
            {"field": "sex", "new": "F" if row.sex == "M" else "M", "reason": "Sai giới tính"},
        )
        assert response.status_code == 302
        assert SnapshotAmendment.objects.filter(row=row, field="sex").exists()
