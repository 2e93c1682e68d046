"""Reads of dropout cases and hotline reports, from the user's scope; a read of a list naming children is logged."""

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import CHANGE, VIEW, get_scoped_or_404
from apps.retention.models import CaseFollowUp, DropoutCase, HotlineReport
from apps.students.models import Absence

PAGE = 50


def case_list(user, *, phase: int | None = None, owner: str = "", commune=None, status: str = "open"):
    """Cases the user may read, overdue follow-ups first, then the newest. `owner`: "me" (the user's own or
    their organisations'), "" (all); `status`: "open" (open or waiting), "closed", "" (all)."""
    today = timezone.localdate()
    overdue = CaseFollowUp.objects.filter(case=OuterRef("pk"), done_on__isnull=True, due_on__lt=today)
    cases = (
        DropoutCase.objects.restrict(user, VIEW)
        .select_related("child", "commune", "owner_user", "owner_organisation", "enrolment__school")
        .annotate(overdue=Exists(overdue))
    )
    if phase:
        cases = cases.filter(phase=phase)
    if commune is not None:
        cases = cases.filter(commune=commune)
    if owner == "me":
        from apps.core.scoping import scope_for

        scope = scope_for(user)
        cases = cases.filter(Q(owner_user=user) | Q(owner_organisation_id__in=scope.organisation_ids))
    if status == "open":
        cases = cases.exclude(status=DropoutCase.Status.CLOSED)
    elif status == "closed":
        cases = cases.filter(status=DropoutCase.Status.CLOSED)
    return cases.order_by("-overdue", "-opened_on", "-pk")


def case_list_page(user, number, **filters):
    page = Paginator(case_list(user, **filters), PAGE).get_page(number)
    audit_record(
        actor=user,
        action="retention.case_list_read",
        kind=AuditEvent.Kind.READ,
        object_type="retention.dropoutcase",
        org_unit=filters.get("commune"),
        changes={"count": len(page.object_list)},
    )
    return page


def case_for(user, pk: int) -> DropoutCase:
    """One case with its interventions, follow-ups, and — after a return — the absences since; logged as a read of
    its child."""
    case = get_scoped_or_404(
        DropoutCase.objects.select_related(
            "child", "commune", "year", "owner_user", "owner_organisation", "enrolment__school", "return_school"
        ),
        user,
        VIEW,
        pk=pk,
    )
    case.intervention_list = list(case.interventions.select_related("recorded_by"))
    case.follow_up_list = list(case.follow_ups.all())
    case.absences_since = (
        list(Absence.objects.filter(enrolment_id=case.return_enrolment_id, on__gte=case.closed_on).order_by("on"))
        if case.return_enrolment_id and case.closed_on
        else []
    )
    case.writable = DropoutCase.objects.restrict(user, CHANGE).filter(pk=pk).exists()
    audit_record(
        actor=user,
        action="retention.case_list_read",
        kind=AuditEvent.Kind.READ,
        obj=case,
        org_unit=case.commune_id,
        changes={"count": 1, "child": case.child_id},
    )
    return case


def report_list(user, *, status: str = "open"):
    reports = HotlineReport.objects.restrict(user, VIEW).select_related("commune")
    if status == "open":
        reports = reports.exclude(status=HotlineReport.Status.CLOSED)
    return reports.order_by("status", "-received_at")


def report_for(user, pk: int) -> HotlineReport:
    """One report, its reporter's contact included: only the officers handling the commune's reports reach it."""
    report = get_scoped_or_404(HotlineReport.objects.select_related("commune", "case"), user, VIEW, pk=pk)
    audit_record(
        actor=user,
        action="retention.hotline_read",
        kind=AuditEvent.Kind.READ,
        obj=report,
        org_unit=report.commune_id,
    )
    return report


def link_candidates(user, case: DropoutCase, text: str, limit: int = 20):
    """Children a case opened without one (a hotline report) may be tied to, found by name: those the user may
    change, named with the folded text, the case's commune first, then by name; none for fewer than two letters."""
    from django.db.models import Case, IntegerField, Value, When

    from apps.core.text import fold
    from apps.students.models import Child

    folded = fold(text or "").strip()
    if len(folded) < 2:
        return []
    return list(
        Child.objects.restrict(user, CHANGE)
        .filter(name_folded__contains=folded)
        .select_related("commune", "hamlet")
        .annotate(
            here=Case(When(commune_id=case.commune_id, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("here", "name_folded", "birth_year", "pk")[:limit]
    )
