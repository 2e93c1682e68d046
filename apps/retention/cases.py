"""Dropout cases (hồ sơ vận động trẻ bỏ học): opened when a dropout is recorded (any path: the enrolments'
after-write hook), when a hotline report is accepted, or when a person confirms a child of the out-of-school list;
followed with interventions and follow-up dates; closed only with an outcome. Closing as "returned" writes the
return through the enrolment services in the same transaction, or waits for the school (notified) when the person
closing may not write that school's enrolments. While a case is open, the organisation owning it (its officers)
sees its child: a scope contribution, each read of the child's page logged by `students.selectors.child_for`."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, audit_record_many
from apps.core.bulk import id_runs
from apps.core.scoping import CHANGE, MANAGE, NOTHING, VIEW, contribute, get_scoped_or_404
from apps.retention.hotline import sync_closed_cases
from apps.retention.models import CaseFollowUp, CaseIntervention, DropoutCase
from apps.schools.models import Phase, School, SchoolYear
from apps.students.models import Child, DropoutReason, Enrolment, EnrolmentEvent, Grade, levels_teaching

Kind = EnrolmentEvent.Kind
Status, Outcome = DropoutCase.Status, DropoutCase.Outcome


def phase_of(year: SchoolYear, on: datetime.date, phases=None) -> int:
    """The phase (1 mobilisation, 2 to the end of semester I, 3 semester II) the day falls in: the year's phases
    (`phases`, when the caller read them already) where set, else by the calendar (before opening 1, to the end of
    the calendar year 2, then 3)."""
    for phase in Phase.objects.filter(year=year) if phases is None else phases:
        if phase.starts_on <= on <= phase.ends_on:
            return phase.number
    if on < year.starts_on:
        return 1
    return 2 if on.year == year.start_year else 3


# --- the scope contribution: an organisation owning an open case, and its officers, see the child -------------


def owned_children(scope, action):
    if action != VIEW or not scope.organisation_ids:
        return NOTHING
    open_cases = DropoutCase.objects.exclude(status=Status.CLOSED).filter(
        owner_organisation_id__in=scope.organisation_ids, child__isnull=False
    )
    return Q(pk__in=open_cases.values("child"))


def register_contributions() -> None:
    contribute("students.child", owned_children)


# --- opening ---------------------------------------------------------------------------------------------------


def open_for_dropouts(enrolment_ids: list[int]) -> None:
    """The after-write hook on enrolments: each written enrolment whose status is now "dropped out" opens a case
    for its child, unless one is open already. The cause is the dropout's reason (an import's "other" is refined
    on the case). Runs inside the write's transaction. A few queries whatever the number of enrolments written (a
    province's import gives 200,000: only those with a dropout event are read with their status); the cases and
    their audit events go in a few INSERTs of 500."""
    with_dropout = set()
    for q in id_runs(enrolment_ids):  # an import's new enrolments are one range of keys, not a list of 200,000
        with_dropout |= set(
            EnrolmentEvent.objects.filter(q("enrolment_id"), kind=Kind.DROPPED_OUT).values_list(
                "enrolment_id", flat=True
            )
        )
    if not with_dropout:
        return
    dropped = (
        Enrolment.objects.filter(pk__in=sorted(with_dropout))
        .with_status()
        .filter(status=Kind.DROPPED_OUT)
        .select_related("child", "year", "school")
    )
    dropped = list(dropped)
    if not dropped:
        return
    busy = set(
        DropoutCase.objects.exclude(status=Status.CLOSED)
        .filter(child_id__in=[e.child_id for e in dropped])
        .values_list("child_id", flat=True)
    )
    events = {
        ev.enrolment_id: ev
        for ev in EnrolmentEvent.objects.filter(enrolment__in=dropped, kind=Kind.DROPPED_OUT)
        .select_related("recorded_by")
        .order_by("on", "pk")
    }
    phases: dict[int, list] = {e.year_id: [] for e in dropped}  # each year's phases read once, not once per case
    for phase in Phase.objects.filter(year_id__in=list(phases)):
        phases[phase.year_id].append(phase)
    cases, actors = [], []
    for enrolment in dropped:
        if enrolment.child_id in busy:
            continue
        event = events.get(enrolment.pk)
        on = event.on if event else timezone.localdate()
        cases.append(
            DropoutCase(
                child=enrolment.child,
                enrolment=enrolment,
                commune_id=enrolment.child.commune_id,
                year=enrolment.year,
                phase=phase_of(enrolment.year, on, phases[enrolment.year_id]),
                source=DropoutCase.Source.DROPOUT,
                cause=(event.reason if event and event.reason else DropoutReason.OTHER),
                cause_text=event.reason_text if event else "",
                owner_user=event.recorded_by if event else None,
                opened_on=on,
            )
        )
        actors.append(event.recorded_by if event else None)
        busy.add(enrolment.child_id)
    DropoutCase.objects.bulk_create(cases, batch_size=500)  # the keys come back (PostgreSQL, SQLite ≥ 3.35)
    audit_record_many(
        [
            {
                "actor": actor,
                "action": "retention.case_open",
                "obj": case,
                "org_unit": case.commune_id,
                "changes": {"source": case.source, "enrolment": case.enrolment_id},
            }
            for case, actor in zip(cases, actors, strict=True)
        ]
    )


@transaction.atomic
def case_open(
    *, actor, commune, year: SchoolYear, source: str, child: Child | None = None, subject: str = "", on=None
) -> DropoutCase:
    """A case opened by a person: an accepted hotline report (the child perhaps not yet known) or a child of the
    out-of-school list confirmed. The commune's officers open it."""
    from apps.orgunits.models import OrgUnit

    commune = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=commune.pk)
    on = on or timezone.localdate()
    if child is not None and DropoutCase.objects.exclude(status=Status.CLOSED).filter(child=child).exists():
        raise ValidationError(_("Trẻ này đã có hồ sơ vận động đang mở."))
    case = DropoutCase.objects.create(
        child=child,
        commune=commune,
        year=year,
        phase=phase_of(year, on),
        source=source,
        subject=subject[:300],
        owner_user=actor,
        opened_on=on,
    )
    audit_record(actor=actor, action="retention.case_open", obj=case, org_unit=commune, changes={"source": source})
    return case


# --- working on a case -----------------------------------------------------------------------------------------


def writable_case(actor, pk: int, *, lock: bool = False) -> DropoutCase:
    return get_scoped_or_404(
        DropoutCase.objects.select_related("commune", "year", "child", "enrolment__school"),
        actor,
        CHANGE,
        lock=lock,
        pk=pk,
    )


def _still_open(case: DropoutCase) -> None:
    if case.status == Status.CLOSED:
        raise ValidationError(_("Hồ sơ đã kết thúc."))


@transaction.atomic
def case_update(
    *, actor, case: DropoutCase, cause: str, cause_text: str = "", owner_user=None, owner_organisation=None
) -> DropoutCase:
    """Refine the cause (the registry's dropout reasons) and set the owner: a person or an organisation."""
    case = writable_case(actor, case.pk, lock=True)
    _still_open(case)
    if cause not in DropoutReason.values:
        raise ValidationError({"cause": _("Nguyên nhân không có trong danh mục.")})
    if cause == DropoutReason.OTHER and not cause_text.strip():
        raise ValidationError({"cause_text": _("Hãy ghi rõ nguyên nhân khác.")})
    if owner_user is not None and owner_organisation is not None:
        raise ValidationError({"owner_organisation": _("Người phụ trách là một người hoặc một tổ chức.")})
    changes = {"cause": [case.cause, cause]}
    case.cause, case.cause_text = cause, cause_text.strip()[:255]
    if owner_user is not None or owner_organisation is not None:
        changes["owner"] = [
            case.owner_user_id or case.owner_organisation_id,
            getattr(owner_user, "pk", None) or owner_organisation.pk,
        ]
        case.owner_user, case.owner_organisation = owner_user, owner_organisation
    case.save()
    audit_record(actor=actor, action="retention.case_update", obj=case, org_unit=case.commune_id, changes=changes)
    return case


@transaction.atomic
def intervention_add(*, actor, case: DropoutCase, kind: str, on: datetime.date, by: str, note: str = ""):
    case = writable_case(actor, case.pk, lock=True)
    _still_open(case)
    if on > timezone.localdate():
        raise ValidationError({"on": _("Ngày chưa tới.")})
    item = CaseIntervention(case=case, kind=kind, on=on, by=by.strip(), note=note.strip(), recorded_by=actor)
    item.full_clean()
    item.save()
    audit_record(
        actor=actor, action="retention.case_intervention", obj=case, org_unit=case.commune_id, changes={"kind": kind}
    )
    return item


@transaction.atomic
def follow_up_add(*, actor, case: DropoutCase, due_on: datetime.date, note: str = "") -> CaseFollowUp:
    case = writable_case(actor, case.pk, lock=True)
    _still_open(case)
    item = CaseFollowUp(case=case, due_on=due_on, note=note.strip())
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="retention.case_follow_up",
        obj=case,
        org_unit=case.commune_id,
        changes={"due_on": due_on.isoformat()},
    )
    return item


@transaction.atomic
def follow_up_done(*, actor, follow_up: CaseFollowUp, on: datetime.date | None = None) -> CaseFollowUp:
    case = writable_case(actor, follow_up.case_id, lock=True)
    follow_up = CaseFollowUp.objects.get(pk=follow_up.pk, case=case)
    follow_up.done_on = on or timezone.localdate()
    follow_up.save(update_fields=["done_on"])
    audit_record(actor=actor, action="retention.case_follow_up", obj=case, org_unit=case.commune_id)
    return follow_up


# --- closing ---------------------------------------------------------------------------------------------------


def _may_write_school(actor, school: School, child: Child, year: SchoolYear) -> bool:
    """Whether the actor may write the return at this school: change the child's enrolment there this year, or
    enrol children at it."""
    here = Enrolment.objects.filter(child=child, school=school, year=year)
    if here.exists():
        return Enrolment.objects.restrict(actor, CHANGE).filter(pk__in=here.values("pk")).exists()
    return School.objects.restrict(actor, MANAGE).filter(pk=school.pk).exists()


def _write_return(actor, case: DropoutCase, school: School, grade: str, on: datetime.date) -> Enrolment:
    """The return through the enrolment services: a "returned" event on the child's enrolment at that school this
    year, or a new enrolment opening as a return."""
    from apps.students import services as students

    year = (
        SchoolYear.objects.filter(province_id=case.year.province_id, starts_on__lte=on, ends_on__gte=on).first()
        or case.year
    )
    here = Enrolment.objects.filter(child=case.child, school=school, year=year).first()
    if here is not None:
        students.enrolment_record_event(actor=actor, enrolment=here, kind=Kind.RETURNED, on=on)
        return here
    return students.enrolment_create(
        actor=actor, child=case.child, school=school, year=year, grade=grade, on=on, kind=Kind.RETURNED
    )


@transaction.atomic
def case_close(
    *,
    actor,
    case: DropoutCase,
    outcome: str,
    on: datetime.date | None = None,
    school: School | None = None,
    grade: str = "",
) -> DropoutCase:
    """Close the case with its outcome (required). "Returned": the person closing picks the school and grade; the
    return is written in this transaction, or — when they may not write that school's enrolments — the case waits
    for the school, whose managers are told."""
    case = writable_case(actor, case.pk, lock=True)
    _still_open(case)
    on = on or timezone.localdate()
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Hãy chọn kết quả: hồ sơ chỉ kết thúc khi có kết quả.")})
    if outcome == Outcome.RETURNED:
        if case.child is None:
            raise ValidationError({"outcome": _("Hãy gắn hồ sơ với trẻ trước khi ghi trở lại trường.")})
        if school is None or grade not in Grade.values:
            raise ValidationError({"school": _("Hãy chọn trường và khối trẻ trở lại học.")})
        if not school.levels & levels_teaching(grade):
            raise ValidationError({"grade": _("%(s)s không dạy %(g)s.") % {"s": school.name, "g": Grade(grade).label}})
        case.return_school, case.return_grade = school, grade
        if not _may_write_school(actor, school, case.child, case.year):
            case.status, case.outcome = Status.WAITING, outcome
            case.save()
            audit_record(
                actor=actor,
                action="retention.case_wait",
                obj=case,
                org_unit=case.commune_id,
                changes={"school": school.pk, "grade": grade},
            )
            _tell_school(case)
            return case
        case.return_enrolment = _write_return(actor, case, school, grade, on)
    case.status, case.outcome, case.closed_on, case.closed_by = Status.CLOSED, outcome, on, actor
    case.save()
    audit_record(
        actor=actor, action="retention.case_close", obj=case, org_unit=case.commune_id, changes={"outcome": outcome}
    )
    sync_closed_cases(case)
    return case


@transaction.atomic
def case_return_confirm(*, actor, case: DropoutCase, on: datetime.date | None = None) -> DropoutCase:
    """The school writes the return a case waits for (its managers), and the case closes."""
    case = get_scoped_or_404(
        DropoutCase.objects.select_related("year", "child", "return_school"), actor, VIEW, lock=True, pk=case.pk
    )
    if case.status != Status.WAITING:
        raise ValidationError(_("Hồ sơ không chờ trường ghi nhận."))
    if not _may_write_school(actor, case.return_school, case.child, case.year):
        raise PermissionDenied
    on = on or timezone.localdate()
    case.return_enrolment = _write_return(actor, case, case.return_school, case.return_grade, on)
    case.status, case.closed_on, case.closed_by = Status.CLOSED, on, actor
    case.save()
    audit_record(
        actor=actor, action="retention.case_close", obj=case, org_unit=case.commune_id, changes={"outcome": "returned"}
    )
    sync_closed_cases(case)
    return case


def _tell_school(case: DropoutCase) -> None:
    """The managers of the school a return waits for: its principals (never the child's name)."""
    from django.urls import reverse

    from apps.accounts.models import Role, RoleAssignment
    from apps.notifications.services import notify

    principals = [
        a.user
        for a in RoleAssignment.objects.active()
        .filter(role=Role.PRINCIPAL, school=case.return_school)
        .select_related("user")
    ]
    if principals:
        notify(
            recipients=principals,
            kind="retention.case_return",
            title=_("Một học sinh trở lại trường chờ nhà trường ghi nhận"),
            body=_("Hồ sơ vận động #%(n)s: hãy ghi nhận học sinh trở lại học.") % {"n": case.pk},
            url=reverse("retention:case", kwargs={"pk": case.pk}),
        )


@transaction.atomic
def case_link_child(*, actor, case: DropoutCase, child: Child) -> DropoutCase:
    """Tie a case opened without a known child (a hotline report) to the child it turned out to be: one the actor
    may change, with no other open case."""
    case = writable_case(actor, case.pk, lock=True)
    _still_open(case)
    if case.child_id is not None:
        raise ValidationError(_("Hồ sơ đã gắn với một trẻ."))
    child = get_scoped_or_404(Child.objects.all(), actor, CHANGE, pk=child.pk)
    if DropoutCase.objects.exclude(status=Status.CLOSED).filter(child=child).exists():
        raise ValidationError(_("Trẻ này đã có hồ sơ vận động đang mở."))
    case.child = child
    case.save(update_fields=["child"])
    audit_record(
        actor=actor, action="retention.case_update", obj=case, org_unit=case.commune_id, changes={"child": child.pk}
    )
    return case
