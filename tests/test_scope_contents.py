"""The scope walk's second half: not only the status of every page, but what every list, export and API list
holds, for each member of the cast, compared with what their scope allows (the same MATRIX as
`test_scope_walk`). An object the matrix hides from a member must not appear in any list they open; one they may
see must appear when the list is narrowed to it. A list that forgets `restrict` fails here (a planted one does)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.app_modules import app_modules
from tests.test_scope_walk import EXPECT, MEMBERS, OBJECTS, H, obj_for

# Every app's lists (apps/<app>/tests/scope_routes.py, `LISTS`): for each, the kind of objects it lists, how it is
# narrowed to one of them (so pagination never hides it) and how one shows in it. A page a member may not open
# (403) is checked by the walk.
LISTS = {k: v for m in app_modules("tests.scope_routes") for k, v in getattr(m, "LISTS", {}).items()}
LABELS = {
    "child": ["child_a", "child_a2", "child_b"],
    "school": ["school_a", "school_b", "school_upper"],
    "user": ["user_teacher_a", "user_teacher_b"],
    "import_job": ["job_a"],
}


def holds(response, mark) -> bool:
    """Whether a list shows the object: a link or text in a page's HTML or an export's cells, or (key, value) in
    one of an API list's items."""
    if isinstance(mark, tuple):
        key, value = mark
        return any(item.get(key) == value for item in response.json()["items"])
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        return any(mark in (str(c) for c in row) for row in sheet.iter_rows(values_only=True))
    return mark in response.content.decode()


def leaks_and_misses(cast, client, member, name) -> tuple[list, list]:
    kind, narrow, mark = LISTS[name]
    leaks, misses = [], []
    for label in LABELS.get(kind) or OBJECTS[kind]:  # an app's own kind: all its objects in the walk
        obj = obj_for(cast, label)
        response = client.get(reverse(name), narrow(obj))
        if response.status_code == 403:
            continue  # the member may not open this list at all (the walk checks that answer)
        assert response.status_code == 200, (member, name, response.status_code)
        present = holds(response, mark(obj))
        hidden = EXPECT[member][label] == H
        if present and hidden:
            leaks.append(label)
        elif not present and not hidden:
            misses.append(label)
    return leaks, misses


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("member", [m for m in MEMBERS if m != "anonymous"])
def test_every_list_holds_what_the_scope_allows_and_nothing_else(cast, client_for, member, name):
    assert leaks_and_misses(cast, client_for(getattr(cast, member)), member, name) == ([], [])


def test_a_list_that_forgets_restrict_is_caught(cast, client_for, monkeypatch):
    from apps.schools import selectors
    from apps.schools.models import School

    monkeypatch.setattr(selectors.School.objects, "restrict", lambda user, action="view": School.objects.all())
    leaks, _misses = leaks_and_misses(cast, client_for(cast.teacher_a), "teacher_a", "schools:list")
    assert "school_b" in leaks


def test_a_registered_contribution_widens_every_list_the_walk_reads(cast, client_for, monkeypatch):
    """A mentor's contribution (as casework registers it): teacher B sees child A in every child list, and still
    nothing else of school A."""
    from django.db.models import Q

    from apps.core import scoping
    from tests import test_scope_walk

    mentee = obj_for(cast, "child_a")

    def mentoring(scope, action):
        return Q(pk=mentee.pk) if action == "view" and scope.user_id == cast.teacher_b.pk else scoping.NOTHING

    def enrolment_of_mentee(scope, action):
        return Q(child_id=mentee.pk) if action == "view" and scope.user_id == cast.teacher_b.pk else scoping.NOTHING

    expect = {member: dict(row) for member, row in EXPECT.items()}
    expect["teacher_b"]["child_a"] = "view"
    monkeypatch.setattr(test_scope_walk, "EXPECT", expect)
    monkeypatch.setitem(globals(), "EXPECT", expect)
    scoping.contribute("students.child", mentoring)
    scoping.contribute("students.enrolment", enrolment_of_mentee)
    try:
        client = client_for(cast.teacher_b)
        for name in ("students:list", "students:export", "api:list_enrolments"):
            assert leaks_and_misses(cast, client, "teacher_b", name) == ([], []), name
    finally:
        scoping.withdraw("students.child", mentoring)
        scoping.withdraw("students.enrolment", enrolment_of_mentee)
    assert leaks_and_misses(cast, client, "teacher_b", "students:list") == ([], ["child_a"])  # the walk sees it go
