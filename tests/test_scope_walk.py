"""Walk every URL pattern with every member of the cast and check the scope rules: no leaks (out of scope
answers 404), no false 404s (in scope answers 200), read-only answers 403. A new URL pattern fails
`test_every_url_pattern_has_a_scope_rule` until it is declared here."""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.accounts.models import RoleAssignment
from apps.imports.models import ImportJob
from apps.orgunits.models import OrgUnit
from apps.schools.models import SchoolYear
from apps.students.models import Enrolment
from tests.app_modules import app_modules

# How each pattern is reached: (HTTP method, kind of object in the URL or None, what the page needs).
# "signed_in": any signed-in user gets 200; "public": anyone gets 200; "skip": exercised elsewhere. The project's
# own patterns are here; each app declares its own in apps/<app>/tests/scope_routes.py.
PROJECT_ROUTES = {
    "home": ("GET", None, "signed_in"),
    "login": ("GET", None, "public"),
    "logout": ("GET", None, "skip"),  # POST only; tested in test_security
    "password_change": ("GET", None, "signed_in"),
    "password_change_done": ("GET", None, "signed_in"),
    "set_language": ("GET", None, "skip"),  # Django's own view
    "api:api-root": ("GET", None, "skip"),
    "api:openapi-json": ("GET", None, "public"),
    "api:openapi-view": ("GET", None, "public"),
}


# Every installed app's declared routes (apps/<app>/tests/scope_routes.py).
ROUTES = {**PROJECT_ROUTES, **{k: v for m in app_modules("tests.scope_routes") for k, v in m.ROUTES.items()}}

H, V, C = "hidden", "view", "change"
# What each member may do with each object: hidden (404), view (read-only: 403 on changes), change.
# Columns: communes A (Trà Linh) and B (Hải Châu), a hamlet of each, the pre-2025 Xã Trà Nam, schools A, B and
# the province's upper-secondary school in commune A, teachers A and B (their accounts and their roles), and
# the province's school year 2025-2026, and three children: in teacher A's class, in another class of school A,
# and in teacher B's class; a roster upload by principal A; and the enrolment of the child in teacher A's class.
MATRIX = """
                 commune_a commune_b hamlet_a hamlet_b old_commune school_a school_b school_upper user_teacher_a user_teacher_b role_teacher_a role_teacher_b year_2025 child_a child_a2 child_b job_a enrolment_a
admin            C         C         C        C        C           C        C        C            C              C              C              C              C         C       C        C       C     C
province_officer C         C         C        C        V           V        V        C            H              H              H              H              C         V       V        V       H     V
commune_officer  C         H         C        H        V           C        H        V            C              H              C              H              V         V       V        H       C     C
principal_a      V         H         V        H        V           V        H        H            C              H              C              H              V         V       V        H       C     C
teacher_a        V         H         V        H        V           V        H        H            H              H              H              H              V         V       H        H       H     V
teacher_b        H         V         H        V        V           H        V        H            H              H              H              H              V         H       H        V       H     H
partner          V         H         V        H        V           V        H        V            H              H              H              H              V         H       H        H       H     H
"""
_rows = [line.split() for line in MATRIX.strip().splitlines()]
assert all(len(row) == len(_rows[0]) + 1 for row in _rows[1:]), "a row of MATRIX has a missing or extra cell"
EXPECT = {
    row[0]: {label: {"H": H, "V": V, "C": C}[cell] for label, cell in zip(_rows[0], row[1:])} for row in _rows[1:]
}
GRANTORS = {"admin", "province_officer", "commune_officer", "principal_a"}
SCHOOL_CREATORS = {"admin", "province_officer", "commune_officer"}
PRINCIPALS_MANAGE = {("principal_a", "school_a")}
PROVINCE = {"admin", "province_officer"}
OFFICERS = {"admin", "province_officer", "commune_officer"}
# The student list: those who govern units and the staff of schools; a partner reaches no child through it.
STUDENT_READERS = OFFICERS | {"principal_a", "teacher_a", "teacher_b"}
OBJECTS = {
    "unit": ["commune_a", "commune_b", "hamlet_a", "old_commune"],
    "hamlet": ["hamlet_a", "hamlet_b"],
    "year": ["year_2025"],
    "child": ["child_a", "child_a2", "child_b"],
    "import_job": ["job_a"],
    "enrolment": ["enrolment_a"],
    "school": ["school_a", "school_b", "school_upper"],
    "user": ["user_teacher_a", "user_teacher_b"],
    "assignment": ["role_teacher_a", "role_teacher_b"],
}
# Objects an app adds to the walk (`OBJECTS` in its scope_routes.py): kind → {label: (find(cast), {member: H/V/C})}.
FINDERS = {}
for _module in app_modules("tests.scope_routes"):
    for _kind, _objects in getattr(_module, "OBJECTS", {}).items():
        for _label, (_find, _rules) in _objects.items():
            assert set(_rules) == set(EXPECT), f"{_label}: a rule for every member of the cast"
            OBJECTS.setdefault(_kind, []).append(_label)
            FINDERS[_label] = _find
            for _member, _cell in _rules.items():
                EXPECT[_member][_label] = {"H": H, "V": V, "C": C}[_cell]
MEMBERS = list(EXPECT) + ["anonymous"]


def url_names(patterns=None, namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # Django's admin: system administrators only, checked by Django itself
            yield from url_names(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield namespace + p.name


def test_every_url_pattern_has_a_scope_rule():
    assert sorted(set(url_names()) - set(ROUTES)) == []


def obj_for(cast, label):
    if label in FINDERS:
        return FINDERS[label](cast)
    if label in ("commune_a", "commune_b", "school_a", "school_b", "school_upper"):
        return getattr(cast, label)
    if label in ("hamlet_a", "hamlet_b"):
        commune = cast.commune_a if label == "hamlet_a" else cast.commune_b
        return OrgUnit.objects.current().filter(parent=commune, type="hamlet").first()
    if label == "old_commune":
        return OrgUnit.objects.historical().get(level=3, code="20953")
    if label == "year_2025":
        return SchoolYear.objects.get(province=cast.province, start_year=2025)
    if label in ("child_a", "child_a2", "child_b"):
        school, class_name = {
            "child_a": (cast.school_a, "1A"),
            "child_a2": (cast.school_a, "2A"),
            "child_b": (cast.school_b, "2A"),
        }[label]
        return Enrolment.objects.filter(school=school, class_group__name=class_name).first().child
    if label == "enrolment_a":
        return Enrolment.objects.filter(school=cast.school_a, class_group__name="1A").first()
    if label == "job_a":
        return ImportJob.objects.create(
            kind="students.roster",
            org_unit=cast.school_a.managed_by,
            target_id=cast.school_a.pk,
            params={"year": SchoolYear.objects.get(province=cast.province, start_year=2025).pk},
            filename="ds.csv",
            file=ContentFile(b"STT\n", name="ds.csv"),
            created_by=cast.principal_a,
            status=ImportJob.Status.CHECKED,
        )
    if label.startswith("user_"):
        return getattr(cast, label[5:])
    return RoleAssignment.objects.active().get(user=getattr(cast, label[5:]))


def url_for(name, obj):
    if name == "api:resolve":
        return reverse(name) + "?q=xã Trà Nam, Quảng Nam"
    if name == "imports:new":
        return reverse(name, args=["students.roster"])
    if obj is None:
        return reverse(name)
    if isinstance(obj, RoleAssignment):
        return reverse(name, kwargs={"pk": obj.user_id, "assignment_pk": obj.pk})
    key = {
        "api:get_orgunit": "unit_id",
        "api:get_school": "school_id",
        "api:get_child": "child_id",
        "api:get_import": "job_id",
        "api:students_get_import": "job_id",
    }.get(name, "pk")
    return reverse(name, kwargs={key: obj.pk})


CASES = [
    (member, name, label)
    for member in MEMBERS
    for name, (_m, kind, _n) in ROUTES.items()
    if ROUTES[name][2] != "skip"
    for label in (OBJECTS[kind] if kind else [None])
]


@pytest.mark.parametrize("member,name,label", CASES)
def test_scope_rule(cast, client_for, member, name, label):
    method, kind, need = ROUTES[name]
    obj = obj_for(cast, label) if label else None
    client = client_for(getattr(cast, member))
    response = getattr(client, method.lower())(url_for(name, obj))
    is_api = name.startswith("api:")
    if need == "public":
        # The login page sends a signed-in user home.
        assert response.status_code == 200 or (
            name == "login" and member != "anonymous" and response.status_code == 302
        )
        return
    if member == "anonymous":
        assert response.status_code == (401 if is_api else 302)
        if not is_api:
            assert response["Location"].startswith(reverse("login"))
        return
    if kind is None:
        allowed = {
            "grantor": GRANTORS,
            "school_creator": SCHOOL_CREATORS,
            "province_officer": PROVINCE,
            "officer": OFFICERS,
            "student_reader": STUDENT_READERS,
        }.get(need)
        expected = 200 if allowed is None or member in allowed else 403
        assert response.status_code == expected
        return
    rule = EXPECT[member][label]
    if need == "manage" and kind == "school" and (member, label) in PRINCIPALS_MANAGE:
        rule = C  # a principal manages (staff, organisations) the school they cannot reconfigure
    if rule == H:
        assert response.status_code == 404
    elif need == "view" or rule == C:
        # Allowed: the page, or for an empty POST the form's own answer (400) or the redirect after success.
        assert response.status_code in ({200} if method == "GET" else {302, 400})
    else:
        assert response.status_code == 403
