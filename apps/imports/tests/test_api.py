import io

from apps.accounts.services import api_token_create
from apps.imports.models import ImportJob
from apps.schools.models import SchoolYear
from apps.students.tests.test_importers import ROWS, roster


def bearer(client, user):
    _token, raw = api_token_create(actor=user, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"


def upload(client, cast, data, name="ds.xlsx", **fields):
    file = io.BytesIO(data)
    file.name = name
    year = SchoolYear.objects.get(province=cast.province, start_year=2025)
    return client.post("/api/v1/imports/", {"file": file, "year": year.pk, **fields})


def test_upload_revise_and_discard_through_the_api(cast, client, django_capture_on_commit_callbacks):
    bearer(client, cast.principal_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, cast, roster(ROWS), kind="students.roster", school=cast.school_a.pk)
    assert response.status_code == 201, response.content
    job = response.json()
    assert job["kind"] == "students.roster" and "Trà Nam" in job["target"]
    detail = client.get(f"/api/v1/imports/{job['id']}").json()
    assert detail["status"] == "checked" and detail["summary"]["rows"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        revised = client.post(
            f"/api/v1/imports/{job['id']}/revise", {"mapping": {"student_code": None}}, content_type="application/json"
        )
    assert revised.status_code == 200, revised.content
    mapping = ImportJob.objects.get(pk=job["id"]).mapping
    assert mapping["student_code"] is None and mapping["full_name"] == detail["summary"]["columns"]["full_name"]
    discarded = client.post(f"/api/v1/imports/{job['id']}/discard")
    assert discarded.status_code == 200 and discarded.json()["status"] == "discarded"
    assert client.post(f"/api/v1/imports/{job['id']}/confirm").status_code == 400


def test_the_school_a_file_does_not_name_is_chosen_through_the_api(cast, client, django_capture_on_commit_callbacks):
    bearer(client, cast.commune_officer)
    with django_capture_on_commit_callbacks(execute=True):
        job = upload(client, cast, roster(ROWS), kind="students.roster").json()
    assert client.get(f"/api/v1/imports/{job['id']}").json()["summary"]["target_missing"] is True
    url = f"/api/v1/imports/{job['id']}/revise"
    assert client.post(url, {"target": cast.school_b.pk}, content_type="application/json").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        revised = client.post(url, {"target": cast.school_a.pk}, content_type="application/json")
    assert revised.status_code == 200 and "Trà Nam" in revised.json()["target"]
    summary = client.get(f"/api/v1/imports/{job['id']}").json()["summary"]
    assert summary["rows"] == 3 and summary["target_missing"] is False


def test_an_unknown_kind_and_rights_are_answered_like_everywhere_else(cast, client):
    bearer(client, cast.teacher_a)
    assert upload(client, cast, b"STT\n", kind="students.nothing").status_code == 400
    assert upload(client, cast, b"STT\n", kind="students.roster", school=cast.school_a.pk).status_code == 403
    bearer(client, cast.commune_officer)
    response = upload(client, cast, b"STT\n", kind="orgunits.hamlets", commune=cast.commune_b.pk)
    assert response.status_code == 404
    # A commune that does not exist answers exactly as one that is not yours.
    missing = upload(client, cast, b"STT\n", kind="orgunits.hamlets", commune=987654321)
    assert (missing.status_code, missing.json()) == (404, response.json())
    bearer(client, cast.principal_a)
    other_school = upload(client, cast, b"STT\n", kind="students.roster", school=cast.school_b.pk)
    no_school = upload(client, cast, b"STT\n", kind="students.roster", school=987654321)
    assert other_school.status_code == no_school.status_code == 404 and other_school.json() == no_school.json()


def test_hamlets_import_through_the_same_layer(cast, client, django_capture_on_commit_callbacks):
    bearer(client, cast.commune_officer)
    data = "Tên thôn\nThôn Qua API\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        job = upload(client, cast, data, name="thon.csv", kind="orgunits.hamlets", commune=cast.commune_a.pk).json()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(f"/api/v1/imports/{job['id']}/confirm")
    assert confirmed.status_code == 200
    assert client.get(f"/api/v1/imports/{job['id']}").json()["summary"]["result"] == {"created": 1}
