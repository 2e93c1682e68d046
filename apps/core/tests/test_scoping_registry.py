"""What other apps add to the scope mechanism by registration: contributions that widen a model's view, the
aggregate and public actions, the scope builder, and the check that every model reaching a unit is scoped."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse

from apps.core import scoping
from apps.core.scoping import AGGREGATE, PUBLIC, VIEW, Scope, contribute, unscoped_models, withdraw
from apps.orgunits.models import OrgUnit
from apps.students.models import Child, Enrolment, Guardian, child_q


def test_every_model_that_reaches_a_unit_is_scoped_or_says_through_what():
    assert unscoped_models() == []


@isolate_apps("apps.students")
def test_a_model_reaching_a_unit_with_no_restrict_is_caught():
    class Visit(models.Model):  # planted: a home visit that names a hamlet, with a plain manager
        hamlet = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")

        class Meta:
            app_label = "students"

    class Note(models.Model):  # reached only through its child, and says so
        child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
        scope_parent = "child"

        class Meta:
            app_label = "students"

    class Undeclared(models.Model):  # reaches a unit through a child, says nothing
        child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")

        class Meta:
            app_label = "students"

    assert unscoped_models([Visit, Note, Undeclared, Guardian]) == ["students.Undeclared", "students.Visit"]


@pytest.fixture
def mentoring(cast):
    """A contribution as casework will register one: teacher B mentors a child of school A."""
    mentee = Child.objects.filter(enrolments__school=cast.school_a, guardians__isnull=False).distinct().first()

    def terms(scope, action):
        return models.Q(pk=mentee.pk) if action == VIEW and scope.user_id == cast.teacher_b.pk else scoping.NOTHING

    contribute("students.child", terms)
    yield mentee
    withdraw("students.child", terms)


def test_a_contribution_widens_a_child_s_view_and_what_is_reached_through_it(cast, client_for, mentoring):
    assert Child.objects.restrict(cast.teacher_b).filter(pk=mentoring.pk).exists()
    reached = Guardian.objects.filter(child_q(scoping.scope_for(cast.teacher_b)), child=mentoring)  # through the child
    assert reached.count() == mentoring.guardians.count() > 0
    # the page walks the same rule: the child's page opens for the mentor
    assert client_for(cast.teacher_b).get(reverse("students:child", args=[mentoring.pk])).status_code == 200


def test_without_the_contribution_the_mentor_sees_nothing_of_that_child(cast, client_for):
    child = Child.objects.filter(enrolments__school=cast.school_a).first()
    assert not Child.objects.restrict(cast.teacher_b).filter(pk=child.pk).exists()
    assert client_for(cast.teacher_b).get(reverse("students:child", args=[child.pk])).status_code == 404


def test_partner_officers_count_their_commune_s_children_without_seeing_one(cast):
    assert Child.objects.restrict(cast.partner, VIEW).count() == 0
    counted = Child.objects.restrict(cast.partner, AGGREGATE)
    assert counted.count() > 0 and set(counted.values_list("commune_id", flat=True)) == {cast.commune_a.pk}
    assert Enrolment.objects.restrict(cast.partner, AGGREGATE).filter(school=cast.school_a).exists()
    assert not Enrolment.objects.restrict(cast.partner, AGGREGATE).filter(school=cast.school_b).exists()


def test_public_is_the_one_action_an_empty_scope_passes(cast):
    anonymous = AnonymousUser()
    assert OrgUnit.objects.restrict(anonymous, PUBLIC).filter(pk=cast.commune_a.pk).exists()
    assert not OrgUnit.objects.restrict(anonymous, VIEW).exists()
    assert not Child.objects.restrict(anonymous, PUBLIC).exists() and not Child.objects.restrict(cast.admin, PUBLIC)


def test_the_scope_comes_from_the_builder_the_accounts_app_registered(cast, monkeypatch):
    from apps.accounts.scopes import build_scope

    assert scoping._BUILDER == [build_scope]
    monkeypatch.setattr(scoping, "_BUILDER", [lambda user: Scope(user_id=user.pk, is_admin=True)])
    scoping.forget_scope(cast.teacher_a)
    assert scoping.scope_for(cast.teacher_a).is_admin
    scoping.forget_scope(cast.teacher_a)
