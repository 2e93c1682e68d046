"""Pages of the targets: the registrations a user follows (late first), publishing a unit's defaults, a school's
annex (register, submit; approve, return; reopen), the late list, and the annex and results workbooks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import add_service_errors
from apps.core.scoping import CHANGE, MANAGE, VIEW, can, get_scoped_or_404, scope_for
from apps.indicators import selectors as figures
from apps.orgunits.models import OrgUnit
from apps.schools.models import School
from apps.targets import exports, selectors, services
from apps.targets.forms import PublishForm, ReopenForm, ReturnForm
from apps.targets.models import Annex, Publication, Target
from apps.targets.site import may_open_targets


def _require(user) -> None:
    if not may_open_targets(user):
        raise PermissionDenied


def _year(request, target):
    start = request.GET.get("year") or request.POST.get("year") or ""
    year = figures.year_of(target, int(start) if start.isdigit() and len(start) == 4 else None)
    if year is None:
        raise Http404
    return year


def _home(user):
    target = figures.home_target(user)
    if target is None:
        raise Http404
    return target


@login_required
def index(request):
    _require(request.user)
    target = _home(request.user)
    year = _year(request, target)
    rows = selectors.registrations(request.user, year)
    scope = scope_for(request.user)
    units = (
        OrgUnit.objects.current().filter(path__in=scope.officer_paths).order_by("path") if scope.officer_paths else []
    )
    if scope.is_admin and target.unit is not None:
        units = [target.unit]
    return render(
        request,
        "targets/index.html",
        {
            "year": year,
            "years": figures.years_of(target),
            "rows": rows,
            "late_count": sum(1 for r in rows if r["status"] == "late"),
            "publications": selectors.publications_for(request.user, year),
            "units": units,
            "today": timezone.localdate(),
        },
    )


@login_required
def late_list(request):
    _require(request.user)
    target = _home(request.user)
    year = _year(request, target)
    rows = selectors.late(request.user, year)
    return render(request, "targets/late.html", {"year": year, "rows": rows, "reopen_form": ReopenForm()})


@login_required
def publish(request, pk: int):
    _require(request.user)
    unit = get_scoped_or_404(OrgUnit.objects.current(), request.user, VIEW, pk=pk)
    if not services.may_publish(request.user, unit):
        raise PermissionDenied
    from apps.indicators.registry import Target as EngineTarget

    year = _year(request, EngineTarget(unit=unit))
    current = {(t.indicator, t.level): t for t in Target.objects.filter(org_unit=unit, year=year, school=None)}
    publication = Publication.objects.filter(org_unit=unit, year=year).first()
    initial = {
        "deadline": publication.deadline if publication else None,
        "note": publication.note if publication else "",
    }
    form = PublishForm(request.POST or None, current=current, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_publish(
                actor=request.user,
                org_unit=unit,
                year=year,
                deadline=form.cleaned_data["deadline"],
                rows=form.published_rows(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ban hành chỉ tiêu năm học %(year)s.") % {"year": year.name})
            return redirect(f"{reverse('targets:index')}?year={year.start_year}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "targets/publish.html",
        {"unit": unit, "year": year, "form": form, "publication": publication},
        status=status,
    )


@login_required
@require_POST
def annex_start(request, pk: int):
    _require(request.user)
    school = get_scoped_or_404(School.objects.select_related("location", "managed_by"), request.user, VIEW, pk=pk)
    from apps.indicators.registry import Target as EngineTarget

    year = _year(request, EngineTarget(school=school))
    try:
        annex = services.annex_start(actor=request.user, school=school, year=year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('targets:index')}?year={year.start_year}")
    return redirect("targets:annex", pk=annex.pk)


@login_required
@require_POST
def annex_reopen(request, pk: int):
    _require(request.user)
    school = get_scoped_or_404(School.objects.select_related("location", "managed_by"), request.user, CHANGE, pk=pk)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("targets:late")
    from apps.indicators.registry import Target as EngineTarget

    year = figures.year_of(EngineTarget(school=school), form.cleaned_data["year"])
    if year is None:
        raise Http404
    try:
        services.annex_reopen(actor=request.user, school=school, year=year, deadline=form.cleaned_data["deadline"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Đã mở lại đăng ký cho %(school)s đến ngày %(day)s.")
            % {"school": school.name, "day": form.cleaned_data["deadline"].strftime("%d/%m/%Y")},
        )
    return redirect(f"{reverse('targets:late')}?year={year.start_year}")


def _annex_context(request, annex, errors=None, posted=None):
    from apps.indicators.registry import get

    lines = []
    for line in annex.lines.all():
        data = (posted or {}).get(line.pk, {})
        lines.append(
            {
                "line": line,
                "label": get(line.indicator).label,
                "level": services.line_level(line),
                "data": data,
                "errors": [m for k, ms in (errors or {}).items() if k.startswith(f"line-{line.pk}-") for m in ms],
            }
        )
    publication = selectors.publications.nearest([annex.school], annex.year)[annex.school_id]
    return {
        "annex": annex,
        "lines": lines,
        "deadline": selectors.publications.deadline_of(annex, publication),
        "late": selectors.publications.is_late(annex, publication, timezone.localdate()),
        "may_edit": can(request.user, annex, CHANGE) and annex.editable,
        "may_decide": can(request.user, annex, MANAGE) and annex.status == Annex.Status.SUBMITTED,
        "return_form": ReturnForm(),
        "errors": errors,
    }


def _posted_lines(request, annex) -> dict:
    out = {}
    for line in annex.lines.all():
        prefix = f"line-{line.pk}-"
        out[line.pk] = {
            name: request.POST.get(prefix + name, "")
            for name in ("value", "census_count", "mobilised_count", "justification")
        }
    return out


@login_required
def annex_page(request, pk: int):
    """The annex: read by the school's staff and the officers over it; saved (POST) by the principal."""
    _require(request.user)
    annex = selectors.annex_for(request.user, pk)
    if request.method == "POST":
        if not can(request.user, annex, CHANGE):
            raise PermissionDenied
        posted = _posted_lines(request, annex)
        try:
            services.annex_save(actor=request.user, annex=annex, lines=posted)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            context = _annex_context(request, annex, errors=errors, posted=posted)
            context["general_errors"] = errors.get("", []) + errors.get("__all__", [])
            return render(request, "targets/annex.html", context, status=400)
        if "submit" in request.POST:
            return _annex_step(request, annex, services.annex_submit, _("Đã gửi phụ lục đến đơn vị quản lý."))
        messages.success(request, _("Đã lưu phụ lục."))
        return redirect("targets:annex", pk=annex.pk)
    return render(request, "targets/annex.html", _annex_context(request, annex))


def _annex_step(request, annex, step, done: str, **kwargs):
    """One step of the annex's workflow through its service: its refusal or `done` as a message, back to the annex."""
    try:
        step(actor=request.user, annex=annex, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("targets:annex", pk=annex.pk)


@login_required
@require_POST
def annex_submit(request, pk: int):
    _require(request.user)
    annex = get_scoped_or_404(Annex.objects.all(), request.user, CHANGE, pk=pk)
    return _annex_step(request, annex, services.annex_submit, _("Đã gửi phụ lục đến đơn vị quản lý."))


@login_required
@require_POST
def annex_approve(request, pk: int):
    _require(request.user)
    annex = get_scoped_or_404(Annex.objects.all(), request.user, MANAGE, pk=pk)
    return _annex_step(request, annex, services.annex_approve, _("Đã duyệt phụ lục."))


@login_required
@require_POST
def annex_return(request, pk: int):
    _require(request.user)
    annex = get_scoped_or_404(Annex.objects.all(), request.user, MANAGE, pk=pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ghi ý kiến: trường cần sửa gì."))
        return redirect("targets:annex", pk=annex.pk)
    return _annex_step(
        request, annex, services.annex_return, _("Đã trả lại phụ lục cho trường."), comment=form.cleaned_data["comment"]
    )


@login_required
def annex_export(request, pk: int):
    _require(request.user)
    annex = selectors.annex_for(request.user, pk)
    return exports.annex_workbook(annex, user=request.user)


@login_required
def results_export(request, pk: int):
    _require(request.user)
    unit = get_scoped_or_404(OrgUnit.objects.current(), request.user, VIEW, pk=pk)
    from apps.indicators.registry import Target as EngineTarget

    year = _year(request, EngineTarget(unit=unit))
    return exports.results_workbook(request.user, unit, year)
