import datetime

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.orgunits.models import OrgUnit
from apps.orgunits.services import hamlet_create, hamlet_retire
from apps.schools.models import Level
from apps.schools.services import school_update


def log_page(client, **params) -> str:
    return client.get(reverse("audit_log"), params).content.decode()


class TestAuditLog:
    def test_a_commune_officer_reads_what_happened_in_their_commune_only(self, cast, client_for):
        hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="Thôn Nhật Ký A")
        hamlet_create(actor=cast.other_commune_officer, commune=cast.commune_b, name="Tổ dân phố Nhật Ký B")
        page = client_for(cast.commune_officer).get(reverse("audit_log"), {"action": "orgunits.hamlet_create"})
        text = page.content.decode()
        assert "Thôn Nhật Ký A" in text and "Tổ dân phố Nhật Ký B" not in text
        assert "Thêm thôn" in text  # the action in words, not its code
        province_page = client_for(cast.province_officer).get(reverse("audit_log")).content.decode()
        assert "Thôn Nhật Ký A" in province_page and "Tổ dân phố Nhật Ký B" in province_page

    def test_teachers_have_no_log_page(self, cast, client_for):
        assert client_for(cast.teacher_a).get(reverse("audit_log")).status_code == 403


class TestAuditLogValues:
    def test_it_shows_names_levels_dates_and_yes_or_no_never_raw_values(self, cast, client_for):
        school_update(actor=cast.commune_officer, school=cast.school_a, levels=Level.PRIMARY | Level.LOWER_SECONDARY)
        hamlet = hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="Thôn Giải Thể")
        hamlet_retire(actor=cast.commune_officer, hamlet=hamlet, on=datetime.date(2025, 9, 5))
        with transaction.atomic():
            audit_record(
                actor=cast.principal_a,
                action="students.enrolment_create",
                org_unit=cast.commune_a,
                object_repr="#1",
                changes={"school": cast.school_a.pk, "grade": "1", "kind": "enrolled"},
            )
            audit_record(
                actor=cast.principal_a,
                action="imports.confirm",
                org_unit=cast.commune_a,
                changes={"kind": "students.roster", "only_valid": True},
            )
        page = log_page(client_for(cast.commune_officer))
        assert f"<strong>school</strong>: {cast.school_a.name}</div>" in page and "Trường " in cast.school_a.name
        assert "<strong>levels</strong>: Tiểu học → Tiểu học, Trung học cơ sở</div>" in page
        assert "<strong>valid_to</strong>: 05/09/2025</div>" in page
        assert (
            "<strong>grade</strong>: Lớp 1</div>" in page and "<strong>kind</strong>: Danh sách học sinh</div>" in page
        )
        assert "<strong>only_valid</strong>: Có</div>" in page
        assert f"<strong>school</strong>: {cast.school_a.pk}<" not in page
        assert "[4, 12]" not in page and "2025-09-05" not in page and "True" not in page

    def test_in_english_the_actions_and_values_read_in_english(self, cast, client_for):
        hamlet = hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="Thôn Tiếng Anh")
        hamlet_retire(actor=cast.commune_officer, hamlet=hamlet, on=datetime.date(2025, 9, 5))
        client = client_for(cast.commune_officer)
        client.cookies["django_language"] = "en"
        page = log_page(client, action="orgunits.hamlet_create")
        assert "Add hamlet" in page and "Thêm thôn" not in page
        page = log_page(client, action="orgunits.hamlet_retire")
        assert "<strong>valid_to</strong>: 05/09/2025</div>" in page

    def test_an_event_of_an_action_no_longer_declared_shows_no_code(self, cast, client_for):
        AuditEvent.objects.create(action="gone.away", org_unit=cast.commune_a, object_repr="Việc Cũ")
        page = log_page(client_for(cast.commune_officer))
        assert "Việc Cũ" in page and "Hành động chưa khai báo" in page and "gone.away" not in page

    def test_a_page_costs_the_same_queries_for_one_event_or_many(self, cast, client_for):
        hamlets = list(OrgUnit.objects.filter(type=OrgUnit.Type.HAMLET).order_by("pk")[:10])
        client = client_for(cast.commune_officer)

        def plant(hamlet):
            with transaction.atomic():
                audit_record(
                    actor=cast.principal_a,
                    action="schools.site_create",
                    org_unit=cast.commune_a,
                    changes={"name": f"Điểm {hamlet.name}", "hamlet": hamlet.pk, "school": cast.school_a.pk},
                )

        def measure():
            with CaptureQueriesContext(connection) as queries:
                page = log_page(client, action="schools.site_create")
            return len(queries), page

        plant(hamlets[0])
        log_page(client)  # the session and the scope, once
        one, _page = measure()
        for hamlet in hamlets[1:]:
            plant(hamlet)
        many, page = measure()
        assert many == one and len(hamlets) == 10
        assert all(f"<strong>hamlet</strong>: {h.display_name}</div>" in page for h in hamlets)
