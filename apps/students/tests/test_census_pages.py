import io

from django.urls import reverse

from apps.core.models import AuditEvent
from apps.imports.models import ImportJob
from apps.orgunits.models import OrgUnit
from apps.schools.models import SchoolYear
from apps.students.models import CensusRecord, CensusStatus
from apps.students.tests.test_census import census


def first_hamlet(commune):
    return OrgUnit.objects.current().filter(parent=commune, type=OrgUnit.Type.HAMLET).order_by("name_folded").first()


def test_a_commune_officer_imports_a_census_from_the_web(cast, client_for, django_capture_on_commit_callbacks):
    year = SchoolYear.objects.get(province=cast.province, start_year=2025)
    hamlet = first_hamlet(cast.commune_a)
    client = client_for(cast.commune_officer)
    file = io.BytesIO(
        census(["Y Web Điều Tra", "2013", "Nữ", "Xơ Đăng", hamlet.display_name, "Bỏ học", "", "", "20/09/2025"])
    )
    file.name = "dieu-tra.csv"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:new", args=["students.census"]),
            {"commune": cast.commune_a.pk, "year": year.pk, "file": file},
        )
    job = ImportJob.objects.get()
    assert job.kind == "students.census" and job.status == "checked" and job.summary["rows"] == 1
    assert not CensusRecord.objects.filter(child__name_folded="y web dieu tra").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.summary["result"]["created_records"] == 1
    record = CensusRecord.objects.get(child__name_folded="y web dieu tra")
    assert record.hamlet == hamlet and record.status == CensusStatus.NOT_IN_SCHOOL
    # The other commune's officer may neither see the job nor import into commune A.
    other = client_for(cast.other_commune_officer)
    assert other.get(reverse("imports:detail", args=[job.pk])).status_code == 404
    response = other.post(
        reverse("imports:new", args=["students.census"]), {"commune": cast.commune_a.pk, "year": year.pk}
    )
    assert response.status_code == 400


def test_the_hamlet_page_flags_children_no_school_lists(cast, client_for):
    from apps.students.census import apply_census, plan_census

    year = SchoolYear.objects.get(province=cast.province, start_year=2025)
    hamlet = first_hamlet(cast.commune_a)
    data = census(
        ["Hồ Văn Ngoài Trường", "2014", "Nam", "Xơ Đăng", hamlet.display_name, "Không đi học", "", "", "15/09/2025"],
        [
            "Hồ Thị Nói Đi Học",
            "2015",
            "Nữ",
            "Xơ Đăng",
            hamlet.display_name,
            "Đang học",
            "Trường Nào Đó",
            "4",
            "15/09/2025",
        ],
    )
    plan = plan_census(actor=cast.commune_officer, filename="dt.csv", data=data, year=year, commune=cast.commune_a)
    apply_census(actor=cast.commune_officer, plan=plan)
    client = client_for(cast.commune_officer)
    page = client.get(reverse("students:census_hamlet", args=[hamlet.pk]), {"year": year.pk}).content.decode()
    assert "Hồ Văn Ngoài Trường" in page and "Hồ Thị Nói Đi Học" in page and page.count("⚠") >= 3  # 2 rows + note
    assert AuditEvent.objects.filter(action="students.census_read", org_unit=hamlet).exists()
    export = client.get(reverse("students:census_hamlet", args=[hamlet.pk]), {"year": year.pk, "format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    index = client.get(reverse("students:census"), {"year": year.pk}).content.decode()
    assert hamlet.name in index
    assert client_for(cast.principal_a).get(reverse("students:census_hamlet", args=[hamlet.pk])).status_code == 403


def test_a_child_who_dropped_out_is_not_in_school_and_one_enrolled_beyond_sight_is(cast, client_for):
    """ "In school" is an ongoing enrolment this year anywhere (`selectors.enrolled_anywhere`), whoever may see it."""
    from apps.students.models import CensusRecord, CensusStatus, Enrolment
    from apps.students.selectors import census_of_hamlet, enrolled_anywhere

    year = SchoolYear.objects.get(province=cast.province, start_year=2025)
    records = CensusRecord.objects.filter(year=year, hamlet__parent=cast.commune_a, status=CensusStatus.IN_SCHOOL)
    record = records.filter(child__enrolments__year=year, child__enrolments__ongoing=True).first()
    hamlet, child = record.hamlet, record.child
    seen = {r.child_id: r for r in census_of_hamlet(cast.commune_officer, hamlet, year)}
    assert seen[child.pk].enrolled and not seen[child.pk].unlisted
    Enrolment.objects.filter(child=child, start_year=2025).update(ongoing=False)  # as a recorded dropout leaves it
    seen = {r.child_id: r for r in census_of_hamlet(cast.commune_officer, hamlet, year)}
    assert not seen[child.pk].enrolled and seen[child.pk].unlisted  # "in school" by the census, on no roster
    assert enrolled_anywhere([child.pk], 2025) == {}


def test_enrolled_anywhere_narrows_to_the_levels_asked(cast):
    from apps.schools.models import Level
    from apps.students.models import Enrolment
    from apps.students.selectors import enrolled_anywhere

    enrolment = Enrolment.objects.filter(school=cast.school_a, start_year=2025, ongoing=True).first()
    assert cast.school_a.levels & Level.PRIMARY
    assert set(enrolled_anywhere([enrolment.child_id], 2025, Level.PRIMARY)) == {enrolment.child_id}
    assert enrolled_anywhere([enrolment.child_id], 2025, Level.UPPER_SECONDARY) == {}
    assert enrolled_anywhere([enrolment.child_id], 2026) == {}
