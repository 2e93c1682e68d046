from apps.accounts.services import api_token_create
from apps.core.models import AuditEvent


def bearer(client, user):
    _token, raw = api_token_create(actor=user, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"


def test_a_teacher_reads_only_their_class_and_the_read_is_logged(cast, client):
    bearer(client, cast.teacher_a)
    data = client.get("/api/v1/students/enrolments").json()
    assert data["count"] == 4 and {e["class_name"] for e in data["items"]} == {"1A"}
    assert AuditEvent.objects.filter(action="students.api_list_read", actor=cast.teacher_a).exists()


def test_a_child_with_the_visible_history(cast, client):
    bearer(client, cast.principal_a)
    first = client.get("/api/v1/students/enrolments", {"grade": "1"}).json()["items"][0]
    child = client.get(f"/api/v1/students/children/{first['child_id']}").json()
    assert child["enrolments"][0]["events"][0]["kind"] == "enrolled"
    bearer(client, cast.teacher_b)
    assert client.get(f"/api/v1/students/children/{first['child_id']}").status_code == 404
