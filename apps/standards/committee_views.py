"""Pages of the steering committees (ban chỉ đạo xây dựng trường chuẩn quốc gia): the committees the user sees, one
committee with its founding decision, members, roles and the duties given to them (tasks of the plans app)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import flash_service
from apps.core.scoping import CHANGE, VIEW, can, get_scoped_or_404
from apps.standards import committee_services as services
from apps.standards.forms import (
    CommitteeDutyForm,
    CommitteeForm,
    CommitteeMemberForm,
    InspectionForm,
    committee_units,
)
from apps.standards.models import InspectionFinding, SteeringCommittee, SteeringDuty
from apps.standards.views import _require


def _committee(request, pk, action=VIEW) -> SteeringCommittee:
    committee = get_scoped_or_404(SteeringCommittee.objects.select_related("org_unit"), request.user, action, pk=pk)
    _require(request.user)
    return committee


@login_required
def committee_list(request):
    _require(request.user)
    committees = SteeringCommittee.objects.restrict(request.user, VIEW).select_related("org_unit")
    may_create = committee_units(request.user).exists()
    return render(
        request,
        "standards/committees.html",
        {
            "committees": committees,
            "form": CommitteeForm(user=request.user) if may_create else None,
        },
    )


@login_required
@require_POST
def committee_create(request):
    _require(request.user)
    form = CommitteeForm(request.POST, user=request.user)
    created = []

    def write(**data):
        committee = services.committee_create(actor=request.user, **data)
        created.append(committee)
        return committee

    flash_service(request, form, write, lambda c: _("Đã thành lập %(name)s.") % {"name": c.name})
    return redirect("standards:committee", created[0].pk) if created else redirect("standards:committees")


@login_required
def committee_page(request, pk):
    committee = _committee(request, pk)
    members = list(committee.members.all())
    duties = SteeringDuty.objects.filter(member__committee=committee).select_related(
        "member", "task__owner_unit", "task__owner_school", "task__owner_organisation", "task__owner_user"
    )
    may_change = can(request.user, committee, CHANGE)
    return render(
        request,
        "standards/committee.html",
        {
            "committee": committee,
            "members": members,
            "duties": duties,
            "may_change": may_change,
            "member_form": CommitteeMemberForm() if may_change else None,
            "duty_form": CommitteeDutyForm() if may_change else None,
            "inspections": committee.inspections.select_related("school"),
            "findings": InspectionFinding.objects.filter(inspection__committee=committee).select_related("task"),
            "inspection_form": InspectionForm(committee=committee) if may_change else None,
        },
    )


@login_required
@require_POST
def member_add(request, pk):
    committee = _committee(request, pk, CHANGE)
    flash_service(
        request,
        CommitteeMemberForm(request.POST),
        lambda **data: services.committee_member_add(actor=request.user, committee=committee, **data),
        lambda m: _("Đã thêm %(name)s vào ban chỉ đạo.") % {"name": m.name},
    )
    return redirect("standards:committee", committee.pk)


@login_required
@require_POST
def duty_add(request, pk):
    committee = _committee(request, pk, CHANGE)

    def write(member, title, due_on):
        found = committee.members.filter(pk=member).first()
        if found is None:
            raise Http404
        return services.committee_duty_add(actor=request.user, member=found, title=title, due_on=due_on)

    flash_service(
        request,
        CommitteeDutyForm(request.POST),
        write,
        lambda d: _("Đã giao nhiệm vụ cho %(name)s.") % {"name": d.member.name},
    )
    return redirect("standards:committee", committee.pk)


@login_required
@require_POST
def inspection_add(request, pk):
    committee = _committee(request, pk, CHANGE)
    flash_service(
        request,
        InspectionForm(request.POST, committee=committee),
        lambda **data: services.inspection_record(actor=request.user, committee=committee, **data),
        lambda i: _("Đã ghi kết quả kiểm tra (%(n)s kiến nghị).") % {"n": i.findings.count()},
    )
    return redirect("standards:committee", committee.pk)
