"""The campaigns' pages: the campaigns a user sees (and the reports they have to file), a new campaign, one campaign
with its window, peak, events, tasks and reports, the report form a commune or school fills (prefilled with the
system's figures for the window), and the roll-up the receiving body compiles, on screen and as XLSX. Thin views:
the rules are in `campaign_services` and `campaign_selectors`; out of scope is 404, read-only is 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.scoping import CHANGE, MANAGE, can, scope_for
from apps.plans import campaign_selectors as selectors
from apps.plans import campaign_services as services
from apps.plans import campaign_xlsx
from apps.plans.campaign_forms import (
    AssignForm,
    CampaignEditForm,
    CampaignForm,
    EventForm,
    ReportForm,
    RequestForm,
)
from apps.plans.models_campaigns import FIGURES, Campaign, CampaignReport
from apps.plans.views import _errors


def _issuing_units(user):
    """The units whose officers the user is: those a campaign may be issued for."""
    from apps.orgunits.models import OrgUnit

    scope = scope_for(user)
    units = OrgUnit.objects.current()
    units = units.filter(level=OrgUnit.Level.PROVINCE) if scope.is_admin else units.filter(path__in=scope.officer_paths)
    return list(units.order_by("level", "name"))


@login_required
def campaign_list(request):
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in Campaign.Kind.values else ""
    page = Paginator(selectors.campaign_list(request.user, kind=kind), 25).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "kinds": Campaign.Kind.choices,
        "kind": kind,
        "may_create": bool(_issuing_units(request.user)),
        "to_file": selectors.my_reports(request.user)[:20],
        "today": timezone.localdate(),
    }
    template = "plans/campaigns/list.html#results" if request.htmx else "plans/campaigns/list.html"
    return render(request, template, ctx)


@login_required
def campaign_new(request):
    units = _issuing_units(request.user)
    if not units:
        raise PermissionDenied  # may read campaigns, may not issue one
    form = CampaignForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("Đã lập chiến dịch."))
            return redirect("plans:campaign", campaign.pk)
    return render(request, "plans/campaigns/new.html", {"form": form})


@login_required
def campaign_edit(request, pk: int):
    """Correct a campaign's name, theme, window, peak and deadline: the creation form, prefilled."""
    campaign = selectors.campaign_for(request.user, pk)
    if not can(request.user, campaign, CHANGE) or campaign.status == Campaign.Status.ARCHIVED:
        raise PermissionDenied  # may read the campaign, may not correct it
    form = CampaignEditForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=request.user, campaign=campaign, **form.service_kwargs())
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("Đã lưu chiến dịch."))
            return redirect("plans:campaign", campaign.pk)
    status = 400 if form.errors else 200
    return render(request, "plans/campaigns/edit.html", {"form": form, "campaign": campaign}, status=status)


def _detail_context(request, campaign, **forms):
    today = timezone.localdate()
    may_change = can(request.user, campaign, CHANGE)
    ctx = {
        "campaign": campaign,
        "events": campaign.events.all(),
        "tasks": selectors.campaign_tasks(request.user, campaign),
        "reports": selectors.reports_of(request.user, campaign),
        "may_change": may_change and campaign.status != Campaign.Status.ARCHIVED,
        "may_rollup": may_change,
        "today": today,
        "event_form": forms.get("event_form") or EventForm(),
        "assign_form": forms.get("assign_form") or AssignForm(),
        "request_form": forms.get("request_form") or RequestForm(),
    }
    return ctx


@login_required
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk)
    return render(request, "plans/campaigns/detail.html", _detail_context(request, campaign))


@login_required
@require_POST
def campaign_event_add(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk, CHANGE)
    form = EventForm(request.POST)
    if form.is_valid():
        try:
            services.campaign_event_add(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã thêm sự kiện."))
            return redirect("plans:campaign", pk)
    return render(
        request, "plans/campaigns/detail.html", _detail_context(request, campaign, event_form=form), status=400
    )


@login_required
@require_POST
def campaign_task_assign(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk, CHANGE)
    form = AssignForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            tasks = services.campaign_task_assign(
                actor=request.user,
                campaign=campaign,
                title=data["title"],
                due_on=data["due_on"],
                months=data["months"],
                agency=data["agency"],
                org_unit=None if data["agency"] else campaign.org_unit,
                every_commune_of=campaign.org_unit if data["every_commune"] else None,
            )
        except ValidationError as exc:
            # Shown as messages above the page: the months' refusal quotes the text only (under the plan's task
            # field it needs no name); the service's other refusals say what they ask for.
            _errors(request, exc, labels={"months": _("Tháng thực hiện")})
        else:
            messages.success(request, _("Đã giao %(n)s nhiệm vụ.") % {"n": len(tasks)})
            return redirect("plans:campaign", pk)
    return render(
        request, "plans/campaigns/detail.html", _detail_context(request, campaign, assign_form=form), status=400
    )


@login_required
@require_POST
def campaign_reports_request(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk, CHANGE)
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            made = services.campaign_reports_request(
                actor=request.user, campaign=campaign, communes=campaign.org_unit, due_on=form.cleaned_data["due_on"]
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã yêu cầu %(n)s đơn vị báo cáo.") % {"n": len(made)})
    return redirect("plans:campaign", pk)


@login_required
def campaign_report(request, pk: int):
    report = selectors.report_for(request.user, pk)
    may_fill = report.status == CampaignReport.Status.DRAFT and can(request.user, report, CHANGE)
    if request.method == "POST" and not may_fill:
        raise PermissionDenied
    system = selectors.system_figures(request.user, report) if may_fill else report.system
    initial = {"narrative": report.narrative}
    for code, _label, _unit in FIGURES:
        initial[f"fig_{code}"] = report.figures.get(code, system.get(code, 0))
        initial[f"note_{code}"] = report.notes.get(code, "")
    form = ReportForm(request.POST or None, initial=initial, system=system)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.campaign_report_save(
                actor=request.user,
                report=report,
                figures=form.figures(),
                notes=form.notes(),
                narrative=form.cleaned_data["narrative"],
                submit=submit,
            )
        except ValidationError as exc:
            _errors(request, exc)
            for code, errors in getattr(exc, "error_dict", {}).items():
                if f"fig_{code}" in form.fields:
                    form.add_error(f"fig_{code}", errors)
        else:
            messages.success(request, _("Đã gửi báo cáo.") if submit else _("Đã lưu báo cáo."))
            return redirect("plans:campaign_report", pk)
    ctx = {
        "report": report,
        "campaign": report.campaign,
        "form": form,
        "may_fill": may_fill,
        "late": report.is_late(timezone.localdate()),
        "figures": [(label, report.value(code), report.notes.get(code, "")) for code, label, _u in FIGURES],
    }
    return render(request, "plans/campaigns/report.html", ctx, status=400 if form.errors else 200)


def _rollup(request, pk: int):
    campaign = selectors.campaign_for(request.user, pk)
    if not can(request.user, campaign, MANAGE):
        raise PermissionDenied
    return selectors.rollup(request.user, campaign)


@login_required
def campaign_rollup(request, pk: int):
    rollup = _rollup(request, pk)
    return render(
        request,
        "plans/campaigns/rollup.html",
        {"campaign": rollup.campaign, "rollup": rollup, "figures": FIGURES, "rows": campaign_xlsx.screen_rows(rollup)},
    )


@login_required
def campaign_rollup_xlsx(request, pk: int):
    return campaign_xlsx.rollup_response(_rollup(request, pk), user=request.user)
