"""The out-of-school list of a commune (the census's one rule), with link proposals a person confirms (a merge)
and the confirmation that opens a case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.scoping import CHANGE, VIEW, get_scoped_or_404
from apps.orgunits.models import OrgUnit
from apps.retention import cases, out_of_school
from apps.retention.hotline_views import may_take_reports
from apps.retention.models import DropoutCase
from apps.schools.models import SchoolYear
from apps.schools.selectors import default_year
from apps.students.models import Child


def _pick(queryset, value: str):
    return queryset.filter(pk=value).first() if value.isdigit() and len(value) < 10 else None


@login_required
def out_of_school_list(request):
    if not may_take_reports(request.user):
        raise PermissionDenied
    communes = OrgUnit.objects.current().restrict(request.user, CHANGE).filter(level=OrgUnit.Level.COMMUNE)
    commune = _pick(communes, request.GET.get("commune", "")) or communes.order_by("name").first()
    years = SchoolYear.objects.restrict(request.user, VIEW).order_by("-start_year")
    year = _pick(years, request.GET.get("year", "")) or default_year(years)
    five = request.GET.get("five") == "1"
    found = out_of_school.out_of_school(request.user, commune, year, five=five) if commune and year else None
    return render(
        request,
        "retention/cases/out_of_school.html",
        {
            "communes": communes.order_by("name")[:300],
            "commune": commune,
            "years": years,
            "year": year,
            "five": five,
            "found": found,
        },
    )


def _back(request):
    back = request.POST.get("next", "")
    return back if back.startswith("/retention/") and "//" not in back else "/retention/out-of-school/"


@login_required
@require_POST
def child_merge(request, pk: int):
    """A person confirms a link proposal: the census child `pk` is merged into the enrolled child chosen."""
    from apps.students.services import child_merge as merge

    merged = get_scoped_or_404(Child.objects.all(), request.user, CHANGE, pk=pk)
    value = request.POST.get("kept", "")
    kept = Child.objects.restrict(request.user, CHANGE).filter(pk=value).first() if value.isdigit() else None
    if kept is None:
        messages.error(request, _("Hãy chọn hồ sơ được giữ."))
        return redirect(_back(request))
    try:
        merge(actor=request.user, kept=kept, merged=merged)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã gộp hai hồ sơ."))
    return redirect(_back(request))


@login_required
@require_POST
def child_case(request, pk: int):
    """A person confirms a school-age child of the out-of-school list: a case opens."""
    child = get_scoped_or_404(Child.objects.select_related("commune"), request.user, CHANGE, pk=pk)
    year = _pick(SchoolYear.objects.restrict(request.user, VIEW), request.POST.get("year", ""))
    if year is None:
        messages.error(request, _("Hãy chọn năm học."))
        return redirect(_back(request))
    try:
        case = cases.case_open(
            actor=request.user, commune=child.commune, year=year, source=DropoutCase.Source.CENSUS, child=child
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_back(request))
    return redirect("retention:case", pk=case.pk)


@login_required
def phase1_lists(request):
    """Phase 1: last year's students not yet re-enrolled, by hamlet; grade-9 completers not in grade 10 and where
    each was steered."""
    from apps.retention import phase1
    from apps.retention.models import Steering
    from apps.retention.site import may_open_retention

    if not may_open_retention(request.user):
        raise PermissionDenied
    years = SchoolYear.objects.restrict(request.user, VIEW).order_by("-start_year")
    year = _pick(years, request.GET.get("year", "")) or default_year(years)
    return render(
        request,
        "retention/cases/phase1.html",
        {
            "years": years,
            "year": year,
            "starts_on": phase1.phase1_starts_on(year) if year else None,
            "started": phase1.phase1_started(year) if year else False,
            "by_hamlet": phase1.not_reenrolled(request.user, year) if year else [],
            "completers": phase1.completers_not_in_grade_10(request.user, year) if year else [],
            "destinations": Steering.Destination.choices,
        },
    )


@login_required
@require_POST
def steering_new(request, pk: int):
    from apps.retention import phase1

    child = get_scoped_or_404(Child.objects.all(), request.user, CHANGE, pk=pk)
    year = _pick(SchoolYear.objects.restrict(request.user, VIEW), request.POST.get("year", ""))
    if year is None:
        messages.error(request, _("Hãy chọn năm học."))
        return redirect("retention:phase1")
    try:
        phase1.steering_record(
            actor=request.user,
            child=child,
            year=year,
            destination=request.POST.get("destination", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã ghi nơi phân luồng."))
    return redirect(f"/retention/phase-1/?year={year.pk}")
