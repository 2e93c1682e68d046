"""The targets' daily job: three days before a registration deadline each school that has not submitted is
reminded (its principal); the day after it, each managing unit is told how many of its schools are late, and the
late list is on its page. A school whose registration was reopened is reminded and listed by its new deadline."""

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.schools.models import School
from apps.targets import publications
from apps.targets.models import Annex, Publication

REMIND_DAYS = 3


def pending(on: datetime.date):
    """(school, publication, annex, deadline) of every school under a publication of a year not over by `on` that
    has not submitted (four queries)."""
    pubs = list(Publication.objects.filter(year__ends_on__gte=on).select_related("org_unit", "year"))
    out = []
    for year in {p.year for p in pubs}:
        roots = [p.org_unit.path for p in pubs if p.year == year]
        from apps.core.scoping import under

        schools = list(School.objects.filter(under("managed_by__", roots)).select_related("managed_by"))
        nearest = publications.nearest(schools, year)
        annexes = {a.school_id: a for a in Annex.objects.filter(year=year, school__in=[s.pk for s in schools])}
        for school in schools:
            publication, annex = nearest[school.pk], annexes.get(school.pk)
            if publication is None or (annex is not None and annex.status not in publications.UNREGISTERED):
                continue
            out.append((school, publication, annex, publications.deadline_of(annex, publication)))
    return out


def deadlines(on: datetime.date) -> dict:
    from apps.notifications.services import notify
    from apps.targets.services import officers_of, principals_of

    reminded, late_by_unit = 0, defaultdict(list)
    for school, publication, _annex, deadline in pending(on):
        if deadline - on == datetime.timedelta(days=REMIND_DAYS):
            notify(
                recipients=principals_of([school.pk]),
                kind="targets.reminder",
                title=_("Còn %(n)s ngày để đăng ký chỉ tiêu năm học %(year)s (hạn %(day)s)")
                % {"n": REMIND_DAYS, "year": publication.year.name, "day": deadline.strftime("%d/%m/%Y")},
                body=_("Trường chưa gửi phụ lục đăng ký chỉ tiêu."),
                url=reverse("targets:index"),
            )
            reminded += 1
        elif on - deadline == datetime.timedelta(days=1):
            late_by_unit[school.managed_by_id].append((school, publication))
    for unit_id, late in late_by_unit.items():
        year = late[0][1].year
        notify(
            recipients=officers_of([unit_id]),
            kind="targets.late",
            title=_("%(n)s trường chưa đăng ký chỉ tiêu năm học %(year)s đúng hạn")
            % {"n": len(late), "year": year.name},
            body=", ".join(s.name for s, _p in late)[:1900],
            url=reverse("targets:late") + f"?year={year.start_year}",
        )
    return {"reminded": reminded, "late": sum(len(v) for v in late_by_unit.values()), "units": len(late_by_unit)}
