from collections import Counter

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from apps.core.exports import export_filename, xlsx_response
from apps.core.forms import flash_service
from apps.core.scoping import CHANGE, VIEW, get_scoped_or_404
from apps.orgunits.models import OrgUnit
from apps.schools.models import SchoolYear
from apps.schools.selectors import default_year
from apps.students import selectors, services
from apps.students.forms import EnrolmentEventForm, StudentFilterForm
from apps.students.models import Enrolment
from apps.students.site import child_panels, may_open_census, may_open_students


@login_required
def student_list(request):
    if not may_open_students(request.user):
        raise PermissionDenied
    if request.htmx.target == "class-field":
        # The school or year changed: the class options follow them (a class chosen before is dropped), then the
        # event has the filter form ask for the list with the options in place.
        data = request.GET.copy()
        data.pop("class_group", None)
        form = StudentFilterForm(data, user=request.user)
        response = render(request, "students/list.html#class-field", {"form": form})
        return trigger_client_event(response, "class-options-loaded", after="swap")
    form = StudentFilterForm(request.GET or None, user=request.user)
    filters = form.filters()  # None: a filter that is not one of the user's choices narrows to nothing
    page = selectors.student_list_page(request.user, filters, request.GET.get("page"))
    partial = request.htmx and not request.htmx.history_restore_request
    template = "students/list.html#results" if partial else "students/list.html"
    return render(request, template, {"form": form, "page": page}, status=400 if filters is None else 200)


EXPORT_LIMIT = 100_000


@login_required
def student_export(request):
    """The filtered list as an Excel workbook (stamped with who and when; logged as a personal-data read)."""
    if not may_open_students(request.user):
        raise PermissionDenied
    form = StudentFilterForm(request.GET or None, user=request.user)
    if (filters := form.filters()) is None:
        return redirect(f"{reverse('students:list')}?{request.GET.urlencode()}")  # the list says what is wrong
    rows = selectors.student_list_export(request.user, filters, limit=EXPORT_LIMIT)
    # Named after the school and the year it is filtered to (a class implies both), else after the day it was taken.
    group = filters.get("class_group")
    school = filters.get("school") or (group.school if group else None)
    year = filters.get("year") or (group.year if group else None)
    named = [school.moet_code] if school else []
    named += [year.name] if year else []
    return xlsx_response(
        filename=export_filename("hoc-sinh", *(named or [timezone.localdate().strftime("%d-%m-%Y")])),
        title=_("DANH SÁCH HỌC SINH"),
        headers=selectors.EXPORT_HEADERS,
        rows=rows,
        user=request.user,
        personal=True,
    )


@login_required
def child_detail(request, pk: int):
    child = selectors.child_for(request.user, pk)
    changeable = set(Enrolment.objects.restrict(request.user, CHANGE).filter(child=child).values_list("pk", flat=True))
    for enrolment in child.visible_enrolments:
        enrolment.may_change = enrolment.pk in changeable
    form = EnrolmentEventForm(initial={"on": timezone.localdate()})
    panels = child_panels(request.user, child)  # what other apps hold about the child (`site.register_child_panel`)
    return render(request, "students/child.html", {"child": child, "event_form": form, "panels": panels})


@login_required
@require_POST
def enrolment_event(request, pk: int):
    """Record what happened to an enrolment (a transfer, a dropout and its reason, a return) from the child
    page; the service checks that it may follow the current status."""
    enrolment = get_scoped_or_404(Enrolment.objects.all(), request.user, CHANGE, pk=pk)
    flash_service(
        request,
        EnrolmentEventForm(request.POST),
        lambda **data: services.enrolment_record_event(actor=request.user, enrolment=enrolment, **data),
        lambda event: (
            _("Đã ghi: %(kind)s ngày %(on)s.") % {"kind": event.get_kind_display(), "on": event.on.strftime("%d/%m/%Y")}
        ),
    )
    return redirect("students:child", pk=enrolment.child_id)


def _years(user):
    return SchoolYear.objects.restrict(user, VIEW).order_by("-start_year")


def _chosen_year(request, years):
    """The school year asked for (`?year=`), else the one a page opens on (`schools.selectors.default_year`)."""
    chosen = request.GET.get("year", "")
    year = years.filter(pk=chosen).first() if chosen.isdigit() and len(chosen) < 10 else None
    return year or default_year(years)


@login_required
def census_index(request):
    """The hamlets the user governs, with how many children each one's census counts for the chosen year."""
    if not may_open_census(request.user):
        raise PermissionDenied
    years = _years(request.user)
    year = _chosen_year(request, years)
    counts = selectors.census_counts(request.user, year) if year else {}
    hamlets = (
        OrgUnit.objects.current()
        .restrict(request.user, CHANGE)
        .filter(type=OrgUnit.Type.HAMLET)
        .select_related("parent")
        .order_by("parent__name", "name_folded")
    )
    page = Paginator(hamlets, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    for hamlet in page.object_list:
        hamlet.census_count = counts.get(hamlet.pk, 0)
    return render(request, "students/census_index.html", {"page": page, "years": years, "year": year})


@login_required
def census_hamlet(request, pk: int):
    """A hamlet's census for a year: every child counted, their schooling, and which of them no school lists."""
    hamlet = get_scoped_or_404(
        OrgUnit.objects.filter(type=OrgUnit.Type.HAMLET).select_related("parent"), request.user, CHANGE, pk=pk
    )
    years = _years(request.user)
    year = _chosen_year(request, years)
    export = request.GET.get("format") == "xlsx"
    if export and year is None:
        raise Http404  # no school year to export
    records = selectors.census_of_hamlet(request.user, hamlet, year, export=export) if year else []
    if export:
        return xlsx_response(
            filename=export_filename("dieu-tra", hamlet.code or hamlet.pk, hamlet.parent.name, year.name),
            title=_("ĐIỀU TRA PHỔ CẬP — %(h)s, %(c)s — NĂM HỌC %(y)s")
            % {"h": hamlet.name, "c": hamlet.parent.name, "y": year.name},
            headers=[
                _("Họ và tên"),
                _("Ngày sinh"),
                _("Giới tính"),
                _("Tuổi"),
                _("Tình trạng"),
                _("Trường"),
                _("Khối"),
                _("Có trong danh sách trường"),
                _("Ngày điều tra"),
            ],
            rows=[
                (
                    r.child.full_name,
                    r.child.birth_date or r.child.birth_year,
                    r.child.get_sex_display(),
                    r.age,
                    r.get_status_display(),
                    r.school.name if r.school else r.school_as_written,
                    r.get_grade_display(),
                    _("có") if r.enrolled else _("không"),
                    r.surveyed_on,
                )
                for r in records
            ],
            user=request.user,
            personal=True,
        )
    summary = Counter(r.get_status_display() for r in records)
    return render(
        request,
        "students/census_hamlet.html",
        {
            "hamlet": hamlet,
            "year": year,
            "years": years,
            "records": records,
            "summary": sorted(summary.items()),
            "unlisted": sum(r.unlisted for r in records),
        },
    )
