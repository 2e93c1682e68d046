"""Pages of the national standard schools: every school's status worst first, the criteria sets (their texts
edited and verified by a system administrator), a school's targets, cycles, gap, roadmap and recognitions, a
cycle's council, ratings and evidence, the roadmap across the commune, the recognitions due for renewal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import error_text, flash_service
from apps.core.scoping import CHANGE, MANAGE, VIEW, can, get_scoped_or_404, scope_for
from apps.orgunits.models import OrgUnit
from apps.schools.models import School
from apps.standards import exports, jobs, selectors, services
from apps.standards.forms import (
    AssessmentForm,
    AssignForm,
    CycleForm,
    EvidenceForm,
    EvidenceUseForm,
    FundingForm,
    ImprovementLinkForm,
    ItemForm,
    MemberForm,
    PayoutForm,
    PhotoForm,
    PlanItemForm,
    ProgressForm,
    RateForm,
    RecognitionForm,
    TargetForm,
    TextForm,
)
from apps.standards.models import (
    Assessment,
    ConstructionItem,
    Criterion,
    Cycle,
    Evidence,
    ImprovementTask,
    Indicator,
    Recognition,
    Target,
)
from apps.standards.site import may_open


def _require(user) -> None:
    if not may_open(user):
        raise PermissionDenied


def _school(request, pk, action=VIEW) -> School:
    # Out of scope answers 404 before anything else, as everywhere.
    school = get_scoped_or_404(School.objects.select_related("managed_by", "location"), request.user, action, pk=pk)
    _require(request.user)
    return school


def _cycle(request, pk, action=VIEW) -> Cycle:
    cycle = get_scoped_or_404(selectors.cycles_for(request.user), request.user, action, pk=pk)
    _require(request.user)
    return cycle


def _assessment(request, pk) -> Assessment:
    """A criterion's assessment, reached through its cycle's scope (404 outside it)."""
    assessment = (
        Assessment.objects.filter(pk=pk, cycle__in=Cycle.objects.restrict(request.user, VIEW))
        .select_related("cycle__school", "cycle__criteria_set", "criterion__standard", "assignee")
        .first()
    )
    if assessment is None:
        raise Http404
    _require(request.user)
    return assessment


def _unit_filter(request):
    """The commune (or district, province) chosen in the status page's filter, among the units the user sees."""
    units = selectors.status_units(request.user)
    raw = request.GET.get("unit", "")
    if not raw.isdigit():
        return units, None
    unit = get_scoped_or_404(OrgUnit.objects.all(), request.user, VIEW, pk=int(raw))
    return units, unit


@login_required
def index(request):
    _require(request.user)
    units, unit = _unit_filter(request)
    return render(
        request,
        "standards/index.html",
        {"rows": selectors.schools_status(request.user, unit), "units": units, "unit": unit},
    )


@login_required
def status_export(request):
    _require(request.user)
    _units, unit = _unit_filter(request)
    return exports.status_workbook(request.user, unit)


# Criteria sets ---------------------------------------------------------------------------------------------------


@login_required
def set_list(request):
    _require(request.user)
    sets = selectors.sets_for(request.user)
    return render(
        request,
        "standards/sets.html",
        {"sets": [(s, services.missing_texts(s)) for s in sets], "is_admin": scope_for(request.user).is_admin},
    )


@login_required
def set_page(request, pk):
    _require(request.user)
    criteria_set = get_scoped_or_404(selectors.sets_for(request.user), request.user, VIEW, pk=pk)
    standards = criteria_set.standards.prefetch_related("criteria__indicators")
    extras = criteria_set.indicators.filter(criterion__isnull=True)
    return render(
        request,
        "standards/set.html",
        {
            "set": criteria_set,
            "standards": standards,
            "extras": extras,
            "missing": services.missing_texts(criteria_set),
            "is_admin": scope_for(request.user).is_admin,
        },
    )


@login_required
@require_POST
def set_text(request, pk):
    _require(request.user)
    criteria_set = get_scoped_or_404(selectors.sets_for(request.user), request.user, VIEW, pk=pk)
    form = TextForm(request.POST)

    def write(kind, pk, text):
        owner = {"standard": "criteria_set", "criterion": "standard__criteria_set", "indicator": "criteria_set"}[kind]
        model = {"standard": criteria_set.standards.model, "criterion": Criterion, "indicator": Indicator}[kind]
        if not model.objects.filter(pk=pk, **{owner: criteria_set}).exists():
            raise Http404
        return services.text_edit(actor=request.user, kind=kind, pk=pk, text=text)

    flash_service(request, form, write, lambda obj: _("Đã lưu nội dung."))
    return redirect("standards:set", criteria_set.pk)


@login_required
@require_POST
def set_verify(request, pk):
    _require(request.user)
    criteria_set = get_scoped_or_404(selectors.sets_for(request.user), request.user, VIEW, pk=pk)
    verified = request.POST.get("verified") != "0"
    flash_service(
        request,
        None,
        lambda: services.set_verify(actor=request.user, criteria_set=criteria_set, verified=verified),
        lambda s: _("Đã xác minh bộ tiêu chuẩn.") if s.verified else _("Đã bỏ xác minh bộ tiêu chuẩn."),
    )
    return redirect("standards:set", criteria_set.pk)


# A school --------------------------------------------------------------------------------------------------------


@login_required
def school_page(request, pk):
    school = _school(request, pk)
    gap = selectors.gap_of(school)
    cycles = Cycle.objects.restrict(request.user, VIEW).filter(school=school).select_related("criteria_set")
    items = ConstructionItem.objects.restrict(request.user, VIEW).filter(school=school).order_by("year", "pk")
    return render(
        request,
        "standards/school.html",
        {
            "school": school,
            "set": services.set_for(school),
            "targets": Target.objects.restrict(request.user, VIEW).filter(school=school),
            "cycles": cycles,
            "progress": selectors.progress_of(request.user, school),
            "gap": gap,
            "items": items,
            "recognitions": Recognition.objects.restrict(request.user, VIEW).filter(school=school),
            "may_manage": can(request.user, school, MANAGE),
            "may_change": can(request.user, school, CHANGE),
            "cycle_form": CycleForm(initial={"year": timezone.localdate().year}),
            "target_form": TargetForm(),
            "item_form": ItemForm(),
            "recognition_form": RecognitionForm(),
        },
    )


def _school_write(request, pk, form, write, success, action=MANAGE):
    school = _school(request, pk)
    if not can(request.user, school, action):
        raise PermissionDenied
    flash_service(request, form, lambda **data: write(school, **data), success)
    return redirect("standards:school", school.pk)


@login_required
@require_POST
def cycle_start(request, pk):
    return _school_write(
        request,
        pk,
        CycleForm(request.POST),
        lambda school, year: services.cycle_start(actor=request.user, school=school, year=year),
        lambda c: _("Đã mở đợt tự đánh giá năm %(year)s theo %(set)s.") % {"year": c.year, "set": c.criteria_set.name},
    )


@login_required
@require_POST
def target_set(request, pk):
    return _school_write(
        request,
        pk,
        TargetForm(request.POST),
        lambda school, level, year: services.target_set(actor=request.user, school=school, level=level, year=year),
        lambda t: _("Đã đặt mục tiêu."),
    )


@login_required
@require_POST
def item_create(request, pk):
    return _school_write(
        request,
        pk,
        ItemForm(request.POST),
        lambda school, **data: services.item_create(actor=request.user, school=school, **data),
        lambda i: _("Đã thêm hạng mục “%(name)s”.") % {"name": i.name},
    )


@login_required
@require_POST
def recognition_record(request, pk):
    return _school_write(
        request,
        pk,
        RecognitionForm(request.POST),
        lambda school, **data: services.recognition_record(actor=request.user, school=school, **data),
        lambda r: _("Đã ghi quyết định %(number)s.") % {"number": r.number},
        action=CHANGE,
    )


# A cycle ---------------------------------------------------------------------------------------------------------


def _cycle_context(request, cycle):
    result = selectors.cycle_result(cycle)
    editable = {
        a.pk
        for a in Assessment.objects.filter(cycle=cycle).select_related("assignee", "cycle")
        if services.may_edit(request.user, a)
    }
    return {
        "cycle": cycle,
        "result": result,
        "editable": editable,
        "may_manage": cycle.is_open and can(request.user, cycle.school, MANAGE),
        "members": cycle.members.all(),
        "evidence": Evidence.objects.filter(cycle=cycle).prefetch_related("criteria"),
        "criteria": [cr.criterion for cr in result.criteria],
    }


@login_required
def cycle_page(request, pk):
    cycle = _cycle(request, pk)
    return render(request, "standards/cycle.html", _cycle_context(request, cycle))


@login_required
@require_POST
def rate(request, pk):
    cycle = _cycle(request, pk)
    form = RateForm(request.POST)
    if not form.is_valid():
        return HttpResponse(error_text(form), status=400)
    indicator = Indicator.objects.filter(pk=form.cleaned_data["indicator"], criteria_set=cycle.criteria_set_id).first()
    if indicator is None:
        raise Http404
    try:
        services.indicator_rate(
            actor=request.user,
            cycle=cycle,
            indicator=indicator,
            met=form.cleaned_data["met"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        if request.htmx:
            return HttpResponse(" ".join(exc.messages), status=400)
        messages.error(request, " ".join(exc.messages))
    if request.htmx:
        return render(request, "standards/cycle.html#result", _cycle_context(request, cycle))
    return redirect("standards:cycle", cycle.pk)


def _cycle_write(request, pk, form, write, success):
    cycle = _cycle(request, pk)
    flash_service(request, form, lambda **data: write(cycle, **data), success)
    return redirect("standards:cycle", cycle.pk)


@login_required
@require_POST
def member_add(request, pk):
    return _cycle_write(
        request,
        pk,
        MemberForm(request.POST),
        lambda cycle, **data: services.member_add(actor=request.user, cycle=cycle, **data),
        lambda m: _("Đã thêm %(name)s vào hội đồng.") % {"name": m.name},
    )


@login_required
@require_POST
def assign(request, pk):
    def write(cycle, criterion, member):
        criterion = Criterion.objects.filter(pk=criterion, standard__criteria_set=cycle.criteria_set_id).first()
        if criterion is None:
            raise Http404
        member = cycle.members.filter(pk=member).first() if member else None
        return services.criterion_assign(actor=request.user, cycle=cycle, criterion=criterion, member=member)

    return _cycle_write(request, pk, AssignForm(request.POST), write, lambda a: _("Đã phân công tiêu chí."))


@login_required
@require_POST
def evidence_add(request, pk):
    def write(cycle, criterion, file, **data):
        criterion = Criterion.objects.filter(pk=criterion, standard__criteria_set=cycle.criteria_set_id).first()
        if criterion is None:
            raise Http404
        return services.evidence_add(actor=request.user, cycle=cycle, criterion=criterion, upload=file, **data)

    return _cycle_write(
        request,
        pk,
        EvidenceForm(request.POST, request.FILES),
        write,
        lambda e: _("Đã thêm minh chứng %(code)s.") % {"code": e.code},
    )


@login_required
@require_POST
def evidence_use(request, pk):
    def write(cycle, evidence, criterion):
        evidence = Evidence.objects.filter(pk=evidence, cycle=cycle).first()
        criterion = Criterion.objects.filter(pk=criterion, standard__criteria_set=cycle.criteria_set_id).first()
        if evidence is None or criterion is None:
            raise Http404
        return services.evidence_use(actor=request.user, evidence=evidence, criterion=criterion)

    return _cycle_write(
        request,
        pk,
        EvidenceUseForm(request.POST),
        write,
        lambda e: _("Minh chứng %(code)s dùng thêm cho tiêu chí.") % {"code": e.code},
    )


@login_required
@require_POST
def cycle_close(request, pk):
    return _cycle_write(
        request,
        pk,
        None,
        lambda cycle: services.cycle_close(actor=request.user, cycle=cycle),
        lambda c: _("Đã kết thúc đợt tự đánh giá."),
    )


@login_required
@require_POST
def report(request, pk):
    from apps.standards.report import report_issue

    cycle = _cycle(request, pk, MANAGE)
    try:
        document = report_issue(actor=request.user, cycle=cycle, on=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("standards:cycle", cycle.pk)
    messages.success(request, _("Đã lập báo cáo tự đánh giá %(symbol)s.") % {"symbol": document.symbol})
    return redirect("documents:docx", document.pk)


@login_required
def assessment_page(request, pk):
    assessment = _assessment(request, pk)
    editable = services.may_edit(request.user, assessment)
    form = AssessmentForm(
        request.POST or None,
        initial={
            "current_state": assessment.current_state,
            "strengths": assessment.strengths,
            "weaknesses": assessment.weaknesses,
        },
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if flash_service(
            request,
            form,
            lambda **data: services.assessment_save(actor=request.user, assessment=assessment, **data),
            lambda a: _("Đã lưu tiêu chí %(code)s.") % {"code": a.criterion.code},
        ):
            return redirect("standards:assessment", assessment.pk)
    return render(
        request,
        "standards/assessment.html",
        {
            "a": assessment,
            "form": form,
            "editable": editable,
            "plan_form": PlanItemForm(criterion=assessment.criterion),
            "improvements": [
                (item, ImprovementLinkForm(criterion=assessment.criterion, initial={"indicator": item.indicator_id}))
                for item in ImprovementTask.objects.filter(assessment=assessment).select_related(
                    "task__owner_school", "indicator__criterion__standard"
                )
            ],
        },
    )


@login_required
@require_POST
def plan_item_add(request, pk):
    assessment = _assessment(request, pk)
    flash_service(
        request,
        PlanItemForm(request.POST, criterion=assessment.criterion),
        lambda **data: services.improvement_add(actor=request.user, assessment=assessment, **data),
        lambda i: _("Đã thêm nội dung cải tiến."),
    )
    return redirect("standards:assessment", assessment.pk)


@login_required
@require_POST
def improvement_link(request, pk):
    """The control beside an improvement item: which indicator of its criterion it improves."""
    item = ImprovementTask.objects.filter(pk=pk).select_related("assessment").first()
    if item is None:
        raise Http404
    assessment = _assessment(request, item.assessment_id)
    flash_service(
        request,
        ImprovementLinkForm(request.POST, criterion=assessment.criterion),
        lambda indicator: services.improvement_link(actor=request.user, improvement=item, indicator=indicator),
        lambda i: _("Đã gắn nội dung cải tiến với chỉ báo.") if i.indicator_id else _("Đã bỏ gắn chỉ báo."),
    )
    return redirect("standards:assessment", assessment.pk)


# Roadmap ---------------------------------------------------------------------------------------------------------


@login_required
def roadmap_page(request):
    _require(request.user)
    data = selectors.roadmap(request.user)
    overdue = jobs.overdue_items(timezone.localdate(), ConstructionItem.objects.restrict(request.user, VIEW))
    return render(request, "standards/roadmap.html", {"data": data, "overdue": overdue})


@login_required
def roadmap_export(request):
    _require(request.user)
    return exports.roadmap_workbook(request.user)


def _item(request, pk, action=VIEW) -> ConstructionItem:
    item = get_scoped_or_404(ConstructionItem.objects.select_related("school"), request.user, action, pk=pk)
    _require(request.user)
    return item


@login_required
def item_page(request, pk):
    item = _item(request, pk)
    funding = selectors.item_funding(item)
    funded = sum(f.amount for f in funding)
    return render(
        request,
        "standards/item.html",
        {
            "item": item,
            "funding": funding,
            "funded": funded,
            "remaining": max(item.budget - funded, 0),
            "photos": item.photos.select_related("attachment"),
            "may_manage": can(request.user, item, MANAGE),
            "progress_form": ProgressForm(initial={"status": item.status, "percent": item.percent}),
            "funding_form": FundingForm(),
            "payout_form": PayoutForm(user=request.user),
            "photo_form": PhotoForm(),
        },
    )


def _item_write(request, pk, form, write, success):
    item = _item(request, pk, MANAGE)
    flash_service(request, form, lambda **data: write(item, **data), success)
    return redirect("standards:item", item.pk)


@login_required
@require_POST
def item_progress(request, pk):
    return _item_write(
        request,
        pk,
        ProgressForm(request.POST),
        lambda item, **data: services.item_progress(actor=request.user, item=item, **data),
        lambda i: _("Đã cập nhật tiến độ."),
    )


@login_required
@require_POST
def funding_add(request, pk):
    return _item_write(
        request,
        pk,
        FundingForm(request.POST),
        lambda item, **data: services.funding_add(actor=request.user, item=item, **data),
        lambda f: _("Đã ghi nguồn kinh phí."),
    )


@login_required
@require_POST
def funding_payout(request, pk):
    return _item_write(
        request,
        pk,
        PayoutForm(request.POST, user=request.user),
        lambda item, **data: services.funding_payout(actor=request.user, item=item, **data),
        lambda f: _("Đã ghi khoản chi của quỹ cho công trình."),
    )


@login_required
@require_POST
def photo_add(request, pk):
    return _item_write(
        request,
        pk,
        PhotoForm(request.POST, request.FILES),
        lambda item, file, caption: services.photo_add(actor=request.user, item=item, upload=file, caption=caption),
        lambda p: _("Đã thêm ảnh."),
    )


@login_required
def recognitions(request):
    _require(request.user)
    visible = Recognition.objects.restrict(request.user, VIEW).select_related("school")
    due = jobs.due_for_reregistration(timezone.localdate(), visible)
    return render(request, "standards/recognitions.html", {"recognitions": visible, "due": due})
