"""The plans' pages: the plans a user sees, a plan with its targets' live progress, its activities (the tasks per
month or month range), its parties and their agreement, confirmation and issue, the Word file; the tasks a user
follows (late first), their calendar, a task with its status, comments and evidence; the XLSX of a plan's schedule
and of the late list. Thin views: the rules are in `services` and `selectors`; out of scope is 404."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core import exports
from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import CHANGE, VIEW, scope_for
from apps.plans import content, selectors, services
from apps.plans.forms import (
    AssessForm,
    CommentForm,
    EvidenceForm,
    LinkedTargetForm,
    NewPlanForm,
    PaperForm,
    PlanForm,
    SignatoryForm,
    StatusForm,
    TargetForm,
    TaskForm,
)
from apps.plans.models import Kind, PlanTarget, Signatory, Status

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _errors(request, exc: ValidationError, form=None, labels: dict[str, str] | None = None) -> None:
    """A service's refusal: on the form's fields when a form is given, else as messages, where a field's message
    follows the field's name from `labels` (away from its field, a message that does not name it must)."""
    if form is not None and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    if labels and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                messages.error(request, f"{labels[field]}: {message}" if field in labels else message)
        return
    for message in exc.messages:
        messages.error(request, message)


def _owners(user):
    """What the user may write plans for: the schools they are principal of, the units they govern."""
    from apps.orgunits.models import OrgUnit
    from apps.schools.models import School

    scope = scope_for(user)
    found = [(f"school:{s.pk}", s, s.name) for s in School.objects.filter(pk__in=scope.principal_school_ids)]
    units = OrgUnit.objects.current().filter(path__in=scope.officer_paths)
    found += [(f"unit:{u.pk}", u, u.name) for u in units]
    return found


@login_required
def plan_list(request):
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in Kind.values else ""
    status = request.GET.get("status", "") if request.GET.get("status", "") in Status.values else ""
    page = Paginator(selectors.plan_list(request.user, kind=kind, status=status), 25).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "kinds": Kind.choices,
        "statuses": Status.choices,
        "kind": kind,
        "status": status,
        "may_create": bool(_owners(request.user)),
    }
    template = "plans/list.html#results" if request.htmx else "plans/list.html"
    return render(request, template, ctx)


@login_required
def plan_new(request):
    owners = _owners(request.user)
    if not owners:
        raise Http404
    from apps.schools.models import SchoolYear

    years = SchoolYear.objects.restrict(request.user, VIEW).order_by("-start_year")
    today = timezone.localdate()
    current = years.containing(today).first() or years.filter(starts_on__lte=today).first()
    bodies = {
        key: services.owner_bodies(**({"school": obj} if key.startswith("school:") else {"org_unit": obj}))
        for key, obj, _label in owners
    }
    form = NewPlanForm(
        request.POST or None, owners=owners, years=years, bodies=bodies, initial={"school_year": current}
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                school_year=form.cleaned_data["school_year"],
                body=form.cleaned_data.get("body"),
                **form.owner_kwargs(),
            )
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("Đã lập kế hoạch từ mẫu."))
            return redirect("plans:detail", plan.pk)
    return render(request, "plans/new.html", {"form": form})


def _detail_context(request, plan, **more):
    may = selectors.may(request.user, plan)
    now = content.content_hash(plan)
    visible = {t.pk for t in selectors.plan_tasks_detail(request.user, plan)}
    signatories = list(plan.signatories.select_related("organisation", "org_unit", "school", "user", "scan"))
    previous = plan.previous
    return {
        "plan": plan,
        "may": may,
        "lines": selectors.progress_of(plan),
        "schedule": selectors.plan_schedule(plan),
        "visible_tasks": visible,
        "signatories": [
            {"s": s, "agreed": s.agreed(now), "speaks": services._speaks_for(request.user, s)} for s in signatories
        ],
        "differences": content.differences(previous, plan) if previous is not None else [],
        "target_form": TargetForm(),
        "linked_form": _linked_form(request, plan) if may["change"] and plan.editable else None,
        "party_form": SignatoryForm(plan=plan, organisations=selectors.party_organisations(plan), prefix="party"),
        "assess_form": AssessForm(prefix="assess"),
        "task_form": TaskForm(organisations=selectors.party_organisations(plan)),
        "paper_form": PaperForm(),
        **more,
    }


@login_required
def plan_detail(request, pk: int):
    plan = selectors.plan_for(request.user, pk)
    return render(request, "plans/detail.html", _detail_context(request, plan))


@login_required
def plan_edit(request, pk: int):
    plan = selectors.plan_for(request.user, pk, CHANGE)
    bodies = services.owner_bodies(school=plan.school, org_unit=plan.org_unit)
    form = PlanForm(request.POST or None, initial=PlanForm.initial_of(plan), bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, **form.values())
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("Đã lưu kế hoạch."))
            return redirect("plans:detail", plan.pk)
    return render(request, "plans/edit.html", {"plan": plan, "form": form})


@login_required
@require_POST
def target_add(request, pk: int):
    plan = selectors.plan_for(request.user, pk, CHANGE)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            services.target_add(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Chỉ tiêu chưa hợp lệ."))
    return redirect("plans:detail", plan.pk)


@login_required
@require_POST
def task_add(request, pk: int):
    plan = selectors.plan_for(request.user, pk, CHANGE)
    form = TaskForm(request.POST, organisations=selectors.party_organisations(plan))
    if form.is_valid():
        try:
            services.task_add(
                actor=request.user,
                plan=plan,
                title=form.cleaned_data["title"],
                months=form.cleaned_data["months"],
                due_on=form.cleaned_data["due_on"],
                **form.owner_kwargs(),
            )
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            form = TaskForm(organisations=selectors.party_organisations(plan))
    plan.refresh_from_db()
    if request.htmx:
        return render(request, "plans/detail.html#schedule", _detail_context(request, plan, task_form=form))
    if form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("plans:detail", plan.pk)


def _step(request, pk: int, action, done: str, **kwargs):
    try:
        action(actor=request.user, **kwargs)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, done)
    return redirect("plans:detail", pk)


@login_required
@require_POST
def plan_submit(request, pk: int):
    plan = selectors.plan_for(request.user, pk, CHANGE)
    return _step(request, pk, services.plan_submit, _("Đã gửi các bên thống nhất."), plan=plan)


@login_required
@require_POST
def plan_confirm(request, pk: int):
    plan = selectors.plan_for(request.user, pk)
    return _step(request, pk, services.plan_confirm, _("Đã xác nhận và ban hành kế hoạch."), plan=plan)


@login_required
@require_POST
def plan_issue(request, pk: int):
    plan = selectors.plan_for(request.user, pk, CHANGE)
    return _step(request, pk, services.plan_issue, _("Đã ban hành kế hoạch."), plan=plan)


@login_required
@require_POST
def plan_amend(request, pk: int):
    plan = selectors.plan_for(request.user, pk, CHANGE)
    try:
        new = services.plan_amend(actor=request.user, plan=plan)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("plans:detail", pk)
    messages.success(request, _("Đã lập bản sửa đổi: sửa nội dung rồi gửi các bên thống nhất lại."))
    return redirect("plans:detail", new.pk)


def _signatory(request, pk: int) -> Signatory:
    s = Signatory.objects.select_related("plan").filter(pk=pk).first()
    if s is None:
        raise Http404
    selectors.plan_for(request.user, s.plan_id)
    return s


@login_required
@require_POST
def signatory_agree(request, pk: int):
    s = _signatory(request, pk)
    return _step(request, s.plan_id, services.signatory_agree, _("Đã thống nhất kế hoạch."), signatory=s)


@login_required
@require_POST
def signatory_paper(request, pk: int):
    s = _signatory(request, pk)
    form = PaperForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Chưa chọn bản quét."))
        return redirect("plans:detail", s.plan_id)
    return _step(
        request,
        s.plan_id,
        services.signatory_record_paper,
        _("Đã ghi nhận bên ký trên giấy."),
        signatory=s,
        scan=form.cleaned_data["scan"],
    )


def _send(request, content_bytes: bytes, filename: str, content_type: str, obj, unit) -> HttpResponse:
    audit_record(
        actor=request.user,
        action="plans.download",
        obj=obj,
        org_unit=unit,
        kind=AuditEvent.Kind.READ,
        changes={"file": filename},
    )
    response = HttpResponse(content_bytes, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def plan_docx(request, pk: int):
    """The issued plan's Word file, as issued (its checksum checked), for whoever reads the plan."""
    import hashlib

    plan = selectors.plan_for(request.user, pk)
    if plan.document_id is None or not plan.document.file:
        raise Http404
    with plan.document.file.open("rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != plan.document.sha256:
        raise Http404
    name = f"{plan.document.symbol.replace('/', '-') or 'ke-hoach'}.docx"
    return _send(request, data, name, DOCX, plan, plan.commune)


@login_required
def schedule_xlsx(request, pk: int):
    """The plan's schedule; a task's status only where the user may see the task's details."""
    plan = selectors.plan_for(request.user, pk)
    visible = {t.pk for t in selectors.plan_tasks_detail(request.user, plan)}
    rows = [
        [t.when, t.title, t.owner_label, t.due_on, t.get_status_display() if t.pk in visible else ""]
        for t in selectors.plan_schedule(plan)
    ]
    return exports.xlsx_response(
        filename=exports.export_filename("ke-hoach", plan.pk, "lich-thuc-hien"),
        title=_("Lịch thực hiện: %(title)s") % {"title": plan.title},
        headers=[_("Thời gian"), _("Nội dung công việc"), _("Người, đơn vị thực hiện"), _("Hạn"), _("Trạng thái")],
        rows=rows,
        user=request.user,
        personal=False,
    )


@login_required
def task_list(request):
    """The tasks the user follows, late first; filtered to one owner party (an organisation, a school, a unit, a
    person or a named agency) among those owning them."""
    today = timezone.localdate()
    owners = selectors.task_owners(request.user)
    owner = request.GET.get("owner", "")
    owner = owner if owner in dict(owners) else ""
    tasks = selectors.task_list(request.user, today=today, owner=owner)
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    ctx = {"page": page, "today": today, "owners": owners, "owner": owner}
    template = "plans/tasks.html#results" if request.htmx else "plans/tasks.html"
    return render(request, template, ctx)


@login_required
def late_xlsx(request):
    today = timezone.localdate()
    rows = [
        [t.plan.title if t.plan_id else "", t.when, t.title, t.owner_label, t.due_on, (today - t.due_on).days]
        for t in selectors.late_tasks(request.user, today=today)
    ]
    return exports.xlsx_response(
        filename=exports.export_filename("nhiem-vu-qua-han", today.isoformat()),
        title=_("Nhiệm vụ quá hạn ngày %(day)s") % {"day": f"{today:%d/%m/%Y}"},
        headers=[
            _("Kế hoạch"),
            _("Thời gian"),
            _("Nội dung công việc"),
            _("Người, đơn vị thực hiện"),
            _("Hạn"),
            _("Số ngày quá hạn"),
        ],
        rows=rows,
        user=request.user,
        personal=False,
    )


@login_required
def task_calendar(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        first = datetime.date(year, month, 1)
    except (TypeError, ValueError):
        raise Http404 from None
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    weeks = selectors.calendar_of(request.user, year, month)
    return render(
        request,
        "plans/calendar.html",
        {"weeks": weeks, "first": first, "previous": previous, "following": following, "today": today},
    )


def _task_context(request, task, **more):
    from apps.core.scoping import can

    return {
        "task": task,
        "may_change": can(request.user, task, CHANGE) and not (task.plan_id and task.plan.status == Status.SUPERSEDED),
        "status_form": StatusForm(initial={"status": task.status}),
        "comment_form": CommentForm(),
        "evidence_form": EvidenceForm(),
        "late": task.is_late(),
        **more,
    }


@login_required
def task_detail(request, pk: int):
    task = selectors.task_for(request.user, pk)
    return render(request, "plans/task.html", _task_context(request, task))


@login_required
@require_POST
def task_status(request, pk: int):
    task = selectors.task_for(request.user, pk, CHANGE)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.task_set_status(actor=request.user, task=task, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã cập nhật nhiệm vụ."))
    return redirect("plans:task", pk)


@login_required
@require_POST
def task_comment(request, pk: int):
    task = selectors.task_for(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.task_comment(actor=request.user, task=task, text=form.cleaned_data["text"])
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("plans:task", pk)


@login_required
@require_POST
def task_evidence(request, pk: int):
    task = selectors.task_for(request.user, pk, CHANGE)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            item = services.task_add_evidence(actor=request.user, task=task, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã đính kèm tệp %(file)s.") % {"file": item.filename})
    else:
        messages.error(request, _("Chưa chọn tệp để đính kèm."))
    return redirect("plans:task", pk)


@login_required
def evidence_download(request, pk: int):
    item = selectors.evidence_for(request.user, pk)
    with item.file.open("rb") as fh:
        data = fh.read()
    return _send(
        request,
        data,
        item.filename,
        item.content_type,
        item.task,
        item.task.plan.commune if item.task.plan_id else None,
    )


# ---- a plan's targets and parties: edit, remove, assess -------------------------------------------------------------


def _linked_form(request, plan, data=None, **kwargs) -> LinkedTargetForm:
    """The linkable kinds' objects the user may pick for this plan, grouped by kind (`apps.plans.linkable`)."""
    from apps.plans import linkable

    kinds = [
        (kind.label, [(f"{code}:{pk}", label) for pk, label in kind.choices(request.user, plan)])
        for code, kind in sorted(linkable.kinds().items())
    ]
    return LinkedTargetForm(data, kinds=kinds, prefix="link", **kwargs)


def _target(request, pk: int, action: str = CHANGE) -> PlanTarget:
    """The target (404 out of view), its plan read with the right to `action` it (403 when only readable)."""
    from apps.core.scoping import get_scoped_or_404

    target = get_scoped_or_404(PlanTarget, request.user, VIEW, pk=pk)
    target.plan = selectors.plan_for(request.user, target.plan_id, action)
    return target


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@login_required
@require_POST
def linked_target_add(request, pk: int):
    plan = selectors.plan_for(request.user, pk, CHANGE)
    form = _linked_form(request, plan, request.POST)
    if form.is_valid():
        try:
            services.target_add(actor=request.user, plan=plan, **form.values())
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã thêm chỉ tiêu."))
    else:
        _form_errors(request, form)
    return redirect(f"{reverse('plans:detail', args=[plan.pk])}#targets")


@login_required
def target_edit(request, pk: int):
    """Edit a target: its own figure, or the object it is linked to (content: any agreement given is void)."""
    target = _target(request, pk)
    plan = target.plan
    linked = bool(target.link_kind)
    if linked:
        form = _linked_form(request, plan, request.POST or None, initial=LinkedTargetForm.initial_of(target))
    else:
        form = TargetForm(request.POST or None, initial=TargetForm.initial_of(target))
    if request.method == "POST" and form.is_valid():
        values = form.values() if linked else form.cleaned_data
        try:
            services.target_update(actor=request.user, target=target, **values)
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu."))
            return redirect(f"{reverse('plans:detail', args=[plan.pk])}#targets")
    return render(request, "plans/part_edit.html", {"plan": plan, "form": form, "what": _("Sửa chỉ tiêu")})


@login_required
@require_POST
def target_remove(request, pk: int):
    target = _target(request, pk)
    try:
        services.target_remove(actor=request.user, target=target)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã bỏ chỉ tiêu “%(label)s”.") % {"label": target.label})
    return redirect(f"{reverse('plans:detail', args=[target.plan_id])}#targets")


@login_required
@require_POST
def target_assess(request, pk: int):
    """Record an attested target met or not, with a note or evidence (an assessment: agreements stand)."""
    target = _target(request, pk)
    form = AssessForm(request.POST, request.FILES, prefix="assess")
    if form.is_valid():
        try:
            services.target_attest(
                actor=request.user,
                target=target,
                met=form.cleaned_data["met"],
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã ghi đánh giá chỉ tiêu."))
    else:
        _form_errors(request, form)
    return redirect(f"{reverse('plans:detail', args=[target.plan_id])}#targets")


def _party(request, pk: int) -> Signatory:
    from apps.core.scoping import get_scoped_or_404

    s = get_scoped_or_404(
        Signatory.objects.select_related("organisation", "org_unit", "school"), request.user, VIEW, pk=pk
    )
    s.plan = selectors.plan_for(request.user, s.plan_id, CHANGE)
    return s


@login_required
@require_POST
def signatory_add(request, pk: int):
    plan = selectors.plan_for(request.user, pk, CHANGE)
    form = SignatoryForm(request.POST, plan=plan, organisations=selectors.party_organisations(plan), prefix="party")
    if form.is_valid():
        try:
            services.signatory_add(actor=request.user, plan=plan, **form.values())
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã thêm bên ký."))
    else:
        _form_errors(request, form)
    return redirect(f"{reverse('plans:detail', args=[plan.pk])}#parties")


@login_required
def signatory_edit(request, pk: int):
    """Edit a party: its label, prefix lines, title, name, role and account (content: any agreement is void)."""
    s = _party(request, pk)
    plan = s.plan
    form = SignatoryForm(
        request.POST or None,
        plan=plan,
        organisations=selectors.party_organisations(plan),
        prefix="party",
        initial=SignatoryForm.initial_of(s),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.signatory_update(actor=request.user, signatory=s, **form.values())
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("Đã lưu bên ký."))
            return redirect(f"{reverse('plans:detail', args=[plan.pk])}#parties")
    return render(request, "plans/part_edit.html", {"plan": plan, "form": form, "what": _("Sửa bên ký")})


@login_required
@require_POST
def signatory_remove(request, pk: int):
    s = _party(request, pk)
    try:
        services.signatory_remove(actor=request.user, signatory=s)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã bỏ bên ký “%(party)s”.") % {"party": str(s)})
    return redirect(f"{reverse('plans:detail', args=[s.plan_id])}#parties")
