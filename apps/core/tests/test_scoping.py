import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.core.scoping import CHANGE, MANAGE, VIEW, get_scoped_or_404
from apps.orgunits.models import OrgUnit
from apps.schools.models import School


def visible_schools(user, action=VIEW):
    return set(School.objects.restrict(user, action).values_list("moet_code", flat=True))


class TestRestrictSchools:
    def test_province_officer_sees_every_school_of_the_province(self, cast):
        assert visible_schools(cast.province_officer) == set(School.objects.values_list("moet_code", flat=True))

    def test_commune_officer_sees_only_schools_of_their_commune(self, cast):
        codes = visible_schools(cast.commune_officer)
        assert cast.school_a.moet_code in codes and cast.school_upper.moet_code in codes
        assert cast.school_b.moet_code not in codes
        assert set(School.objects.filter(location=cast.commune_a).values_list("moet_code", flat=True)) == codes

    def test_school_managed_by_the_province_is_seen_but_not_changed_by_the_commune(self, cast):
        assert cast.school_upper.moet_code in visible_schools(cast.commune_officer)
        assert cast.school_upper.moet_code not in visible_schools(cast.commune_officer, CHANGE)
        assert cast.school_upper.moet_code in visible_schools(cast.province_officer, CHANGE)

    def test_teacher_sees_only_their_school(self, cast):
        assert visible_schools(cast.teacher_a) == {cast.school_a.moet_code}
        assert visible_schools(cast.teacher_b) == {cast.school_b.moet_code}

    def test_principal_manages_but_does_not_change_their_school(self, cast):
        assert visible_schools(cast.principal_a, MANAGE) == {cast.school_a.moet_code}
        assert visible_schools(cast.principal_a, CHANGE) == set()

    def test_anonymous_sees_nothing(self, cast):
        assert visible_schools(cast.anonymous) == set()

    def test_a_user_without_roles_sees_nothing(self, cast, django_user_model):
        nobody = django_user_model.objects.create_user("nobody", password="x" * 12)
        assert visible_schools(nobody) == set()

    def test_unknown_action_is_refused(self, cast):
        with pytest.raises(ValueError):
            School.objects.restrict(cast.teacher_a, "delete")


class TestRestrictOrgUnits:
    def test_commune_officer_sees_their_commune_and_its_hamlets_only(self, cast):
        current = OrgUnit.objects.restrict(cast.commune_officer).current()
        assert set(current.values_list("pk", flat=True)) == set(
            OrgUnit.objects.current().filter(path__startswith=cast.commune_a.path).values_list("pk", flat=True)
        )

    def test_everyone_signed_in_sees_pre_2025_units(self, cast):
        old = OrgUnit.objects.historical().get(level=3, code="20953")  # Xã Trà Nam
        assert OrgUnit.objects.restrict(cast.teacher_b).filter(pk=old.pk).exists()
        assert not OrgUnit.objects.restrict(cast.anonymous).filter(pk=old.pk).exists()

    def test_a_retired_hamlet_stays_within_its_commune(self, cast):
        from apps.orgunits.services import hamlet_create, hamlet_retire

        hamlet = hamlet_retire(
            actor=cast.commune_officer,
            hamlet=hamlet_create(actor=cast.commune_officer, commune=cast.commune_a, name="Thôn Cũ"),
            on=datetime.date.today(),
        )
        assert OrgUnit.objects.restrict(cast.commune_officer).filter(pk=hamlet.pk).exists()
        assert not OrgUnit.objects.restrict(cast.teacher_b).filter(pk=hamlet.pk).exists()

    def test_pre_2025_units_cannot_be_changed_by_officers(self, cast):
        changeable_old = OrgUnit.objects.restrict(cast.province_officer, CHANGE).historical()
        assert not changeable_old.exclude(level=OrgUnit.Level.HAMLET).exists()


class TestGetScopedOr404:
    def test_out_of_scope_is_404(self, cast):
        with pytest.raises(Http404):
            get_scoped_or_404(School.objects.all(), cast.teacher_a, VIEW, pk=cast.school_b.pk)

    def test_read_only_is_403(self, cast):
        with pytest.raises(PermissionDenied):
            get_scoped_or_404(School.objects.all(), cast.teacher_a, CHANGE, pk=cast.school_a.pk)

    def test_allowed_returns_the_object(self, cast):
        assert (
            get_scoped_or_404(School.objects.all(), cast.commune_officer, CHANGE, pk=cast.school_a.pk) == cast.school_a
        )
