from django.urls import reverse

from apps.core.models import AuditEvent
from apps.schools.models import School


class TestDjangoAdmin:
    def test_system_admins_read_schools_but_do_not_write_them_there(self, cast, client_for):
        client = client_for(cast.admin)
        url = reverse("admin:schools_school_change", args=[cast.school_a.pk])
        assert client.get(url).status_code == 200
        client.post(url, {"name": "Đổi qua admin"})
        assert School.objects.get(pk=cast.school_a.pk).name == cast.school_a.name
        assert client.get(reverse("admin:schools_school_add")).status_code == 403

    def test_deactivating_an_account_is_audited(self, cast, client_for):
        client = client_for(cast.admin)
        url = reverse("admin:accounts_user_change", args=[cast.teacher_a.pk])
        roles = list(cast.teacher_a.role_assignments.all())
        formset = {"role_assignments-TOTAL_FORMS": len(roles), "role_assignments-INITIAL_FORMS": len(roles)}
        for i, role in enumerate(roles):
            formset |= {f"role_assignments-{i}-id": role.pk, f"role_assignments-{i}-user": cast.teacher_a.pk}
        response = client.post(url, formset)  # the is_active box left unticked
        assert response.status_code == 302, response.content.decode()[:2000]
        cast.teacher_a.refresh_from_db()
        assert not cast.teacher_a.is_active
        event = AuditEvent.objects.get(action="accounts.user_admin_change", object_id=str(cast.teacher_a.pk))
        assert event.changes == {"is_active": False} and event.actor == cast.admin

    def test_others_have_no_admin(self, cast, client_for):
        assert client_for(cast.province_officer).get(reverse("admin:index")).status_code == 302
