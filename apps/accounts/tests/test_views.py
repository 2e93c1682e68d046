import pytest
from django.urls import reverse

from apps.accounts.models import User

HOME_SHOWS = {
    # member: (names their home page shows, names it must not show)
    "province_officer": (["Thành phố Đà Nẵng", "Cán bộ Sở GDĐT"], []),
    "commune_officer": (["Xã Trà Linh", "Cán bộ UBND xã"], ["Hải Châu", "Phù Đổng"]),
    "principal_a": (["Trường PTDTBT Tiểu học Trà Nam", "Hiệu trưởng"], ["Hải Châu", "Phù Đổng"]),
    "teacher_a": (["Trường PTDTBT Tiểu học Trà Nam", "Giáo viên"], ["Hải Châu", "Phù Đổng", "Người dùng"]),
    "teacher_b": (["Trường Tiểu học Phù Đổng", "Giáo viên"], ["Trà Linh", "Trà Nam"]),
    "partner": (["Hội Khuyến học xã Trà Linh", "Cán bộ tổ chức phối hợp"], ["Hải Châu", "Phù Đổng", "Người dùng"]),
}


@pytest.mark.parametrize("member", sorted(HOME_SHOWS))
def test_every_demo_user_lands_on_a_home_page_of_their_own_scope(cast, client_for, member):
    page = client_for(getattr(cast, member)).get(reverse("home")).content.decode()
    shows, hides = HOME_SHOWS[member]
    assert all(name in page for name in shows), shows
    assert not any(name in page for name in hides), [name for name in hides if name in page]


class TestHome:
    def test_each_role_lands_on_a_home_page_of_its_scope(self, cast, client_for):
        page = client_for(cast.teacher_b).get(reverse("home")).content.decode()
        assert "Giáo viên" in page and "Trường Tiểu học Phù Đổng" in page
        assert "Trà Linh" not in page

    def test_the_commune_officer_sees_its_commune_and_school_count(self, cast, client_for):
        page = client_for(cast.commune_officer).get(reverse("home")).content.decode()
        assert "Xã Trà Linh" in page and ">4<" in page


class TestUserCreatePage:
    def test_the_commune_officer_creates_a_teacher(self, cast, client_for):
        response = client_for(cast.commune_officer).post(
            reverse("accounts:user_create"),
            {
                "username": "gv.web",
                "full_name": "Giáo Viên Web",
                "password": "mat-khau-web-2025",
                "email": "",
                "phone": "",
                "role": "teacher",
                "target": f"school:{cast.school_a.pk}",
            },
        )
        assert response.status_code == 302
        assert User.objects.get(username="gv.web").role_assignments.get().school == cast.school_a

    def test_a_school_outside_the_scope_is_not_even_offered(self, cast, client_for):
        page = client_for(cast.commune_officer).get(reverse("accounts:user_create")).content.decode()
        assert cast.school_a.name in page and cast.school_b.name not in page

    def test_a_forged_target_is_refused_with_a_message(self, cast, client_for):
        response = client_for(cast.principal_a).post(
            reverse("accounts:user_create"),
            {
                "username": "gv.gia",
                "full_name": "X",
                "password": "mat-khau-web-2025",
                "email": "",
                "phone": "",
                "role": "teacher",
                "target": f"school:{cast.school_b.pk}",
            },
        )
        assert response.status_code == 400 and not User.objects.filter(username="gv.gia").exists()


class TestUserPagesShowOnlyRolesInScope:
    def test_a_role_elsewhere_is_not_shown_to_the_commune(self, cast, client_for):
        from apps.accounts.models import Role
        from apps.accounts.services import role_grant

        role_grant(actor=cast.admin, user=cast.teacher_a, role=Role.COMMUNE_OFFICER, org_unit=cast.commune_b)
        client = client_for(cast.commune_officer)
        for url in (reverse("accounts:user_detail", args=[cast.teacher_a.pk]), reverse("accounts:user_list")):
            page = client.get(url).content.decode()
            assert "Trường PTDTBT Tiểu học Trà Nam" in page and "Phường Hải Châu" not in page

    def test_a_principal_revokes_a_teacher_and_can_grant_again(self, cast, client_for):
        from apps.accounts.models import RoleAssignment

        client = client_for(cast.principal_a)
        assignment = RoleAssignment.objects.get(user=cast.teacher_a)
        client.post(reverse("accounts:role_revoke", args=[cast.teacher_a.pk, assignment.pk]))
        assert client.get(reverse("accounts:user_detail", args=[cast.teacher_a.pk])).status_code == 200
        response = client.post(
            reverse("accounts:role_grant", args=[cast.teacher_a.pk]),
            {"role": "teacher", "target": f"school:{cast.school_a.pk}"},
        )
        assert response.status_code == 302
        assert RoleAssignment.objects.active().filter(user=cast.teacher_a).count() == 1

    def test_a_principal_is_not_offered_to_revoke_their_own_role(self, cast, client_for):
        page = client_for(cast.principal_a).get(reverse("accounts:user_detail", args=[cast.principal_a.pk]))
        assert page.status_code == 404  # principals manage teachers, not principals


def test_changing_ones_password_is_audited(cast, client_for):
    from apps.core.models import AuditEvent

    cast.teacher_a.set_password("mat-khau-cu-2025")
    cast.teacher_a.save()
    response = client_for(cast.teacher_a).post(
        reverse("password_change"),
        {
            "old_password": "mat-khau-cu-2025",
            "new_password1": "mat-khau-moi-2026",
            "new_password2": "mat-khau-moi-2026",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="accounts.password_change", actor=cast.teacher_a).count() == 1


def test_only_grantable_roles_are_offered(cast, client_for):
    page = client_for(cast.principal_a).get(reverse("accounts:user_create")).content.decode()
    assert 'value="teacher"' in page and 'value="partner_officer"' in page
    assert 'value="principal"' not in page and 'value="system_admin"' not in page
    page = client_for(cast.commune_officer).get(reverse("accounts:user_create")).content.decode()
    assert 'value="principal"' in page and 'value="province_officer"' not in page
