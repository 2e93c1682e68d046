"""Pages of the hotline: the public report page and status check (no login; nothing about any child is ever shown
back), the officer's phone intake, the commune's reports, and the commune's published numbers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import add_service_errors, flash_service
from apps.core.scoping import CHANGE, scope_for
from apps.orgunits.models import OrgUnit
from apps.retention import case_selectors, hotline
from apps.retention.case_forms import NumberForm, ReportCloseForm, ReportForm, StatusForm
from apps.retention.models import HotlineNumber, HotlineReport


def may_take_reports(user) -> bool:
    """The officers of communes (and of the provinces above them)."""
    return bool(user.is_authenticated and (scope_for(user).officer_paths or scope_for(user).is_admin))


def _submit(request, form, *, actor=None):
    """Resolve the commune and submit; the errors on the form. The report, or None."""
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    try:
        commune = hotline.commune_from_text(data.pop("commune"))
        if actor is not None:
            return hotline.phone_intake(actor=actor, commune=commune, honeypot="", **_fields(data))
        return hotline.report_submit(
            commune=commune, address=_address(request), honeypot=data.pop("website", ""), **_fields(data)
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def _fields(data: dict) -> dict:
    data.pop("website", None)
    return {
        k: data.get(k) or ("" if k != "age" else None) for k in ("child_text", "age", "hamlet_text", "known", "contact")
    }


def _address(request) -> str:
    from apps.accounts.signin import client_ip

    return client_ip(request)


def public_report(request):
    """Anyone reports a child not in school; the page lists the communes' published hotline numbers."""
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        report = _submit(request, form)
        if report is not None:
            return render(request, "retention/hotline/thanks.html", {"code": report.code})
    numbers = hotline.published_numbers()
    return render(
        request,
        "retention/hotline/public.html",
        {"form": form, "numbers": numbers},
        status=400 if request.method == "POST" else 200,
    )


def public_status(request):
    """The status of a report by its code: received, being handled or closed — nothing more."""
    form = StatusForm(request.GET or None)
    status = None
    if form.is_valid():
        status = hotline.status_of(form.cleaned_data["code"])
        if status is None:
            form.add_error("code", _("Không có tin báo với mã này."))
    return render(request, "retention/hotline/status.html", {"form": form, "status": status})


@login_required
def intake(request):
    """An officer types in a report taken by phone."""
    if not may_take_reports(request.user):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        report = _submit(request, form, actor=request.user)
        if report is not None:
            return redirect("retention:hotline_report", pk=report.pk)
    return render(
        request, "retention/hotline/intake.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@login_required
def report_list(request):
    if not may_take_reports(request.user):
        raise PermissionDenied
    status = "all" if request.GET.get("status") == "all" else "open"
    reports = case_selectors.report_list(request.user, status=status)[:500]
    return render(request, "retention/hotline/reports.html", {"reports": reports, "status": status})


@login_required
def report_detail(request, pk: int):
    report = case_selectors.report_for(request.user, pk)
    return render(
        request,
        "retention/hotline/report.html",
        {"report": report, "close_form": ReportCloseForm(), "open": report.status != HotlineReport.Status.CLOSED},
    )


@login_required
@require_POST
def report_accept(request, pk: int):
    from apps.core.scoping import get_scoped_or_404

    report = get_scoped_or_404(HotlineReport.objects.all(), request.user, CHANGE, pk=pk)
    done = flash_service(
        request,
        None,
        lambda: hotline.report_accept(actor=request.user, report=report),
        lambda c: _("Đã mở hồ sơ vận động."),
    )
    if done:
        report.refresh_from_db()
        return redirect("retention:case", pk=report.case_id)
    return redirect("retention:hotline_report", pk=pk)


@login_required
@require_POST
def report_close(request, pk: int):
    from apps.core.scoping import get_scoped_or_404

    report = get_scoped_or_404(HotlineReport.objects.all(), request.user, CHANGE, pk=pk)
    flash_service(
        request,
        ReportCloseForm(request.POST),
        lambda reason: hotline.report_close(actor=request.user, report=report, reason=reason),
        lambda r: _("Đã kết thúc tin báo."),
    )
    return redirect("retention:hotline_report", pk=pk)


@login_required
def numbers(request):
    """The hotline numbers of the communes the officer handles; a number added or its publication changed."""
    if not may_take_reports(request.user):
        raise PermissionDenied
    communes = OrgUnit.objects.current().restrict(request.user, CHANGE).filter(level=OrgUnit.Level.COMMUNE)
    form = NumberForm(request.POST or None)
    if request.method == "POST":
        value = request.POST.get("commune", "")
        commune = communes.filter(pk=value).first() if value.isdigit() and len(value) < 10 else None
        if commune is None:
            form.add_error(None, _("Hãy chọn xã, phường."))
        elif form.is_valid():
            try:
                hotline.number_set(actor=request.user, commune=commune, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu số điện thoại đường dây nóng."))
                return redirect("retention:hotline_number")
    return render(
        request,
        "retention/hotline/numbers.html",
        {
            "numbers": HotlineNumber.objects.restrict(request.user).select_related("commune"),
            "communes": communes.order_by("name")[:300],
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
