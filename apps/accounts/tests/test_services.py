import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from apps.accounts.models import ApiToken, Role, RoleAssignment, User
from apps.accounts.services import api_token_create, role_grant, role_revoke, user_create
from apps.core.models import AuditEvent
from apps.schools.models import School

PASSWORD = "mat-khau-rat-dai-2025"


class TestUserCreate:
    def test_commune_officer_creates_a_teacher_for_a_school_it_manages(self, cast):
        user = user_create(
            actor=cast.commune_officer,
            username="gv.moi",
            password=PASSWORD,
            full_name="Giáo Viên Mới",
            role=Role.TEACHER,
            school=cast.school_a,
        )
        assert set(School.objects.restrict(user).values_list("pk", flat=True)) == {cast.school_a.pk}
        assert AuditEvent.objects.filter(action="accounts.user_create", object_id=str(user.pk)).exists()

    def test_commune_officer_creates_a_colleague_for_the_commune(self, cast):
        user = user_create(
            actor=cast.commune_officer,
            username="xa.moi",
            password=PASSWORD,
            role=Role.COMMUNE_OFFICER,
            org_unit=cast.commune_a,
        )
        assert user.role_assignments.get().org_unit == cast.commune_a

    def test_nobody_grants_above_their_own_scope(self, cast):
        with pytest.raises(Http404):
            user_create(
                actor=cast.commune_officer,
                username="so.moi",
                password=PASSWORD,
                role=Role.PROVINCE_OFFICER,
                org_unit=cast.province,
            )
        assert not User.objects.filter(username="so.moi").exists()

    def test_commune_officer_cannot_staff_a_school_of_another_commune(self, cast):
        with pytest.raises(Http404):
            user_create(
                actor=cast.commune_officer,
                username="gv.khac",
                password=PASSWORD,
                role=Role.TEACHER,
                school=cast.school_b,
            )

    def test_commune_officer_cannot_appoint_staff_of_a_province_managed_school(self, cast):
        with pytest.raises(PermissionDenied):
            user_create(
                actor=cast.commune_officer,
                username="ht.thpt",
                password=PASSWORD,
                role=Role.PRINCIPAL,
                school=cast.school_upper,
            )

    def test_a_principal_adds_teachers_but_not_principals(self, cast):
        user_create(
            actor=cast.principal_a, username="gv.a2", password=PASSWORD, role=Role.TEACHER, school=cast.school_a
        )
        with pytest.raises(PermissionDenied):
            user_create(
                actor=cast.principal_a, username="ht.a2", password=PASSWORD, role=Role.PRINCIPAL, school=cast.school_a
            )

    def test_a_teacher_grants_nothing(self, cast):
        with pytest.raises(PermissionDenied):
            user_create(
                actor=cast.teacher_a, username="gv.a3", password=PASSWORD, role=Role.TEACHER, school=cast.school_a
            )

    def test_only_a_system_admin_makes_a_system_admin(self, cast):
        with pytest.raises(PermissionDenied):
            user_create(actor=cast.province_officer, username="qt.moi", password=PASSWORD, role=Role.SYSTEM_ADMIN)
        admin2 = user_create(actor=cast.admin, username="qt.moi", password=PASSWORD, role=Role.SYSTEM_ADMIN)
        assert admin2.is_staff and admin2.is_superuser

    def test_a_weak_password_is_refused(self, cast):
        with pytest.raises(ValidationError):
            user_create(
                actor=cast.commune_officer,
                username="gv.yeu",
                password="123456789012",
                role=Role.TEACHER,
                school=cast.school_a,
            )

    def test_a_role_needs_the_right_kind_of_target(self, cast):
        with pytest.raises(ValidationError):
            role_grant(
                actor=cast.province_officer, user=cast.teacher_a, role=Role.COMMUNE_OFFICER, org_unit=cast.province
            )


class TestRevoke:
    def test_revoking_keeps_the_row_and_ends_the_scope(self, cast):
        assignment = RoleAssignment.objects.get(user=cast.teacher_a)
        role_revoke(actor=cast.commune_officer, assignment=assignment)
        assignment.refresh_from_db()
        assert assignment.revoked_by == cast.commune_officer and assignment.revoked_at is not None
        fresh = User.objects.get(pk=cast.teacher_a.pk)
        assert not School.objects.restrict(fresh).exists()

    def test_another_commune_cannot_revoke(self, cast):
        assignment = RoleAssignment.objects.get(user=cast.teacher_a)
        with pytest.raises(Http404):
            role_revoke(actor=cast.other_commune_officer, assignment=assignment)


class TestUserScope:
    def test_commune_officer_sees_the_users_of_its_commune_and_schools(self, cast):
        names = set(User.objects.restrict(cast.commune_officer).values_list("username", flat=True))
        assert {"xa.tralinh", "hieutruong.tranam", "giaovien.tranam", "khuyenhoc.tralinh"} <= names
        assert "giaovien.phudong" not in names and "so.gddt" not in names

    def test_teachers_see_no_accounts(self, cast):
        assert not User.objects.restrict(cast.teacher_a).exists()


def test_an_api_token_is_stored_only_as_a_hash(cast):
    token, raw = api_token_create(actor=cast.teacher_a, name="Máy chủ trường")
    assert raw.startswith("dt_") and raw not in token.key_hash
    assert ApiToken.objects.authenticate(raw).user == cast.teacher_a
    assert ApiToken.objects.authenticate(raw + "x") is None


def test_creating_a_partner_officer_is_logged_under_the_organisations_unit(cast):
    user = user_create(
        actor=cast.commune_officer,
        username="dt.moi",
        password=PASSWORD,
        role=Role.PARTNER_OFFICER,
        organisation=cast.organisation,
    )
    event = AuditEvent.objects.get(action="accounts.user_create", object_id=str(user.pk))
    assert event.org_unit == cast.commune_a
