"""Reads of the targets, from the user's scope: the registration status of the schools a user governs or staffs
(late first), an annex, the targets in force, and what the dashboard shows."""

from django.db.models import Q
from django.utils import timezone

from apps.core.scoping import VIEW, get_scoped_or_404, scope_for, under
from apps.schools.models import School
from apps.targets import publications
from apps.targets.models import Annex, Publication, Target

ORDER = {"late": 0, "returned": 1, "submitted": 2, "none": 3, "draft": 3, "approved": 4, "unpublished": 5}


def registration_schools(user, year):
    """The schools whose registration the user follows: those below the units they govern (by managing unit or
    location) and their own school; never a partner officer's (annexes are the schools' work)."""
    scope = scope_for(user)
    schools = School.objects.filter(location__path__startswith=f"/{year.province_id}/").select_related("managed_by")
    if scope.is_admin:
        return schools
    return schools.filter(
        under("managed_by__", scope.officer_paths)
        | under("location__", scope.officer_paths)
        | Q(pk__in=scope.staff_school_ids)
    )


def registrations(user, year, *, today=None) -> list[dict]:
    """Each followed school with its publication, annex, deadline and status ("late", "none" — not started, or the
    annex's), late first, then returned, submitted, not started or draft, approved (three queries)."""
    today = today or timezone.localdate()
    scope = scope_for(user)
    schools = list(registration_schools(user, year).order_by("name"))
    nearest = publications.nearest(schools, year)
    annexes = {a.school_id: a for a in Annex.objects.filter(year=year, school__in=[s.pk for s in schools])}
    rows = []
    for school in schools:
        publication, annex = nearest[school.pk], annexes.get(school.pk)
        if publication is None:
            status = "unpublished"
        elif publications.is_late(annex, publication, today):
            status = "late"
        else:
            status = annex.status if annex is not None else "none"
        rows.append(
            {
                "school": school,
                "publication": publication,
                "annex": annex,
                "deadline": publications.deadline_of(annex, publication),
                "status": status,
                "may_manage": scope.is_admin or school.managed_by.path in scope.officer_paths,
                "is_principal": school.pk in scope.principal_school_ids,
            }
        )
    rows.sort(key=lambda r: (ORDER[r["status"]], r["school"].name))
    return rows


def late(user, year, *, today=None) -> list[dict]:
    return [r for r in registrations(user, year, today=today) if r["status"] == "late"]


def annex_for(user, pk: int) -> Annex:
    return get_scoped_or_404(
        Annex.objects.select_related("school__managed_by", "year", "decided_by"), user, VIEW, pk=pk
    )


def publications_for(user, year):
    return Publication.objects.restrict(user, VIEW).filter(year=year).select_related("org_unit", "published_by")


def targets_for(user, year=None):
    qs = Target.objects.restrict(user, VIEW).select_related("org_unit", "school", "year")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("year__start_year", "indicator", "level", "pk")


def targets_of(targets, year) -> dict[str, dict[tuple[str, int], Target]]:
    """{engine target key: {(indicator, level): Target}} in force for each unit or school: a school's approved
    targets, else its nearest publication's defaults; a unit's own publication, else the nearest above it (two
    queries)."""
    schools = [t.school for t in targets if t.school is not None]
    units = [t.unit for t in targets if t.school is None]
    wanted = {i for u in units for i in publications.unit_ids(u.path)}
    wanted |= {i for s in schools for i in publications.unit_ids(s.managed_by.path)}
    rows = Target.objects.filter(year=year).filter(
        Q(org_unit__in=wanted, school__isnull=True) | Q(school__in=[s.pk for s in schools])
    )
    by_unit, by_school = {}, {}
    for row in rows:
        if row.school_id:
            by_school.setdefault(row.school_id, {})[(row.indicator, row.level)] = row
        else:
            by_unit.setdefault(row.org_unit_id, {})[(row.indicator, row.level)] = row

    def nearest(path):
        return next((by_unit[i] for i in reversed(publications.unit_ids(path)) if i in by_unit), {})

    out = {}
    for t in targets:
        if t.school is not None:
            out[t.key] = by_school.get(t.school.pk) or nearest(t.school.managed_by.path)
        else:
            out[t.key] = nearest(t.unit.path)
    return out
