"""Writes of the steering committees for building national standard schools (seed 004: "UBND xã thành lập ban chỉ
đạo … do đồng chí Phó chủ tịch UBND xã làm trưởng ban; Ban chỉ đạo phân công nhiệm vụ cho … các thành viên"): set up
by the officers of a unit, with their members and roles; a member's duties are tasks of the plans app."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.scoping import CHANGE, get_scoped_or_404, scope_for
from apps.core.text import nfc
from apps.standards import tasks
from apps.standards.models import (
    InspectionFinding,
    SteeringCommittee,
    SteeringDuty,
    SteeringInspection,
    SteeringMember,
)


def _clean(text) -> str:
    return nfc(str(text or "")).strip()


@transaction.atomic
def committee_create(
    *,
    actor,
    org_unit,
    name: str,
    decision_number: str,
    decision_date: datetime.date,
    issuer: str,
    period_from: int,
    period_to: int,
    review_on: datetime.date | None = None,
) -> SteeringCommittee:
    """A unit's steering committee, by the officers of that unit, as its founding decision states it."""
    scope = scope_for(actor)
    if not (scope.is_admin or org_unit.path in scope.officer_paths):
        raise PermissionDenied(_("Chỉ cán bộ của đơn vị được thành lập ban chỉ đạo của đơn vị."))
    committee = SteeringCommittee(
        org_unit=org_unit,
        name=_clean(name),
        decision_number=_clean(decision_number),
        decision_date=decision_date,
        issuer=_clean(issuer),
        period_from=period_from,
        period_to=period_to,
        review_on=review_on,
        created_by=actor,
    )
    if period_from > period_to:
        raise ValidationError({"period_to": _("Năm kết thúc giai đoạn phải không trước năm bắt đầu.")})
    committee.full_clean()
    committee.save()
    audit_record(
        actor=actor,
        action="standards.committee_create",
        obj=committee,
        org_unit=org_unit,
        changes={"decision": committee.decision_number, "period": [period_from, period_to]},
    )
    return committee


def _committee(actor, committee: SteeringCommittee) -> SteeringCommittee:
    return get_scoped_or_404(
        SteeringCommittee.objects.select_related("org_unit"), actor, CHANGE, pk=committee.pk, lock=True
    )


@transaction.atomic
def committee_member_add(
    *,
    actor,
    committee: SteeringCommittee,
    name: str,
    position: str,
    role: str = SteeringMember.Role.MEMBER,
    duty: str = "",
    organisation=None,
    school=None,
    user=None,
) -> SteeringMember:
    """A member with their role in the committee (one head) and their duty in words."""
    committee = _committee(actor, committee)
    if role == SteeringMember.Role.HEAD and committee.members.filter(role=SteeringMember.Role.HEAD).exists():
        raise ValidationError({"role": _("Ban chỉ đạo đã có trưởng ban.")})
    member = SteeringMember(
        committee=committee,
        order=committee.members.count(),
        name=_clean(name),
        position=_clean(position),
        role=role,
        duty=_clean(duty),
        organisation=organisation,
        school=school,
        user=user,
    )
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        action="standards.committee_member_add",
        obj=member,
        org_unit=committee.org_unit,
        changes={"name": member.name, "position": member.position, "role": role},
    )
    return member


@transaction.atomic
def committee_duty_add(*, actor, member: SteeringMember, title: str, due_on: datetime.date) -> SteeringDuty:
    """A duty the committee gives a member: a task of the plans app owned by the member's party — their
    organisation, school or account, otherwise the committee's unit (whose officers follow it up)."""
    committee = _committee(actor, member.committee)
    member = committee.members.get(pk=member.pk)
    task = tasks.new_task(
        actor=actor,
        title=_clean(title),
        due_on=due_on,
        organisation=member.organisation,
        school=member.school,
        user=member.user,
        org_unit=committee.org_unit,
        commune=committee.org_unit,
        audit_action="standards.committee_duty_add",  # the duty and its task, audited once
        audit_changes={"member": member.name},
    )
    duty = SteeringDuty.objects.create(member=member, task=task)
    return duty


@transaction.atomic
def inspection_record(
    *,
    actor,
    committee: SteeringCommittee,
    held_on: datetime.date,
    subject: str,
    conclusion: str = "",
    school=None,
    findings: list[tuple[str, datetime.date]] = (),
) -> SteeringInspection:
    """An inspection by the committee, of a school of its unit or of its members' work; each finding (what to do,
    by when) becomes a task owned by the school inspected, otherwise by the committee's unit."""
    committee = _committee(actor, committee)
    if school is not None and not (
        school.managed_by_id == committee.org_unit_id or school.location_id == committee.org_unit_id
    ):
        raise ValidationError({"school": _("Trường không thuộc đơn vị của ban chỉ đạo.")})
    inspection = SteeringInspection(
        committee=committee,
        school=school,
        held_on=held_on,
        subject=_clean(subject),
        conclusion=_clean(conclusion),
        recorded_by=actor,
    )
    inspection.full_clean()
    inspection.save()
    for n, (text, due_on) in enumerate(findings, start=1):
        try:
            task = tasks.new_task(
                actor=actor,
                title=_clean(text),
                due_on=due_on,
                school=school,
                org_unit=committee.org_unit,
                commune=committee.org_unit,
                audit_changes={"inspection": inspection.subject[:100]},
            )
        except ValidationError as exc:
            raise ValidationError(
                _("Kiến nghị thứ %(n)s: %(error)s") % {"n": n, "error": " ".join(exc.messages)}
            ) from None
        InspectionFinding.objects.create(inspection=inspection, task=task)
    audit_record(
        actor=actor,
        action="standards.inspection_record",
        obj=inspection,
        org_unit=committee.org_unit,
        changes={"school": str(school) if school else "", "findings": len(findings)},
    )
    return inspection
