"""Writes of meetings, each one audited transaction: a meeting of a school or a unit, its attendees, its minutes'
text, its decisions (each one a task with an owner party: `Task` without a plan, then moved on by the tasks' own
services, `services.task_set_status`), and the minutes issued as a register document (kind `bien_ban`, numbered
through `apps.documents.services.document_issue`), after which the meeting is read-only. The owners of a decision's
task are told after the write commits.

Who: the meeting's owner writes (a school's principal, a unit's own officers: `models_meetings.meeting_q`)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import statedoc
from apps.core.audit import audit_record
from apps.core.scoping import CHANGE, get_scoped_or_404, scope_for
from apps.documents import services as documents
from apps.plans import services as plan_services
from apps.plans.models import Meeting, MeetingAttendee, MeetingDecision, MeetingKind

MEETING_FIELDS = ("title", "held_on", "place", "chair", "secretary", "minutes", "round")


def _check_round(kind: str, round_) -> None:
    if kind == MeetingKind.PARENTS and round_ not in (1, 2, 3):
        raise ValidationError(
            {"round": _("Họp cha mẹ học sinh cần ghi đợt họp: đầu năm, cuối học kỳ I hoặc cuối năm.")}
        )


@transaction.atomic
def meeting_create(
    *,
    actor,
    kind: str,
    title: str,
    held_on: datetime.date,
    school=None,
    org_unit=None,
    round: int | None = None,  # noqa: A002 (the domain's word: đợt họp)
    place: str = "",
    chair: str = "",
    secretary: str = "",
) -> Meeting:
    """A meeting of a school (by its principal) or a unit (by its officers)."""
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Loại cuộc họp không hợp lệ.")})
    if (school is None) == (org_unit is None):
        raise ValidationError(_("Cuộc họp thuộc đúng một trường hoặc một đơn vị."))
    scope = scope_for(actor)
    if school is not None and not (scope.is_admin or school.pk in scope.principal_school_ids):
        raise PermissionDenied
    if org_unit is not None and not (scope.is_admin or org_unit.path in scope.officer_paths):
        raise PermissionDenied
    _check_round(kind, round)
    meeting = Meeting(
        school=school,
        org_unit=org_unit,
        kind=kind,
        round=round if kind == MeetingKind.PARENTS else None,
        title=title.strip()[:300],
        held_on=held_on,
        place=place.strip()[:200],
        chair=chair.strip()[:150],
        secretary=secretary.strip()[:150],
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    audit_record(
        actor=actor,
        action="plans.meeting_create",
        obj=meeting,
        org_unit=meeting.commune,
        changes={"kind": kind, "held_on": f"{held_on}"},
    )
    return meeting


def _editable(actor, meeting: Meeting) -> Meeting:
    meeting = get_scoped_or_404(Meeting, actor, CHANGE, pk=meeting.pk, lock=True)
    if not meeting.editable:
        raise ValidationError(_("Biên bản cuộc họp đã ban hành: không sửa được."))
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **fields) -> Meeting:
    meeting = _editable(actor, meeting)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"not a meeting field: {', '.join(sorted(unknown))}")
    before = {k: getattr(meeting, k) for k in fields}
    for key, value in fields.items():
        setattr(meeting, key, value.strip() if isinstance(value, str) else value)
    _check_round(meeting.kind, meeting.round)
    meeting.full_clean()
    meeting.save()
    changed = {k: [str(before[k])[:80], str(getattr(meeting, k))[:80]] for k in fields if before[k] != fields[k]}
    audit_record(actor=actor, action="plans.meeting_update", obj=meeting, org_unit=meeting.commune, changes=changed)
    return meeting


@transaction.atomic
def attendee_add(
    *, actor, meeting: Meeting, party: str = "", organisation=None, org_unit=None, school=None, person="", count=1
) -> MeetingAttendee:
    """A party at the meeting: an organisation, unit or school of the system (named after it) or a party by name."""
    meeting = _editable(actor, meeting)
    found = organisation or org_unit or school
    label = (party or "").strip() or (str(found) if found is not None else "")
    if not label:
        raise ValidationError({"party": _("Nhập thành phần dự họp.")})
    item = MeetingAttendee(
        meeting=meeting,
        party=label[:200],
        organisation=organisation,
        org_unit=org_unit,
        school=school,
        person=(person or "").strip()[:150],
        count=count or 1,
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor, action="plans.meeting_attendee", obj=meeting, org_unit=meeting.commune, changes={"party": label}
    )
    return item


@transaction.atomic
def decision_add(
    *,
    actor,
    meeting: Meeting,
    text: str,
    due_on: datetime.date,
    organisation=None,
    school=None,
    org_unit=None,
    user=None,
    agency: str = "",
) -> MeetingDecision:
    """A decision of the meeting, and the task it becomes: owned by the party named (by default the meeting's
    owner), due `due_on`; the task then lives as every task does (status, evidence, comments, reminders)."""
    meeting = _editable(actor, meeting)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Nhập nội dung kết luận.")})
    if due_on is None:
        raise ValidationError({"due_on": _("Nhập hạn thực hiện.")})
    if organisation is None and school is None and org_unit is None and user is None and not agency.strip():
        school, org_unit = meeting.school, meeting.org_unit
    task = plan_services.task_create(
        actor=actor,
        title=text,
        due_on=due_on,
        order=meeting.decisions.count(),
        organisation=organisation,
        school=school,
        org_unit=org_unit,
        user=user,
        agency=agency,
        commune=meeting.commune,
        audit_action="plans.meeting_decision",  # the decision and its task, audited once
        audit_changes={"meeting": meeting.title[:100]},
    )
    decision = MeetingDecision.objects.create(meeting=meeting, order=task.order, text=text[:500], task=task)
    people = plan_services.task_users(task)
    url = reverse("plans:task", args=[task.pk])
    title = _("Nhiệm vụ từ cuộc họp: %(meeting)s") % {"meeting": meeting.title}

    def tell():
        if people:
            plan_services._notify(
                recipients=people, kind="plans.meeting_task", title=title[:200], body=text[:500], url=url
            )

    transaction.on_commit(tell)
    return decision


def _minutes_document(meeting: Meeting, number_line: str, on: datetime.date, body) -> statedoc.Document:
    attendees = [
        f"- {a.party}" + (f": {a.person}" if a.person else "") + (f" ({a.count} người)" if a.count > 1 else "")
        for a in meeting.attendees.all()
    ]
    decisions = statedoc.Table(
        columns=["TT", "Nội dung kết luận", "Người, đơn vị thực hiện", "Hạn"],
        rows=[
            [str(i), d.text, d.task.owner_label if d.task_id else "", f"{d.task.due_on:%d/%m/%Y}" if d.task_id else ""]
            for i, d in enumerate(meeting.decisions.select_related("task"), start=1)
        ],
    )
    lines = [line.strip() for line in meeting.minutes.replace("\r\n", "\n").split("\n") if line.strip()]
    return statedoc.Document(
        header=statedoc.Header(body=body.name, parent=body.parent_name, number=number_line, place=body.place, on=on),
        title="BIÊN BẢN",
        summary=meeting.title,
        paragraphs=[
            f"Thời gian: ngày {meeting.held_on:%d/%m/%Y}." + (f" Địa điểm: {meeting.place}." if meeting.place else ""),
        ],
        sections=[
            statedoc.Section("THÀNH PHẦN", paragraphs=attendees or ["(không ghi)"]),
            statedoc.Section("NỘI DUNG", paragraphs=lines or ["(không ghi)"]),
            statedoc.Section("KẾT LUẬN, GIAO NHIỆM VỤ", tables=[decisions] if decisions.rows else []),
        ],
        signatures=[
            statedoc.Signature("THƯ KÝ", meeting.secretary),
            statedoc.Signature("CHỦ TRÌ", meeting.chair),
        ],
    )


@transaction.atomic
def minutes_issue(*, actor, meeting: Meeting, on: datetime.date | None = None) -> Meeting:
    """Issue the minutes (biên bản) in the owner's register: numbered, stored as issued; the meeting is then
    read-only (its tasks go on)."""
    meeting = _editable(actor, meeting)
    on = on or timezone.localdate()
    if on < meeting.held_on:
        raise ValidationError(_("Biên bản không ban hành trước ngày họp."))
    body = plan_services.owner_body(actor, school=meeting.school, org_unit=meeting.org_unit)
    document = documents.document_issue(
        actor=actor,
        body=body,
        kind="bien_ban",
        summary=meeting.title,
        issued_on=on,
        build=lambda number_line, _symbol: _minutes_document(meeting, number_line, on, body),
    )
    meeting.document = document
    meeting.save(update_fields=["document"])
    audit_record(
        actor=actor,
        action="plans.meeting_minutes_issue",
        obj=meeting,
        org_unit=meeting.commune,
        changes={"symbol": document.symbol},
    )
    return meeting
