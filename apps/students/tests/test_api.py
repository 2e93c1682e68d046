from apps.accounts.services import api_token_create
from apps.core.models import AuditEvent
from apps.orgunits.models import OrgUnit
from apps.students.models import ClassGroup, Enrolment


def bearer(client, user):
    _token, raw = api_token_create(actor=user, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"


def test_a_teacher_reads_only_their_class_and_the_read_is_logged(cast, client):
    bearer(client, cast.teacher_a)
    data = client.get("/api/v1/students/enrolments").json()
    assert data["count"] == 28 and {e["class_name"] for e in data["items"]} == {"1A"}
    assert AuditEvent.objects.filter(action="students.api_list_read", actor=cast.teacher_a).exists()


def test_a_child_with_the_visible_history(cast, client):
    bearer(client, cast.principal_a)
    first = client.get("/api/v1/students/enrolments", {"grade": "1"}).json()["items"][0]
    child = client.get(f"/api/v1/students/children/{first['child_id']}").json()
    assert child["enrolments"][0]["events"][0]["kind"] == "enrolled"
    bearer(client, cast.teacher_b)
    assert client.get(f"/api/v1/students/children/{first['child_id']}").status_code == 404


class TestEnrolmentFilters:
    def test_the_class_and_hamlet_filters_narrow_the_callers_list(self, cast, client):
        bearer(client, cast.principal_a)
        group = ClassGroup.objects.get(school=cast.school_a, name="3A")
        data = client.get("/api/v1/students/enrolments", {"class_group": group.pk}).json()
        assert data["count"] == Enrolment.objects.filter(class_group=group).count() > 0
        assert {e["class_name"] for e in data["items"]} == {"3A"}
        hamlet = Enrolment.objects.filter(school=cast.school_a).first().child.hamlet
        data = client.get("/api/v1/students/enrolments", {"hamlet": hamlet.pk}).json()
        expected = Enrolment.objects.filter(school=cast.school_a, child__hamlet=hamlet).values_list("pk", flat=True)
        # The demo's two years hold more than a page (PAGE_SIZE) of them: the count is all of them, the page some.
        assert data["count"] == len(expected) and {e["id"] for e in data["items"]} <= set(expected)

    def test_a_class_or_hamlet_out_of_scope_matches_nothing(self, cast, client):
        bearer(client, cast.principal_a)
        theirs = ClassGroup.objects.get(school=cast.school_b, name="2A")
        hamlet = OrgUnit.objects.filter(parent=cast.commune_b, type=OrgUnit.Type.HAMLET).first()
        for query in ({"class_group": theirs.pk}, {"hamlet": hamlet.pk}, {"school": cast.school_b.pk}):
            response = client.get("/api/v1/students/enrolments", query)
            assert response.status_code == 200 and response.json() == {"items": [], "count": 0}

    def test_an_id_no_row_can_have_is_refused(self, cast, client):
        bearer(client, cast.province_officer)
        for name in ("class_group", "hamlet", "school"):
            assert client.get("/api/v1/students/enrolments", {name: 2**70}).status_code == 422


class TestImports:
    def test_upload_poll_and_confirm_a_roster(self, cast, client, django_capture_on_commit_callbacks):
        import io

        from apps.schools.models import SchoolYear
        from apps.students.models import Child
        from apps.students.tests.test_importers import ROWS, roster

        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        bearer(client, cast.principal_a)
        file = io.BytesIO(roster(ROWS))
        file.name = "ds.xlsx"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/api/v1/students/imports", {"file": file, "year": year.pk, "school": cast.school_a.pk}
            )
        assert response.status_code == 201, response.content
        job = response.json()
        assert (job["kind"], job["school_code"], job["commune_code"], job["year"]) == (
            "roster",
            cast.school_a.moet_code,
            None,
            "2025-2026",
        )  # the shape the alias's clients were written for
        detail = client.get(f"/api/v1/students/imports/{job['id']}").json()
        assert detail["status"] == "checked" and detail["summary"]["rows"] == 3
        assert job["id"] in [j["id"] for j in client.get("/api/v1/students/imports").json()["items"]]
        with django_capture_on_commit_callbacks(execute=True):
            confirmed = client.post(f"/api/v1/students/imports/{job['id']}/confirm")
        assert confirmed.status_code == 200 and Child.objects.filter(name_folded="ho van trong").exists()
        again = client.post(f"/api/v1/students/imports/{job['id']}/confirm")
        assert again.status_code == 400 and "không chờ xác nhận" in again.json()["detail"]
        # Another school's teacher neither sees the job nor confirms it.
        bearer(client, cast.teacher_b)
        assert client.get(f"/api/v1/students/imports/{job['id']}").status_code == 404
        assert client.post(f"/api/v1/students/imports/{job['id']}/confirm").status_code == 404

    def test_an_upload_for_a_school_or_commune_out_of_reach(self, cast, client):
        import io

        from apps.schools.models import SchoolYear

        year = SchoolYear.objects.get(province=cast.province, start_year=2025)
        bearer(client, cast.teacher_a)
        file = io.BytesIO(b"STT,Ho va ten\n")
        file.name = "ds.csv"
        response = client.post("/api/v1/students/imports", {"file": file, "year": year.pk, "school": cast.school_a.pk})
        assert response.status_code == 403  # a teacher reads school A but does not import into it
        bearer(client, cast.commune_officer)
        file.seek(0)
        response = client.post(
            "/api/v1/students/imports",
            {"file": file, "year": year.pk, "kind": "census", "commune": cast.commune_b.pk},
        )
        assert response.status_code == 404


class TestClassRecords:
    """A class's absences and results through the API: read by those who read the class, written by its homeroom
    teacher and school's managers (403 read-only, 404 out of sight, 422 refused with nothing written)."""

    def test_the_homeroom_teacher_writes_and_reads_a_months_absences(self, cast, client):
        import datetime

        from apps.students.records import Absence

        group = ClassGroup.objects.get(school=cast.school_a, name="1A", year__start_year=2025)
        pupil = Enrolment.objects.filter(class_group=group).order_by("pk").first()
        url = f"/api/v1/students/classes/{group.pk}/absences"
        body = {"marks": [{"enrolment_id": pupil.pk, "on": "2025-10-06", "mark": "K"}]}
        assert client.post(url, body, content_type="application/json").status_code == 401
        bearer(client, cast.teacher_a)
        written = client.post(url, body, content_type="application/json")
        assert written.status_code == 200 and written.json() == {"created": 1, "changed": 0, "removed": 0}
        assert Absence.objects.filter(enrolment=pupil, on=datetime.date(2025, 10, 6), excused=False).exists()
        listed = client.get(url, {"month": "2025-10"}).json()
        assert {"enrolment_id": pupil.pk, "on": "2025-10-06", "excused": False} in listed
        sunday = {"marks": [{"enrolment_id": pupil.pk, "on": "2025-10-05", "mark": "K"}]}
        refused = client.post(url, sunday, content_type="application/json")
        assert refused.status_code == 422 and "Chủ nhật" in refused.json()["detail"]
        assert client.get(url, {"month": "10/2025"}).status_code == 422
        bearer(client, cast.province_officer)
        assert client.get(url, {"month": "2025-10"}).status_code == 200
        assert client.post(url, body, content_type="application/json").status_code == 403
        bearer(client, cast.teacher_b)
        assert client.get(url).status_code == 404
        assert client.post(url, body, content_type="application/json").status_code == 404

    def test_results_are_written_on_the_grades_scale_and_read_back(self, cast, client):
        from apps.students.records import SemesterResult

        group = ClassGroup.objects.get(school=cast.school_a, name="1A", year__start_year=2025)
        pupil = Enrolment.objects.filter(class_group=group).order_by("pk").first()
        url = f"/api/v1/students/classes/{group.pk}/results"
        bearer(client, cast.principal_a)
        body = {"semester": 1, "results": [{"enrolment_id": pupil.pk, "learning": "cht", "conduct": "dat"}]}
        assert client.post(url, body, content_type="application/json").json() == {
            "created": 1,
            "changed": 0,
            "removed": 0,
        }
        assert client.get(url, {"semester": 1}).json() == [
            {"enrolment_id": pupil.pk, "semester": 1, "learning": "cht", "conduct": "dat"}
        ]
        secondary = {"semester": 1, "results": [{"enrolment_id": pupil.pk, "learning": "kha", "conduct": ""}]}
        refused = client.post(url, secondary, content_type="application/json")
        assert refused.status_code == 422 and "thang đánh giá" in refused.json()["detail"]
        assert SemesterResult.objects.get(enrolment=pupil, semester=1).learning == "cht"
        bearer(client, cast.province_officer)
        assert client.post(url, body, content_type="application/json").status_code == 403
        bearer(client, cast.teacher_b)
        assert client.get(url).status_code == 404
