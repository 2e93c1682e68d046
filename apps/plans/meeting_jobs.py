"""The meetings' daily job (`apps.core.daily`): after each parents' meeting window of a school year (start of year,
end of semester I, end of year: `meeting_selectors.parents_windows`), every school of the province that held no
parents' meeting in it is recorded as missing (`ParentsMeetingGap`, once) and its principal told; a second run
finds nothing new."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.plans.meeting_selectors import parents_windows
from apps.plans.models import Meeting, MeetingKind, ParentsMeetingGap

# A window is looked at until this long after it closed (a job that missed some days catches up; older years are
# left alone).
LOOK_BACK = datetime.timedelta(days=60)


def parents_meetings(on: datetime.date) -> dict:
    from apps.notifications.services import notify
    from apps.plans.services import party_users
    from apps.schools.models import School, SchoolYear

    found = 0
    years = SchoolYear.objects.filter(starts_on__lte=on, ends_on__gte=on - LOOK_BACK).select_related("province")
    for year in years.prefetch_related("semesters"):
        closed = [(r, a, b) for r, a, b in parents_windows(year) if b < on and on - b <= LOOK_BACK]
        if not closed:
            continue
        schools = list(School.objects.filter(location__path__startswith=year.province.path).order_by("pk"))
        held = set(
            Meeting.objects.filter(
                kind=MeetingKind.PARENTS, school__in=schools, held_on__gte=min(a for _r, a, _b in closed)
            ).values_list("school_id", "held_on")
        )
        known = set(ParentsMeetingGap.objects.filter(year=year).values_list("school_id", "round"))
        for school in schools:
            for round_, start, end in closed:
                if (school.pk, round_) in known:
                    continue
                if any(s == school.pk and start <= d <= end for s, d in held):
                    continue
                with transaction.atomic():
                    gap = ParentsMeetingGap.objects.create(
                        school=school, year=year, round=round_, window_start=start, window_end=end, found_on=on
                    )
                    audit_record(
                        actor=None,
                        action="plans.meeting_gap",
                        obj=gap,
                        org_unit=school.location,
                        changes={"round": round_, "window": [f"{start}", f"{end}"]},
                    )
                found += 1
                people = party_users(school_id=school.pk)
                if people:
                    notify(
                        recipients=people,
                        kind="plans.parents_meeting_missing",
                        title=(
                            _("Chưa họp cha mẹ học sinh đợt %(round)s (%(start)s–%(end)s)")
                            % {"round": round_, "start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
                        )[:200],
                        body=school.name,
                        url=reverse("plans:meetings"),
                    )
    return {"missing": found}
