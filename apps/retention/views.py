from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import add_service_errors, flash_service
from apps.core.scoping import VIEW
from apps.orgunits.models import OrgUnit
from apps.retention import selectors, services
from apps.retention.forms import MentorForm, NoteForm, RulesForm, VisitForm, initial_of
from apps.retention.models import Level
from apps.retention.site import may_open_retention, may_open_rules
from apps.schools.models import School, SchoolYear
from apps.schools.selectors import default_year
from apps.students.records import record_classes


def _pick(queryset, value: str):
    return queryset.filter(pk=value).first() if value.isdigit() and len(value) < 10 else None


@login_required
def at_risk_list(request):
    """The students at medium or high risk, with the reasons in words: by class, school or commune."""
    if not may_open_retention(request.user):
        raise PermissionDenied
    years = SchoolYear.objects.restrict(request.user, VIEW).order_by("-start_year")
    year = _pick(years, request.GET.get("year", "")) or default_year(years)
    classes = (
        record_classes(request.user, VIEW).filter(year=year).select_related("school").order_by("school__name", "name")
    )
    schools = School.objects.restrict(request.user, VIEW).order_by("name")
    communes = (
        OrgUnit.objects.current().restrict(request.user, VIEW).filter(level=OrgUnit.Level.COMMUNE).order_by("name")
    )
    chosen = {
        "class_group": _pick(classes, request.GET.get("class_group", "")),
        "school": _pick(schools, request.GET.get("school", "")),
        "commune": _pick(communes, request.GET.get("commune", "")),
    }
    levels = (Level.HIGH,) if request.GET.get("level") == "high" else (Level.MEDIUM, Level.HIGH)
    page = (
        selectors.at_risk_page(request.user, year=year, levels=levels, page=request.GET.get("page"), **chosen)
        if year
        else None
    )
    return render(
        request,
        "retention/list.html",
        {
            "page": page,
            "years": years,
            "year": year,
            "classes": classes[:300],
            "schools": schools[:300],
            "communes": communes[:300],
            "chosen": chosen,
            "only_high": levels == (Level.HIGH,),
        },
    )


@login_required
def rules_edit(request):
    """A province's early-warning rules, edited by its officers (audited); effective at the next recompute."""
    if not may_open_rules(request.user):
        raise PermissionDenied
    provinces = selectors.editable_provinces(request.user)
    province = _pick(provinces, request.GET.get("province", "")) or provinces.first()
    rules = selectors.rules_of(province)
    form = RulesForm(request.POST or None, initial=initial_of(rules))
    if request.method == "POST" and form.is_valid():
        try:
            services.rules_update(actor=request.user, province=province, **form.service_args())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Đã lưu quy tắc; mức nguy cơ được tính lại trong lần tính tiếp theo (hằng ngày).")
            )
            return redirect(f"{request.path}?province={province.pk}")
    from apps.retention.backtest import backtest

    return render(
        request,
        "retention/rules.html",
        {"form": form, "province": province, "provinces": provinces, "backtest": backtest(request.user, province)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def visit_new(request, pk: int):
    """The home-visit form of one student (phone-first). The page carries an idempotency key; the browser keeps
    what was typed and sends it again if the connection drops (static/retention/visit.js)."""
    import uuid

    from django.utils import timezone

    enrolment = services.visitable_enrolment(request.user, pk)
    if request.method == "POST":
        form = VisitForm(request.POST)
        if form.is_valid():
            try:
                visit, created = services.visit_record(actor=request.user, enrolment=enrolment, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if created:
                    messages.success(request, _("Đã ghi lần thăm ngày %(d)s.") % {"d": visit.on.strftime("%d/%m/%Y")})
                else:
                    messages.info(request, _("Lần thăm này đã được ghi trước đó (gửi lại)."))
                return redirect("students:child", pk=enrolment.child_id)
        return render(request, "retention/visit_form.html", {"form": form, "enrolment": enrolment}, status=400)
    day = min(timezone.localdate(), enrolment.year.ends_on)
    form = VisitForm(initial={"key": uuid.uuid4().hex, "on": day})
    return render(request, "retention/visit_form.html", {"form": form, "enrolment": enrolment})


@login_required
def overdue_list(request):
    """Students whose home visit is overdue, among those the user visits."""
    if not may_open_retention(request.user):
        raise PermissionDenied
    rows = selectors.overdue_visits(request.user, limit=500)
    return render(request, "retention/overdue.html", {"rows": rows})


@login_required
@require_POST
def note_new(request, pk: int):
    enrolment = services.writable_enrolment(request.user, pk)
    flash_service(
        request,
        NoteForm(request.POST),
        lambda **data: services.note_add(actor=request.user, enrolment=enrolment, **data),
        lambda note: _("Đã ghi chú."),
    )
    return redirect("students:child", pk=enrolment.child_id)


@login_required
def mentor_list(request):
    """At-risk students without a mentor; mentors and their students."""
    if not may_open_retention(request.user):
        raise PermissionDenied
    years = SchoolYear.objects.restrict(request.user, VIEW).order_by("-start_year")
    year = _pick(years, request.GET.get("year", "")) or default_year(years)
    lists = selectors.mentor_lists(request.user, year) if year else {"unmentored": [], "mentorships": []}
    return render(request, "retention/mentors.html", {"years": years, "year": year, **lists})


@login_required
@require_POST
def mentor_new(request, pk: int):
    from apps.retention import mentors

    enrolment = services.writable_enrolment(request.user, pk)
    flash_service(
        request,
        MentorForm(request.POST, school=enrolment.school, prefix=f"m{enrolment.pk}"),
        lambda **data: mentors.mentor_assign(actor=request.user, enrolment=enrolment, **data),
        lambda m: _("Đã phân công %(m)s đỡ đầu em.") % {"m": m.mentor.full_name or m.mentor.username},
    )
    return redirect("students:child", pk=enrolment.child_id)
