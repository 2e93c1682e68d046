"""Reads of periodic reports, each starting from the scoped queryset (`restrict`): schedules and reports a user
sees, the period a day falls in, the figures a report is prefilled with (read through the indicators', funds' and
cases' own selectors, as the writer), and the receiving body's roll-up of the approved reports under it with the
missing and late ones."""

import calendar
import datetime

from django.db.models import Q
from django.utils import timezone

from apps.core.scoping import CHANGE, MANAGE, VIEW, can, get_scoped_or_404
from apps.plans.models import PeriodicReport, ReportPeriod, ReportSchedule, ReportStatus

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def schedule_list(user):
    return ReportSchedule.objects.restrict(user, VIEW).select_related(
        "school", "org_unit", "organisation", "receiver_unit", "receiver_school"
    )


def schedule_for(user, pk: int, action: str = VIEW) -> ReportSchedule:
    return get_scoped_or_404(
        ReportSchedule.objects.select_related("school__location", "org_unit", "organisation", "receiver_unit"),
        user,
        action,
        pk=pk,
    )


def report_list(user, *, status: str = ""):
    qs = PeriodicReport.objects.restrict(user, VIEW).select_related(
        "schedule__school", "schedule__org_unit", "schedule__organisation", "schedule__receiver_unit"
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def report_for(user, pk: int, action: str = VIEW) -> PeriodicReport:
    return get_scoped_or_404(
        PeriodicReport.objects.select_related(
            "schedule__school__location",
            "schedule__org_unit",
            "schedule__organisation",
            "schedule__receiver_unit",
            "schedule__receiver_school",
            "document",
        ),
        user,
        action,
        pk=pk,
    )


def may(user, report: PeriodicReport) -> dict:
    manage = can(user, report, MANAGE)
    return {
        "change": report.editable and can(user, report, CHANGE),
        "decide": manage and report.status == ReportStatus.SUBMITTED,
        "reopen": manage and report.status == ReportStatus.APPROVED,
    }


# ---- periods -----------------------------------------------------------------------------------------------------


def _province(schedule: ReportSchedule):
    return schedule.commune.province()


def period_of(schedule: ReportSchedule, on: datetime.date) -> tuple[datetime.date, datetime.date, str]:
    """(first day, last day, label) of the schedule's period holding `on`; semesters and years from the school
    calendar of the reporter's province (a calendar year when the province declared none)."""
    from apps.schools.models import SchoolYear

    if schedule.period == ReportPeriod.MONTH:
        last = calendar.monthrange(on.year, on.month)[1]
        return on.replace(day=1), on.replace(day=last), f"Tháng {on.month}/{on.year}"
    if schedule.period == ReportPeriod.QUARTER:
        q = (on.month - 1) // 3 + 1
        start = datetime.date(on.year, 3 * q - 2, 1)
        end_month = 3 * q
        end = datetime.date(on.year, end_month, calendar.monthrange(on.year, end_month)[1])
        return start, end, f"Quý {ROMAN[q]}/{on.year}"
    year = SchoolYear.objects.filter(province=_province(schedule)).containing(on).first()
    if year is None:
        return datetime.date(on.year, 1, 1), datetime.date(on.year, 12, 31), f"Năm {on.year}"
    if schedule.period == ReportPeriod.SEMESTER:
        semesters = list(year.semesters.order_by("number"))
        found = next((s for s in semesters if s.starts_on <= on <= s.ends_on), None)
        if found is None:  # the summer, or before opening: the semester it leads into or closes
            found = semesters[0] if on < semesters[0].starts_on else semesters[-1]
        label = f"Học kỳ {ROMAN[found.number]} năm học {year.name}"
        # Semester I reports from the year's first day, semester II to its last: the summer belongs to a report.
        start = year.starts_on if found.number == 1 else found.starts_on
        end = year.ends_on if found.number == len(semesters) else found.ends_on
        return start, end, label
    return year.starts_on, year.ends_on, f"Năm học {year.name}"


def periods_within(schedule: ReportSchedule, start: datetime.date, end: datetime.date) -> list[tuple]:
    """The schedule's periods that lie inside [start, end]."""
    out, day = [], start
    while day <= end:
        s, e, label = period_of(schedule, day)
        if s >= start and e <= end:
            out.append((s, e, label))
        day = e + datetime.timedelta(days=1)
    return out


def deadline_of(schedule: ReportSchedule, period_end: datetime.date) -> datetime.date:
    return period_end + datetime.timedelta(days=schedule.deadline_days)


# ---- prefill -----------------------------------------------------------------------------------------------------


def _figure(key, label, source, numerator, denominator=None) -> dict:
    return {"key": key, "label": label, "source": source, "numerator": numerator, "denominator": denominator}


def _funds(user, schedule, start, end) -> list[dict]:
    from apps.funds import selectors as funds

    owner = {"school": schedule.school_id, "org_unit": schedule.org_unit_id, "organisation": schedule.organisation_id}
    owned = funds.fund_list(user).filter(**{f"{k}_id": v for k, v in owner.items() if v})
    raised = sum(funds.raised(f, start, end) for f in owned)
    spent = sum(funds.spent(f, start, end) for f in owned)
    return [
        _figure("funds.raised", "Tiền và hiện vật vận động được (đồng)", "funds", int(raised)),
        _figure("funds.spent", "Đã chi hỗ trợ, khen thưởng (đồng)", "funds", int(spent)),
    ]


def _cases(user, schedule, start, end) -> list[dict]:
    from apps.retention import case_selectors

    cases = case_selectors.case_list(user, status="")
    if schedule.organisation_id:
        cases = cases.filter(owner_organisation=schedule.organisation_id)
    elif schedule.school_id:
        cases = cases.filter(Q(enrolment__school=schedule.school_id) | Q(return_school=schedule.school_id))
    else:
        cases = cases.filter(commune__path__startswith=schedule.org_unit.path)
    handled = cases.filter(opened_on__lte=end).exclude(closed_on__lt=start)
    closed = handled.filter(closed_on__gte=start, closed_on__lte=end)
    returned = closed.filter(outcome="returned")
    total = handled.count()
    return [
        _figure(
            "cases.opened",
            "Trường hợp bỏ học, không đến trường được mở",
            "cases",
            cases.filter(opened_on__gte=start, opened_on__lte=end).count(),
        ),
        _figure("cases.closed", "Trường hợp đã kết thúc / đang theo dõi trong kỳ", "cases", closed.count(), total),
        _figure(
            "cases.returned", "Trẻ trở lại trường / trường hợp theo dõi trong kỳ", "cases", returned.count(), total
        ),
    ]


INDICATORS = ("retention", "dropout")


def _indicators(schedule, end) -> list[dict]:
    from apps.indicators import selectors as indicator_selectors
    from apps.indicators.registry import Target, get
    from apps.schools.models import SchoolYear

    if schedule.organisation_id:
        return []
    target = Target(school=schedule.school) if schedule.school_id else Target(unit=schedule.org_unit)
    year = SchoolYear.objects.filter(province=_province(schedule)).containing(end).first()
    if year is None:
        return []
    values = indicator_selectors.figures([target], year=year, on=end, codes=INDICATORS)
    out = []
    for code in INDICATORS:
        if code not in values:
            continue
        value = values[code].get(target.key, {}).get("")
        if value is not None:
            out.append(
                _figure(f"indicators.{code}", str(get(code).label), "indicators", value.numerator, value.denominator)
            )
    return out


def prefill(user, schedule: ReportSchedule, start: datetime.date, end: datetime.date) -> list[dict]:
    """The figures the system holds for the reporter and period, read as `user` sees them."""
    return [*_indicators(schedule, end), *_funds(user, schedule, start, end), *_cases(user, schedule, start, end)]


# ---- roll-up -----------------------------------------------------------------------------------------------------


def reporting_to(schedule: ReportSchedule):
    """The schedules whose receiving body is this schedule's reporter (a unit, or a school for its organisations)."""
    if schedule.org_unit_id:
        return ReportSchedule.objects.filter(receiver_unit=schedule.org_unit_id, active=True)
    if schedule.school_id:
        return ReportSchedule.objects.filter(receiver_school=schedule.school_id, active=True)
    return ReportSchedule.objects.none()


def rollup(user, schedule: ReportSchedule, start: datetime.date, end: datetime.date, *, today=None) -> dict:
    """The approved reports under the reporter for [start, end] added up (numerators and denominators by figure),
    and the reports missing (not approved: none, draft, returned, waiting) and late, as names and periods."""
    today = today or timezone.localdate()
    children = list(
        reporting_to(schedule)
        .filter(pk__in=ReportSchedule.objects.restrict(user, VIEW).values("pk"))
        .select_related("school", "org_unit", "organisation")
    )
    visible = PeriodicReport.objects.restrict(user, VIEW)
    latest = {}
    for r in visible.filter(schedule__in=children, period_start__gte=start, period_end__lte=end).order_by("revision"):
        latest[(r.schedule_id, r.period_start)] = r
    sums: dict[str, dict] = {}
    included, missing, late = [], [], []
    for child in children:
        for s, e, label in periods_within(child, start, end):
            report = latest.get((child.pk, s))
            entry = {"reporter": str(child.reporter), "schedule": child.pk, "period": label}
            if report is not None and report.status == ReportStatus.APPROVED:
                included.append({**entry, "report": report.pk})
                for f in report.figures:
                    total = sums.setdefault(f["key"], {**f, "numerator": 0, "denominator": None, "source": "rollup"})
                    total["numerator"] = (total["numerator"] or 0) + (f.get("numerator") or 0)
                    if f.get("denominator") is not None:
                        total["denominator"] = (total["denominator"] or 0) + f["denominator"]
            else:
                missing.append({**entry, "status": report.status if report else ""})
            deadline = deadline_of(child, e)
            submitted = timezone.localdate(report.submitted_at) if report and report.submitted_at else None
            if (submitted and submitted > deadline) or (submitted is None and today > deadline):
                late.append({**entry, "deadline": f"{deadline:%d/%m/%Y}"})
    figures = [{**f, "key": f"rollup.{k}", "label": f"Tổng hợp: {f['label']}"} for k, f in sums.items()]
    return {"figures": figures, "included": included, "missing": missing, "late": late}
