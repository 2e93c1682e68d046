"""The periodic reports' pages: the schedules and reports a user sees (a receiving body sets a schedule), a report
for a period, its narrative sections, submit, return with a comment, approve, reopen with a reason, its Word file
and the XLSX of its figures. Thin views: the rules are in `report_services` and `report_selectors`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core import exports
from apps.core.scoping import CHANGE, MANAGE, scope_for
from apps.plans import report_documents
from apps.plans import report_selectors as selectors
from apps.plans import report_services as services
from apps.plans.meeting_forms import CommentForm, NewReportForm, ScheduleForm
from apps.plans.views import DOCX, _errors, _send


def _receivers(user) -> list:
    from apps.orgunits.models import OrgUnit
    from apps.schools.models import School

    scope = scope_for(user)
    found = [(f"unit:{u.pk}", u, u.name) for u in OrgUnit.objects.current().filter(path__in=scope.officer_paths)]
    found += [(f"school:{s.pk}", s, s.name) for s in School.objects.filter(pk__in=scope.principal_school_ids)]
    return found


def _reporters(receivers) -> list:
    """Who may report to the user's receiving bodies: a unit's units one level down, its schools and its
    organisations; a school's organisations."""
    from apps.orgunits.models import OrgUnit
    from apps.schools.models import Organisation, School

    found = []
    for key, obj, _label in receivers:
        if key.startswith("unit:"):
            found += [(f"unit:{u.pk}", u, u.name) for u in OrgUnit.objects.current().filter(parent=obj)[:500]]
            schools = School.objects.filter(location=obj) | School.objects.filter(managed_by=obj)
            found += [(f"school:{s.pk}", s, s.name) for s in schools.distinct()[:500]]
            found += [(f"org:{o.pk}", o, o.name) for o in Organisation.objects.filter(org_unit=obj)]
        else:
            found += [(f"org:{o.pk}", o, o.name) for o in Organisation.objects.filter(school=obj)]
    return list({k: (k, o, label) for k, o, label in found}.values())


@login_required
def report_list(request):
    receivers = _receivers(request.user)
    form = ScheduleForm(reporters=_reporters(receivers), receivers=receivers) if receivers else None
    page = Paginator(selectors.report_list(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/reports/list.html",
        {"page": page, "schedules": selectors.schedule_list(request.user)[:200], "schedule_form": form},
    )


@login_required
@require_POST
def schedule_new(request):
    receivers = _receivers(request.user)
    form = ScheduleForm(request.POST, reporters=_reporters(receivers), receivers=receivers)
    if form.is_valid():
        try:
            services.schedule_create(
                actor=request.user,
                title=form.cleaned_data["title"],
                period=form.cleaned_data["period"],
                deadline_days=form.cleaned_data["deadline_days"],
                **form.kwargs(),
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã tạo lịch báo cáo."))
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("plans:reports")


@login_required
@require_POST
def report_new(request, pk: int):
    schedule = selectors.schedule_for(request.user, pk, CHANGE)
    form = NewReportForm(request.POST)
    if form.is_valid():
        try:
            report = services.report_create(actor=request.user, schedule=schedule, on=form.cleaned_data["on"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            return redirect("plans:report", report.pk)
    else:
        messages.error(request, _("Nhập một ngày trong kỳ báo cáo (dd/mm/yyyy)."))
    return redirect("plans:reports")


@login_required
def report_detail(request, pk: int):
    report = selectors.report_for(request.user, pk)
    return render(
        request,
        "plans/reports/detail.html",
        {
            "report": report,
            "may": selectors.may(request.user, report),
            "rows": report_documents.rows(report),
            "has_body": services.reporter_body(report.schedule) is not None,
            "comment_form": CommentForm(),
        },
    )


@login_required
@require_POST
def report_edit(request, pk: int):
    report = selectors.report_for(request.user, pk, CHANGE)
    headings = request.POST.getlist("heading")
    texts = request.POST.getlist("text")
    try:
        services.report_update(
            actor=request.user,
            report=report,
            sections=[{"heading": h, "text": t} for h, t in zip(headings, texts, strict=False)],
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã lưu nội dung báo cáo."))
    return redirect("plans:report", report.pk)


def _act(request, pk: int, action: str, call, done: str):
    report = selectors.report_for(request.user, pk, action)
    try:
        result = call(report)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("plans:report", report.pk)
    messages.success(request, done)
    return redirect("plans:report", result.pk)


@login_required
@require_POST
def report_refresh(request, pk: int):
    return _act(
        request, pk, CHANGE, lambda r: services.report_refresh(actor=request.user, report=r), _("Đã cập nhật số liệu.")
    )


@login_required
@require_POST
def report_submit(request, pk: int):
    return _act(
        request, pk, CHANGE, lambda r: services.report_submit(actor=request.user, report=r), _("Đã gửi báo cáo.")
    )


@login_required
@require_POST
def report_approve(request, pk: int):
    return _act(
        request, pk, MANAGE, lambda r: services.report_approve(actor=request.user, report=r), _("Đã duyệt báo cáo.")
    )


@login_required
@require_POST
def report_return(request, pk: int):
    comment = request.POST.get("comment", "")
    return _act(
        request,
        pk,
        MANAGE,
        lambda r: services.report_return(actor=request.user, report=r, comment=comment),
        _("Đã trả lại báo cáo."),
    )


@login_required
@require_POST
def report_reopen(request, pk: int):
    reason = request.POST.get("comment", "")
    return _act(
        request,
        pk,
        MANAGE,
        lambda r: services.report_reopen(actor=request.user, report=r, reason=reason),
        _("Đã mở lại báo cáo: bản mới để sửa."),
    )


@login_required
def report_docx(request, pk: int):
    """A submitted report's Word file as issued in the reporter's register (its checksum checked); a report being
    written (a draft, or returned), or one of a reporter with no issuing body, is made from what it holds now."""
    report = selectors.report_for(request.user, pk)
    if report.document_id is None or report.editable:
        data = report_documents.docx(report)
        return _send(
            request, data, f"bao-cao-{report.pk}-lan-{report.revision}.docx", DOCX, report, report.schedule.commune
        )
    data = report.document.issued_bytes()
    if data is None:
        raise Http404
    name = f"{report.document.symbol.replace('/', '-') or 'bao-cao'}.docx"
    return _send(request, data, name, DOCX, report, report.schedule.commune)


@login_required
def report_xlsx(request, pk: int):
    report = selectors.report_for(request.user, pk)
    return exports.xlsx_response(
        filename=exports.export_filename("bao-cao", report.pk, "so-lieu"),
        title=str(report),
        headers=[_("Chỉ tiêu"), _("Nguồn số liệu"), _("Tử số"), _("Mẫu số"), _("Tỷ lệ")],
        rows=report_documents.rows(report),
        user=request.user,
        personal=False,
    )
