"""The out-of-school list (the census's one rule, extended): exactly the planted children, five-year-olds on
request, the excluded statuses left out, "studying" on no roster listed apart; a census child whose record lacks
the middle name is proposed, confirmed, merged, and then not listed; merges that must not happen are refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.retention import out_of_school
from apps.retention.models import DropoutCase
from apps.schools.models import SchoolYear
from apps.students import services as students
from apps.students.models import CensusRecord, Child
from apps.students.tests.test_census import census, enrolled_child, run


@pytest.fixture
def year(cast):
    return SchoolYear.objects.get(province=cast.province, start_year=2025)


def names(records):
    return {r.child.full_name for r in records}


@pytest.fixture
def planted(cast, year):
    """Census rows of commune A for 2025 (one of each kind), and an enrolled child whose census record lacks the
    middle name."""
    before = out_of_school.out_of_school(cast.commune_officer, cast.commune_a, year, five=True)
    hamlet = enrolled_child(cast).hamlet.display_name
    lan = students.child_create(
        actor=cast.principal_a,
        full_name="Zơ Râm Thị Ngọc Xuyến",
        birth_year=2015,
        sex="F",
        commune=cast.commune_a,
        for_school=cast.school_a,
    )
    students.enrolment_create(
        actor=cast.principal_a, child=lan, school=cast.school_a, year=year, grade="5", on=year.starts_on
    )
    rows = [
        ["Hồ Thị Vắng", "2014", "Nữ", "Ca Dong", hamlet, "Bỏ học", "", "", "15/09/2025"],
        ["Đinh Văn Năm", "2020", "Nam", "Xơ Đăng", hamlet, "Không đi học", "", "", "15/09/2025"],
        ["Hồ Văn Xong", "2011", "Nam", "Xơ Đăng", hamlet, "Tốt nghiệp THCS", "", "", "15/09/2025"],
        ["Hồ Văn Đi", "2013", "Nam", "Xơ Đăng", hamlet, "Chuyển đi", "", "", "15/09/2025"],
        ["Hồ Văn Miễn", "2013", "Nam", "Xơ Đăng", hamlet, "Khuyết tật nặng", "", "", "15/09/2025"],
        ["Hồ Văn Mất", "2013", "Nam", "Xơ Đăng", hamlet, "Đã chết", "", "", "15/09/2025"],
        ["Hồ Văn Học", "2015", "Nam", "Xơ Đăng", hamlet, "Đang học", "TH Nơi Khác", "", "15/09/2025"],
        ["Zơ Râm Thị Xuyến", "2016", "Nữ", "Xơ Đăng", hamlet, "Không đi học", "", "", "15/09/2025"],
    ]
    plan, result = run(cast, year, census(*rows))
    assert plan.errors == [] and result.created_records == len(rows)
    return {"before": before, "lan": lan}


def new(found, before, kind):
    return names(found[kind]) - names(before[kind])


def test_the_list_shows_exactly_the_planted_children(cast, year, planted):
    found = out_of_school.out_of_school(cast.commune_officer, cast.commune_a, year)
    assert new(found, planted["before"], "out") == {"Hồ Thị Vắng", "Zơ Râm Thị Xuyến"}
    assert new(found, planted["before"], "unlinked") == {"Hồ Văn Học"}
    with_five = out_of_school.out_of_school(cast.commune_officer, cast.commune_a, year, five=True)
    assert new(with_five, planted["before"], "out") == {"Hồ Thị Vắng", "Zơ Râm Thị Xuyến", "Đinh Văn Năm"}
    assert AuditEvent.objects.filter(action="retention.out_of_school_read", actor=cast.commune_officer).exists()


def test_a_census_child_lacking_the_middle_name_is_proposed_merged_and_then_not_listed(cast, year, planted, client_for):
    lan = planted["lan"]
    census_lan = Child.objects.get(name_folded="zo ram thi xuyen", census_records__year=year)
    proposals = out_of_school.link_proposals(cast.commune_officer, census_lan)
    assert [c for c, _s in proposals] == [lan] and proposals[0][1] >= out_of_school.MIN_SCORE
    assert not DropoutCase.objects.filter(child=census_lan).exists()  # never linked automatically
    client = client_for(cast.commune_officer)
    page = client.get(reverse("retention:out_of_school"), {"commune": cast.commune_a.pk, "year": year.pk})
    assert "Zơ Râm Thị Ngọc Xuyến" in page.content.decode()  # the proposal, with its score
    client.post(reverse("retention:child_merge", args=[census_lan.pk]), {"kept": lan.pk})
    census_lan.refresh_from_db()
    assert census_lan.merged_into == lan
    assert CensusRecord.objects.get(year=year, child=lan).status == "not_in_school"
    found = out_of_school.out_of_school(cast.commune_officer, cast.commune_a, year)
    assert "Zơ Râm Thị Xuyến" not in names(found["out"]) and "Zơ Râm Thị Ngọc Xuyến" not in names(found["out"])
    answer = client.get(reverse("students:child", args=[census_lan.pk]))
    assert "Zơ Râm Thị Ngọc Xuyến" in answer.content.decode()  # the merged id answers with the kept child
    assert AuditEvent.objects.filter(action="students.child_merge", object_id=str(lan.pk)).exists()


def test_a_merge_with_conflicting_identifiers_is_refused(cast, year, planted):
    lan = planted["lan"]
    census_lan = Child.objects.get(name_folded="zo ram thi xuyen", census_records__year=year)
    Child.objects.filter(pk=lan.pk).update(personal_id="048316000001")
    Child.objects.filter(pk=census_lan.pk).update(personal_id="048316000002")
    with pytest.raises(ValidationError, match="định danh"):
        students.child_merge(actor=cast.commune_officer, kept=lan, merged=census_lan)
    census_lan.refresh_from_db()
    assert census_lan.merged_into is None and CensusRecord.objects.filter(child=census_lan).exists()


def test_a_merge_of_two_children_each_in_school_is_refused(cast, year):
    a = enrolled_child(cast)
    b = Child.objects.filter(commune=cast.commune_a, enrolments__ongoing=True, enrolments__year=year).exclude(pk=a.pk)
    with pytest.raises(ValidationError, match="đang theo học"):
        students.child_merge(actor=cast.commune_officer, kept=a, merged=b.first())


def test_confirming_a_child_of_the_list_opens_a_case(cast, year, planted, client_for):
    vang = Child.objects.get(name_folded="ho thi vang")
    response = client_for(cast.commune_officer).post(reverse("retention:child_case", args=[vang.pk]), {"year": year.pk})
    case = DropoutCase.objects.get(child=vang)
    assert response.status_code == 302 and case.source == "census" and case.commune == cast.commune_a
    found = out_of_school.out_of_school(cast.commune_officer, cast.commune_a, year)
    assert [r.open_case for r in found["out"] if r.child_id == vang.pk] == [True]
    assert case.opened_on <= datetime.date.today()
