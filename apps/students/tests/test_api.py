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
        assert sorted(e["id"] for e in data["items"]) == sorted(expected)

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
