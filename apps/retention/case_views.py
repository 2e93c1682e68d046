"""Pages of dropout cases: the lists (by phase, owner and commune, overdue follow-ups first), a case with its
interventions, follow-ups and outcome, and the school's confirmation of a return that waits for it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import flash_service
from apps.core.scoping import MANAGE, VIEW
from apps.orgunits.models import OrgUnit
from apps.retention import case_selectors, cases
from apps.retention.case_forms import CaseUpdateForm, CloseForm, FollowUpForm, InterventionForm
from apps.retention.site import may_open_retention
from apps.schools.models import School


def _pick(queryset, value: str):
    return queryset.filter(pk=value).first() if value.isdigit() and len(value) < 10 else None


@login_required
def case_list(request):
    if not may_open_retention(request.user):
        raise PermissionDenied
    communes = (
        OrgUnit.objects.current().restrict(request.user, VIEW).filter(level=OrgUnit.Level.COMMUNE).order_by("name")
    )
    phase = request.GET.get("phase", "")
    filters = {
        "phase": int(phase) if phase in ("1", "2", "3") else None,
        "owner": "me" if request.GET.get("owner") == "me" else "",
        "commune": _pick(communes, request.GET.get("commune", "")),
        "status": request.GET.get("status", "open")
        if request.GET.get("status") in ("open", "closed", "all")
        else "open",
    }
    if filters["status"] == "all":
        filters["status"] = ""
    page = case_selectors.case_list_page(request.user, request.GET.get("page"), **filters)
    return render(
        request,
        "retention/cases/list.html",
        {"page": page, "communes": communes[:300], "chosen": filters, "status": request.GET.get("status", "open")},
    )


@login_required
def case_detail(request, pk: int):
    case = case_selectors.case_for(request.user, pk)
    schools = School.objects.restrict(request.user, VIEW).order_by("name")
    confirmable = (
        case.status == case.Status.WAITING
        and School.objects.restrict(request.user, MANAGE).filter(pk=case.return_school_id).exists()
    )
    return render(
        request,
        "retention/cases/detail.html",
        {
            "case": case,
            "update_form": CaseUpdateForm(initial={"cause": case.cause, "cause_text": case.cause_text}),
            "intervention_form": InterventionForm(),
            "follow_up_form": FollowUpForm(),
            "close_form": CloseForm(schools=schools[:500]),
            "confirmable": confirmable,
            "child_q": request.GET.get("child_q", "")[:100],
            "candidates": case_selectors.link_candidates(request.user, case, request.GET.get("child_q", "")[:100])
            if case.writable and not case.child_id
            else [],
        },
    )


@login_required
@require_POST
def case_update(request, pk: int):
    case = cases.writable_case(request.user, pk)
    flash_service(
        request,
        CaseUpdateForm(request.POST),
        lambda **data: cases.case_update(actor=request.user, case=case, **data),
        lambda c: _("Đã lưu nguyên nhân."),
    )
    return redirect("retention:case", pk=pk)


@login_required
@require_POST
def case_intervention(request, pk: int):
    case = cases.writable_case(request.user, pk)
    flash_service(
        request,
        InterventionForm(request.POST),
        lambda **data: cases.intervention_add(actor=request.user, case=case, **data),
        lambda i: _("Đã ghi biện pháp vận động."),
    )
    return redirect("retention:case", pk=pk)


@login_required
@require_POST
def case_follow_up(request, pk: int):
    case = cases.writable_case(request.user, pk)
    flash_service(
        request,
        FollowUpForm(request.POST),
        lambda **data: cases.follow_up_add(actor=request.user, case=case, **data),
        lambda f: _("Đã ghi lịch theo dõi."),
    )
    return redirect("retention:case", pk=pk)


@login_required
@require_POST
def case_close(request, pk: int):
    case = cases.writable_case(request.user, pk)
    form = CloseForm(request.POST, schools=School.objects.restrict(request.user, VIEW))

    def close(outcome, on, school, grade):
        return cases.case_close(actor=request.user, case=case, outcome=outcome, on=on, school=school, grade=grade)

    def said(c):
        if c.status == c.Status.WAITING:
            return _("Hồ sơ chờ nhà trường ghi nhận học sinh trở lại; nhà trường đã được báo.")
        return _("Đã kết thúc hồ sơ.")

    flash_service(request, form, close, said)
    return redirect("retention:case", pk=pk)


@login_required
@require_POST
def case_confirm(request, pk: int):
    """The school a return waits for writes it (its managers); others who only read the case get 403."""
    case = case_selectors.case_for(request.user, pk)
    may = case.writable or School.objects.restrict(request.user, MANAGE).filter(pk=case.return_school_id).exists()
    if not may:
        raise PermissionDenied
    flash_service(
        request,
        None,
        lambda: cases.case_return_confirm(actor=request.user, case=case),
        lambda c: _("Đã ghi nhận học sinh trở lại học."),
    )
    return redirect("retention:case", pk=pk)


@login_required
@require_POST
def case_link(request, pk: int):
    """Tie a hotline case to the child it turned out to be (the number on the child's page)."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    from apps.students.models import Child

    case = cases.writable_case(request.user, pk)
    value = request.POST.get("child", "").strip()
    child = Child.objects.filter(pk=value).first() if value.isdigit() and len(value) < 10 else None
    if child is None:
        messages.error(request, _("Hãy ghi số hồ sơ của trẻ."))
        return redirect("retention:case", pk=pk)
    try:
        cases.case_link_child(actor=request.user, case=case, child=child)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã gắn hồ sơ với trẻ."))
    return redirect("retention:case", pk=pk)
