from django.urls import reverse

from apps.accounts.models import User


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
        response = client_for(cast.commune_officer).post(reverse("accounts:user_create"), {
            "username": "gv.web", "full_name": "Giáo Viên Web", "password": "mat-khau-web-2025", "email": "",
            "phone": "", "role": "teacher", "target": f"school:{cast.school_a.pk}"})
        assert response.status_code == 302
        assert User.objects.get(username="gv.web").role_assignments.get().school == cast.school_a

    def test_a_school_outside_the_scope_is_not_even_offered(self, cast, client_for):
        page = client_for(cast.commune_officer).get(reverse("accounts:user_create")).content.decode()
        assert cast.school_a.name in page and cast.school_b.name not in page

    def test_a_forged_target_is_refused_with_a_message(self, cast, client_for):
        response = client_for(cast.principal_a).post(reverse("accounts:user_create"), {
            "username": "gv.gia", "full_name": "X", "password": "mat-khau-web-2025", "email": "", "phone": "",
            "role": "teacher", "target": f"school:{cast.school_b.pk}"})
        assert response.status_code == 400 and not User.objects.filter(username="gv.gia").exists()
