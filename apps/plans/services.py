"""Writes of the plans app, each one audited transaction: a plan from its kind's template, its content (any edit
voids the parties' agreements, which are bound to the content's hash), the workflow draft → in agreement →
awaiting confirmation → issued (numbered through `apps.documents.services.document_issue`) → superseded, the
signatures on paper with their scan, amendments (a new version, its tasks carried over with status and evidence),
and tasks: status, comments, evidence. The people concerned are told after the write commits (`notify`).

Who: the plan's owner writes (a school's principal; a unit's own officers: `models.plan_q` CHANGE); a signing party
agrees for itself (its partner officers, its unit's officers, its school's principal, its user); the confirming
unit's officers confirm; a task's owner party (or the plan's owner) updates the task."""

import datetime
import hashlib
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.scoping import CHANGE, MANAGE, VIEW, get_scoped_or_404, scope_for
from apps.documents import attachments
from apps.documents import services as documents
from apps.documents.models import IssuingBody
from apps.plans import content, templates_data
from apps.plans.models import Kind, Plan, PlanTarget, Signatory, Status, Task, TaskComment, TaskEvidence
from apps.targets import rules

PLAN_FIELDS = (
    "title",
    "period_start",
    "period_end",
    "school_year",
    "implements",
    "implements_text",
    "basis",
    "purposes",
    "contents",
    "targets_text",
    "organisation_text",
    "reporting",
    "annexes",
    "recipients",
    "confirming_unit",
    "body",
)
_MONTHS = re.compile(r"^\s*(\d{1,2}(?:\s*\+\s*\d{1,2})*)\s*/\s*(\d{4})\s*$")


# ---- parties -----------------------------------------------------------------------------------------------------


def _users(role_filter):
    from apps.accounts.models import RoleAssignment, User

    grants = RoleAssignment.objects.active().filter(**role_filter)
    return User.objects.filter(pk__in=grants.values("user"), is_active=True)


def owners_of(plan: Plan):
    """The people who run the plan: the school's principal, or the unit's officers."""
    if plan.school_id:
        return list(_users({"school": plan.school_id, "role": "principal"}))
    return list(_users({"org_unit": plan.org_unit_id, "role__in": ("province_officer", "commune_officer")}))


def party_users(*, organisation_id=None, org_unit_id=None, school_id=None, user=None) -> list:
    if organisation_id:
        return list(_users({"organisation": organisation_id, "role": "partner_officer"}))
    if org_unit_id:
        return list(_users({"org_unit": org_unit_id, "role__in": ("province_officer", "commune_officer")}))
    if school_id:
        return list(_users({"school": school_id, "role": "principal"}))
    return [user] if user is not None and user.is_active else []


def _speaks_for(actor, s: Signatory) -> bool:
    scope = scope_for(actor)
    if s.organisation_id:
        return s.organisation_id in scope.organisation_ids
    if s.org_unit_id:
        return s.org_unit.path in scope.officer_paths
    if s.school_id:
        return s.school_id in scope.principal_school_ids
    if s.user_id:
        return s.user_id == actor.pk
    return False


def task_users(task: Task) -> list:
    """Who a task's reminder goes to: its owner party's people; for an agency with no account, the plan's owners."""
    found = party_users(
        organisation_id=task.owner_organisation_id,
        org_unit_id=task.owner_unit_id,
        school_id=task.owner_school_id,
        user=task.owner_user,
    )
    if not found and task.plan_id:
        found = owners_of(task.plan)
    return found


def _notify(**kwargs) -> None:
    from apps.notifications.services import notify

    notify(**kwargs)


# ---- plans -------------------------------------------------------------------------------------------------------


def _abbreviation(name: str) -> str:
    from apps.core.text import fold

    words = [w for w in fold(name).upper().split() if w.isalpha()]
    return ("".join(w[0] for w in words) or "KH")[:20]


def owner_bodies(*, school=None, org_unit=None):
    """The issuing bodies of a plan's owner (a school or a unit), first made first."""
    if school is None and org_unit is None:
        return IssuingBody.objects.none()
    return IssuingBody.objects.filter(school=school, org_unit=org_unit, organisation=None).order_by("pk")


def _check_body(body, *, school=None, org_unit=None) -> None:
    if not owner_bodies(school=school, org_unit=org_unit).filter(pk=body.pk).exists():
        raise ValidationError({"body": _("Cơ quan ban hành không thuộc đơn vị lập kế hoạch.")})


def owner_body(actor, *, school=None, org_unit=None) -> IssuingBody:
    """The owner's issuing body (its first), made from the owner's name when it has none yet."""
    found = owner_bodies(school=school, org_unit=org_unit).first()
    if found is not None:
        return found
    if school is not None:
        return documents.body_create(
            actor=actor,
            name=school.name,
            parent_name=f"UBND {school.managed_by.name}",
            abbreviation=_abbreviation(school.name.replace("Trường", "")),
            place=school.managed_by.name.split(" ", 1)[-1],
            school=school,
        )
    return documents.body_create(
        actor=actor,
        name=f"Ủy ban nhân dân {org_unit.name}",
        abbreviation="UBND",
        place=org_unit.name.split(" ", 1)[-1],
        org_unit=org_unit,
    )


def _context(plan_owner, on: datetime.date) -> dict:
    start, end = templates_data.school_year_bounds(on)
    school = plan_owner if hasattr(plan_owner, "moet_code") else None
    commune = school.location if school else plan_owner
    principal = ""
    if school is not None:
        people = party_users(school_id=school.pk)
        principal = (people[0].get_full_name() or "") if people else ""
    return {
        "school": school.name if school else f"UBND {plan_owner.name}",
        "commune": commune.name if commune else "",
        "school_year": f"{start}-{end}",
        "start_year": start,
        "end_year": end,
        "year": on.year,
        "principal": principal,
    }


def _organisation(owner, kind: str):
    from apps.schools.models import Organisation

    school = owner if hasattr(owner, "moet_code") else None
    near = Organisation.objects.filter(kind=kind)
    if school is not None:
        return near.filter(school=school).first() or near.filter(org_unit=school.location).first()
    return near.filter(org_unit=owner).first()


@transaction.atomic
def plan_create(
    *,
    actor,
    kind: str,
    school=None,
    org_unit=None,
    on: datetime.date | None = None,
    school_year=None,
    body: IssuingBody | None = None,
) -> Plan:
    """A new plan of `kind` for a school (by its principal) or a unit (by its officers), from the kind's template
    filled for `school_year` (by default the one holding `on`, today): its dates, names, organisations, targets,
    activities and parties. It is issued by `body`, one of the owner's issuing bodies (by default its first)."""
    from apps.schools.models import SchoolYear

    on = on or timezone.localdate()
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Loại kế hoạch không hợp lệ.")})
    if (school is None) == (org_unit is None):
        raise ValidationError(_("Kế hoạch thuộc đúng một trường hoặc một đơn vị."))
    scope = scope_for(actor)
    if school is not None and not (scope.is_admin or school.pk in scope.principal_school_ids):
        raise PermissionDenied
    if org_unit is not None and not (scope.is_admin or org_unit.path in scope.officer_paths):
        raise PermissionDenied
    owner = school or org_unit
    if body is not None:
        _check_body(body, school=school, org_unit=org_unit)
    province = (school.location if school else org_unit).province()
    year = school_year
    if year is None:
        year = SchoolYear.objects.filter(province=province).containing(on).first()
    elif year.province_id != province.pk:
        raise ValidationError({"school_year": _("Năm học không thuộc tỉnh, thành phố của đơn vị.")})
    if year is not None:
        on = max(on, year.starts_on) if on <= year.ends_on else year.starts_on
    data = templates_data.fill(templates_data.template(kind), _context(owner, on))
    start, end = templates_data.school_year_bounds(on)
    plan = Plan(
        school=school,
        org_unit=org_unit,
        kind=kind,
        title=data["title"][:300],
        period_start=year.starts_on if year else datetime.date(start, 9, 1),
        period_end=year.ends_on if year else datetime.date(end, 5, 31),
        school_year=year,
        basis=data.get("basis", []),
        purposes=data.get("purposes", ""),
        contents=data.get("contents", ""),
        targets_text=data.get("targets_text", ""),
        organisation_text=data.get("organisation_text", ""),
        reporting=data.get("reporting", ""),
        annexes=data.get("annexes", []),
        recipients=data.get("recipients", []),
        confirming_unit=school.managed_by if school else None,
        body=body or owner_body(actor, school=school, org_unit=org_unit),
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    for i, row in enumerate(data.get("signatories", [])):
        if row.get("role") == "confirm" and plan.confirming_unit is None:
            continue
        account = row.get("account", "")
        s = Signatory(
            plan=plan,
            order=i,
            role=row.get("role", "sign"),
            party=row.get("party", ""),
            title=row.get("title", ""),
            name=row.get("name", ""),
            prefixes=row.get("prefixes", []),
        )
        if account == "owner" and school is not None:
            s.school = school
        elif account == "owner":
            s.org_unit = org_unit
            s.title, s.prefixes = "PHÓ CHỦ TỊCH", ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
        elif account == "confirming_unit":
            s.org_unit = plan.confirming_unit
        elif account.startswith("organisation:"):
            s.organisation = _organisation(owner, account.split(":", 1)[1])
            if s.organisation and not s.party:
                s.party = s.organisation.name.upper()
        s.save()
    for i, row in enumerate(data.get("targets", [])):
        PlanTarget.objects.create(
            plan=plan,
            order=i,
            label=row["label"],
            mode=row.get("mode", PlanTarget.Mode.ATTESTED),
            indicator=row.get("indicator", ""),
            level=row.get("level", 0),
            comparison=row.get("comparison", ""),
            value=Decimal(row["value"]) if row.get("value") else None,
        )
    for i, row in enumerate(data.get("tasks", [])):
        first, last = templates_data.month_range(row["months"], start)
        owner_spec = row.get("owner", "owner")
        task = Task(plan=plan, order=i, title=row["title"], month_start=first, month_end=last, due_on=_last_day(last))
        org = _organisation(owner, owner_spec.split(":", 1)[1]) if owner_spec.startswith("organisation:") else None
        _set_owner(task, org=org, school=school, unit=org_unit)
        task.save()
    audit_record(actor=actor, action="plans.plan_create", obj=plan, org_unit=plan.commune, changes={"kind": kind})
    return plan


def _set_owner(task, *, org=None, school=None, unit=None, user=None, name=""):
    task.owner_organisation, task.owner_school, task.owner_unit, task.owner_user = org, None, None, None
    task.owner_name = ""
    if org is not None:
        task.owner_kind = Task.Owner.ORGANISATION
    elif user is not None:
        task.owner_kind, task.owner_user = Task.Owner.USER, user
    elif name:
        task.owner_kind, task.owner_name = Task.Owner.AGENCY, name.strip()[:200]
    elif school is not None:
        task.owner_kind, task.owner_school = Task.Owner.SCHOOL, school
    elif unit is not None:
        task.owner_kind, task.owner_unit = Task.Owner.UNIT, unit
    else:
        raise ValidationError({"owner": _("Chọn người hoặc đơn vị thực hiện.")})


def _last_day(first_of_month: datetime.date) -> datetime.date:
    following = (first_of_month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def parse_months(text: str) -> tuple[datetime.date, datetime.date]:
    """ "10+11/2025" → (1/10/2025, 1/11/2025); "9/2025" → one month. Consecutive months of one year."""
    match = _MONTHS.match(text or "")
    error = ValidationError(
        {
            "months": _(
                "“%(text)s” không phải một tháng hay các tháng liền nhau của một năm (ví dụ 9/2025 hoặc 10+11/2025)."
            )
            % {"text": str(text)[:30]}
        }
    )
    if not match:
        raise error
    months = [int(m) for m in match.group(1).replace(" ", "").split("+")]
    year = int(match.group(2))
    if any(not 1 <= m <= 12 for m in months) or months != list(range(months[0], months[0] + len(months))):
        raise error
    return datetime.date(year, months[0], 1), datetime.date(year, months[-1], 1)


class Schedule(NamedTuple):
    """When a task is due: a month range (due its last month's last day) or a day."""

    month_start: datetime.date | None
    month_end: datetime.date | None
    due_on: datetime.date


def task_schedule(*, due_on: datetime.date | None = None, months: str = "") -> Schedule:
    """The one place a task's months ("10+11/2025") or due day are read and refused; the months win when both are
    given. A caller that must refuse them before other checks (a campaign's task for every commune) reads the
    schedule here first and hands it to `task_create`."""
    if months:
        start, end = parse_months(months)
        return Schedule(start, end, _last_day(end))
    if due_on is None:
        raise ValidationError({"due_on": _("Nhập hạn hoặc tháng thực hiện.")})
    return Schedule(None, None, due_on)


def _editable(actor, plan: Plan) -> Plan:
    plan = get_scoped_or_404(Plan, actor, CHANGE, pk=plan.pk, lock=True)
    if not plan.editable:
        raise ValidationError(_("Kế hoạch đã gửi xác nhận hoặc đã ban hành: không sửa được; hãy lập bản sửa đổi."))
    return plan


def _after_edit(actor, plan: Plan) -> None:
    """The content changed: agreements given to another content are void (audited once per edit)."""
    now = content.content_hash(plan)
    voided = [s for s in plan.signatories.all() if s.agreed_hash and s.agreed_hash != now]
    if voided:
        Signatory.objects.filter(pk__in=[s.pk for s in voided]).update(
            agreed_hash="", agreed_at=None, agreed_by=None, on_paper=False, scan=None
        )
        audit_record(
            actor=actor,
            action="plans.agreement_void",
            obj=plan,
            org_unit=plan.commune,
            changes={"parties": [str(s) for s in voided]},
        )


@transaction.atomic
def plan_update(*, actor, plan: Plan, **fields) -> Plan:
    """Change the plan's own text and dates (`PLAN_FIELDS`); while in agreement, every agreement given is void."""
    plan = _editable(actor, plan)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"not a plan field: {sorted(unknown)}")
    for list_field in ("basis",):
        if list_field in fields and isinstance(fields[list_field], str):
            fields[list_field] = [line.strip() for line in fields[list_field].splitlines() if line.strip()]
    if fields.get("body") is not None:
        _check_body(fields["body"], school=plan.school, org_unit=plan.org_unit)
    elif "body" in fields:
        del fields["body"]
    for key, value in fields.items():
        setattr(plan, key, value)
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor, action="plans.plan_update", obj=plan, org_unit=plan.commune, changes={"fields": sorted(fields)}
    )
    _after_edit(actor, plan)
    return plan


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or number < 0:
        raise ValidationError({"value": _("“%(value)s” không phải là số.") % {"value": str(value)[:40]}})
    return number


def _target_values(actor, plan: Plan, *, label, mode, indicator, level, comparison, value, link_kind, link_id) -> dict:
    """The checked values of a target (added or edited): a computed one names a registered indicator or a linked
    object within the actor's scope; an attested one keeps no figure."""
    from apps.plans import linkable

    if not label.strip():
        raise ValidationError({"label": _("Nhập nội dung chỉ tiêu.")})
    if mode not in PlanTarget.Mode.values:
        raise ValidationError({"mode": _("Cách đánh giá không hợp lệ.")})
    if comparison and comparison not in (*rules.FLOORS, *rules.CEILINGS):
        raise ValidationError({"comparison": _("So sánh là ≥, >, ≤ hoặc <.")})
    if mode == PlanTarget.Mode.COMPUTED:
        if link_kind:
            kind = linkable.get(link_kind)
            if kind is None or link_id not in {pk for pk, _label in kind.choices(actor, plan)}:
                raise ValidationError({"link_id": _("Chỉ tiêu liên kết không có hoặc ngoài phạm vi của bạn.")})
        else:
            from apps.indicators import registry

            try:
                registry.get(indicator)
            except KeyError:
                raise ValidationError(
                    {"indicator": _("Chỉ số “%(code)s” không có trong hệ thống.") % {"code": indicator}}
                ) from None
    computed = mode == PlanTarget.Mode.COMPUTED
    return {
        "label": label.strip()[:300],
        "mode": mode,
        "indicator": indicator if computed and not link_kind else "",
        "level": level or 0,
        "comparison": comparison if computed else "",
        "value": _decimal(value) if computed else None,
        "link_kind": link_kind if computed else "",
        "link_id": link_id if computed and link_kind else None,
    }


@transaction.atomic
def target_add(
    *,
    actor,
    plan: Plan,
    label: str,
    mode: str = PlanTarget.Mode.ATTESTED,
    indicator: str = "",
    level: int = 0,
    comparison: str = rules.GE,
    value=None,
    link_kind: str = "",
    link_id: int | None = None,
) -> PlanTarget:
    plan = _editable(actor, plan)
    values = _target_values(
        actor,
        plan,
        label=label,
        mode=mode,
        indicator=indicator,
        level=level,
        comparison=comparison,
        value=value,
        link_kind=link_kind,
        link_id=link_id,
    )
    target = PlanTarget(plan=plan, order=plan.targets.count(), **values)
    target.full_clean()
    target.save()
    audit_record(
        actor=actor, action="plans.target_add", obj=plan, org_unit=plan.commune, changes={"label": target.label}
    )
    _after_edit(actor, plan)
    return target


@transaction.atomic
def target_update(
    *,
    actor,
    target: PlanTarget,
    label: str,
    mode: str = PlanTarget.Mode.ATTESTED,
    indicator: str = "",
    level: int = 0,
    comparison: str = rules.GE,
    value=None,
    link_kind: str = "",
    link_id: int | None = None,
) -> PlanTarget:
    """Change a target (its label, how it is assessed, its figure or linked object): content, so any agreement
    given is void. A change of mode clears an earlier assessment."""
    plan = _editable(actor, target.plan)
    target = plan.targets.select_for_update().get(pk=target.pk)
    values = _target_values(
        actor,
        plan,
        label=label,
        mode=mode,
        indicator=indicator,
        level=level,
        comparison=comparison,
        value=value,
        link_kind=link_kind,
        link_id=link_id,
    )
    changed = {key: [str(getattr(target, key)), str(new)] for key, new in values.items() if getattr(target, key) != new}
    if not changed:
        return target
    if values["mode"] != PlanTarget.Mode.ATTESTED:
        target.met, target.note, target.evidence = None, "", None
    for key, new in values.items():
        setattr(target, key, new)
    target.full_clean()
    target.save()
    audit_record(actor=actor, action="plans.target_update", obj=plan, org_unit=plan.commune, changes=changed)
    _after_edit(actor, plan)
    return target


@transaction.atomic
def target_remove(*, actor, target: PlanTarget) -> None:
    plan = _editable(actor, target.plan)
    target = plan.targets.get(pk=target.pk)
    audit_record(
        actor=actor, action="plans.target_remove", obj=plan, org_unit=plan.commune, changes={"label": target.label}
    )
    target.delete()
    _after_edit(actor, plan)


@transaction.atomic
def target_attest(*, actor, target: PlanTarget, met: bool, note: str = "", evidence=None) -> PlanTarget:
    """Assess an attested target met or not (an assessment, not content: agreements stand), with evidence."""
    plan = get_scoped_or_404(Plan, actor, CHANGE, pk=target.plan_id)
    if plan.status == Status.SUPERSEDED:
        raise ValidationError(_("Kế hoạch đã được thay thế."))
    target = PlanTarget.objects.select_for_update().get(pk=target.pk, plan=plan)
    if target.mode != PlanTarget.Mode.ATTESTED:
        raise ValidationError(_("Chỉ tiêu này được tính từ số liệu."))
    if met and not (note.strip() or evidence):
        raise ValidationError({"note": _("Chỉ tiêu đạt cần ghi chú hoặc minh chứng.")})
    target.met, target.note = met, note.strip()[:500]
    if evidence is not None:
        target.evidence = documents.attachment_add(actor=actor, body=plan.body, upload=evidence)
    target.save()
    audit_record(
        actor=actor,
        action="plans.target_attest",
        obj=plan,
        org_unit=plan.commune,
        changes={"target": target.label, "met": met},
    )
    return target


def _signatory_values(*, title, party, name, prefixes, role, organisation, org_unit, school, user) -> dict:
    """A party's fields as `signatory_add` and `signatory_update` write them, checked: a title, at most one account
    that agrees for it; prefix lines given as text are split into lines."""
    if isinstance(prefixes, str):
        prefixes = [line.strip() for line in prefixes.splitlines() if line.strip()]
    if not title.strip():
        raise ValidationError({"title": _("Nhập chức vụ của người ký.")})
    if sum(x is not None for x in (organisation, org_unit, school, user)) > 1:
        raise ValidationError(_("Mỗi bên ký có nhiều nhất một tài khoản đại diện."))
    return {
        "role": role,
        "party": party.strip()[:150],
        "title": title.strip()[:150],
        "name": name.strip()[:150],
        "prefixes": list(prefixes),
        "organisation": organisation,
        "org_unit": org_unit,
        "school": school,
        "user": user,
    }


@transaction.atomic
def signatory_add(
    *,
    actor,
    plan: Plan,
    title: str,
    party: str = "",
    name: str = "",
    prefixes=(),
    role: str = Signatory.Role.SIGN,
    organisation=None,
    org_unit=None,
    school=None,
    user=None,
) -> Signatory:
    plan = _editable(actor, plan)
    values = _signatory_values(
        title=title,
        party=party,
        name=name,
        prefixes=prefixes,
        role=role,
        organisation=organisation,
        org_unit=org_unit,
        school=school,
        user=user,
    )
    s = Signatory(plan=plan, order=(max([x.order for x in plan.signatories.all()], default=-1) + 1), **values)
    s.full_clean()
    s.save()
    audit_record(actor=actor, action="plans.signatory_add", obj=plan, org_unit=plan.commune, changes={"party": str(s)})
    _after_edit(actor, plan)
    return s


@transaction.atomic
def signatory_update(
    *,
    actor,
    signatory: Signatory,
    title: str,
    party: str = "",
    name: str = "",
    prefixes=(),
    role: str = Signatory.Role.SIGN,
    organisation=None,
    org_unit=None,
    school=None,
    user=None,
) -> Signatory:
    """Change a party's label, title, name, prefix lines, role or the account that agrees for it: content, so any
    agreement given is void (this party's too)."""
    plan = _editable(actor, signatory.plan)
    s = plan.signatories.select_for_update().get(pk=signatory.pk)
    values = _signatory_values(
        title=title,
        party=party,
        name=name,
        prefixes=prefixes,
        role=role,
        organisation=organisation,
        org_unit=org_unit,
        school=school,
        user=user,
    )
    if role not in Signatory.Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    changed = {key: [str(getattr(s, key)), str(new)] for key, new in values.items() if getattr(s, key) != new}
    if not changed:
        return s
    account_changed = any(key in changed for key in ("organisation", "org_unit", "school", "user", "role"))
    for key, new in values.items():
        setattr(s, key, new)
    if account_changed:  # who agreed spoke for the party as it was
        s.agreed_hash, s.agreed_at, s.agreed_by, s.on_paper, s.scan = "", None, None, False, None
    s.full_clean()
    s.save()
    audit_record(
        actor=actor,
        action="plans.signatory_update",
        obj=plan,
        org_unit=plan.commune,
        changes={"party": str(s), **changed},
    )
    _after_edit(actor, plan)
    return s


@transaction.atomic
def signatory_remove(*, actor, signatory: Signatory) -> None:
    plan = _editable(actor, signatory.plan)
    signatory = plan.signatories.get(pk=signatory.pk)
    audit_record(
        actor=actor, action="plans.signatory_remove", obj=plan, org_unit=plan.commune, changes={"party": str(signatory)}
    )
    signatory.delete()
    _after_edit(actor, plan)


# ---- tasks -------------------------------------------------------------------------------------------------------


@transaction.atomic
def task_add(
    *,
    actor,
    plan: Plan,
    title: str,
    due_on: datetime.date | None = None,
    months: str = "",
    organisation=None,
    school=None,
    org_unit=None,
    user=None,
    agency: str = "",
) -> Task:
    """An activity of the plan: due a day, or a month range ("10+11/2025", due its last day); owned by a party."""
    plan = _editable(actor, plan)
    if not title.strip():
        raise ValidationError({"title": _("Nhập nội dung công việc.")})
    task = Task(plan=plan, order=plan.tasks.count(), title=title.strip()[:500])
    task.month_start, task.month_end, task.due_on = task_schedule(due_on=due_on, months=months)
    if organisation is None and school is None and org_unit is None and user is None and not agency.strip():
        school, org_unit = plan.school, plan.org_unit
    _set_owner(task, org=organisation, school=school, unit=org_unit, user=user, name=agency)
    task.full_clean()
    task.save()
    audit_record(
        actor=actor,
        action="plans.task_add",
        obj=task,
        org_unit=plan.commune,
        changes={"when": task.when, "owner": task.owner_label},
    )
    _after_edit(actor, plan)
    return task


@transaction.atomic
def task_create(
    *,
    actor,
    title: str,
    due_on: datetime.date | None = None,
    months: str = "",
    schedule: Schedule | None = None,
    order: int = 0,
    organisation=None,
    school=None,
    org_unit=None,
    user=None,
    agency: str = "",
    commune=None,
    audit_action: str = "plans.task_create",
    audit_changes: dict | None = None,
) -> Task:
    """A task with no plan: a meeting's decision, a campaign's task, a standard school's improvement item, a steering
    committee's duty or an inspection's finding. Due a day or a month range ("10+11/2025"), or on the `schedule` the
    caller has read already (`task_schedule`); owned by the first party given (an organisation, a user, a named
    agency, a school, a unit). The caller has checked the actor may give it (they write the meeting, the campaign,
    the assessment or the committee) and names the `commune` the change log files it under; after this, the task
    lives as every task does (`task_set_status`, evidence, comments). The creation is audited once, here: a caller
    names its own action (`audit_action`, "plans.meeting_decision") and adds what it knows (`audit_changes`, which
    win over the task's own "when" and "owner") rather than recording a second event for the same task."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Nhập nội dung công việc.")})
    task = Task(plan=None, order=order, title=title[:500])
    task.month_start, task.month_end, task.due_on = schedule or task_schedule(due_on=due_on, months=months)
    _set_owner(task, org=organisation, school=school, unit=org_unit, user=user, name=agency)
    task.full_clean()
    task.save()
    audit_record(
        actor=actor,
        action=audit_action,
        obj=task,
        org_unit=commune,
        changes={"when": task.when, "owner": task.owner_label, **(audit_changes or {})},
    )
    return task


@transaction.atomic
def task_remove(*, actor, task: Task) -> None:
    plan = _editable(actor, task.plan)
    task = plan.tasks.get(pk=task.pk)
    audit_record(
        actor=actor, action="plans.task_remove", obj=plan, org_unit=plan.commune, changes={"task": task.title[:100]}
    )
    task.delete()
    _after_edit(actor, plan)


def _task_plan_commune(task):
    return task.plan.commune if task.plan_id else None


@transaction.atomic
def task_set_status(*, actor, task: Task, status: str, note: str = "", reason: str = "") -> Task:
    """Move a task: done needs a note or evidence, cancelled a reason. By its owner party or the plan's owner."""
    task = get_scoped_or_404(Task.objects.select_related("plan"), actor, CHANGE, pk=task.pk, lock=True)
    if task.plan_id and task.plan.status == Status.SUPERSEDED:
        raise ValidationError(_("Kế hoạch đã được thay thế: cập nhật nhiệm vụ trên kế hoạch mới."))
    if status not in Task.Status.values:
        raise ValidationError({"status": _("Trạng thái không hợp lệ.")})
    note, reason = note.strip(), reason.strip()
    if status == Task.Status.DONE and not (note or task.note or task.evidence.exists()):
        raise ValidationError({"note": _("Nhiệm vụ hoàn thành cần ghi kết quả hoặc đính kèm minh chứng.")})
    if status == Task.Status.CANCELLED and not reason:
        raise ValidationError({"cancel_reason": _("Hủy nhiệm vụ cần ghi lý do.")})
    old = task.status
    task.status = status
    if note:
        task.note = note
    task.cancel_reason = reason[:500] if status == Task.Status.CANCELLED else ""
    task.save()
    audit_record(
        actor=actor,
        action="plans.task_status",
        obj=task,
        org_unit=_task_plan_commune(task),
        changes={"status": [old, status]},
    )
    return task


@transaction.atomic
def task_comment(*, actor, task: Task, text: str) -> TaskComment:
    task = get_scoped_or_404(Task.objects.select_related("plan"), actor, VIEW, pk=task.pk)
    if not text.strip():
        raise ValidationError({"text": _("Nhập ý kiến.")})
    comment = TaskComment.objects.create(task=task, author=actor, text=text.strip()[:4000])
    audit_record(actor=actor, action="plans.task_comment", obj=task, org_unit=_task_plan_commune(task))
    return comment


def task_add_evidence(*, actor, task: Task, upload) -> TaskEvidence:
    """A file showing the task done, accepted by content (`apps.documents.attachments`: forged extensions refused,
    a photo's location stripped)."""
    limit = attachments.max_bytes()
    if getattr(upload, "size", 0) > limit:
        raise ValidationError(
            _("Tệp %(file)s lớn hơn %(max)s MB: không nhận.") % {"file": upload.name, "max": limit // 2**20}
        )
    accepted = attachments.accept(upload.name, upload.read(limit + 1))
    with transaction.atomic():
        task = get_scoped_or_404(Task.objects.select_related("plan"), actor, CHANGE, pk=task.pk, lock=True)
        item = TaskEvidence(
            task=task,
            filename=accepted.filename,
            content_type=accepted.content_type,
            size=len(accepted.data),
            sha256=hashlib.sha256(accepted.data).hexdigest(),
            uploaded_by=actor,
        )
        item.file.save(accepted.filename, ContentFile(accepted.data), save=False)
        item.save()
        audit_record(
            actor=actor,
            action="plans.task_evidence",
            obj=task,
            org_unit=_task_plan_commune(task),
            changes={"file": item.filename},
        )
    return item


# ---- agreement, confirmation, issue --------------------------------------------------------------------------------


def _plan_url(plan) -> str:
    return reverse("plans:detail", args=[plan.pk])


@transaction.atomic
def plan_submit(*, actor, plan: Plan) -> Plan:
    """Send the plan to its signing parties for agreement (draft → in agreement)."""
    plan = get_scoped_or_404(Plan, actor, CHANGE, pk=plan.pk, lock=True)
    if plan.status != Status.DRAFT:
        raise ValidationError(_("Chỉ gửi lấy ý kiến kế hoạch đang soạn."))
    signers = [s for s in plan.signatories.all() if s.role == Signatory.Role.SIGN]
    if not signers:
        raise ValidationError(_("Kế hoạch cần ít nhất một bên ký."))
    plan.status = Status.IN_AGREEMENT
    plan.save(update_fields=["status"])
    audit_record(actor=actor, action="plans.plan_submit", obj=plan, org_unit=plan.commune)
    people = [
        u
        for s in signers
        for u in party_users(
            organisation_id=s.organisation_id, org_unit_id=s.org_unit_id, school_id=s.school_id, user=s.user
        )
        if u.pk != actor.pk
    ]
    if people:
        _notify(
            recipients=people,
            kind="plans.agreement",
            title=_("Kế hoạch chờ các bên thống nhất"),
            body=plan.title[:200],
            url=_plan_url(plan),
        )
    return plan


def _advance(actor, plan: Plan) -> None:
    """Every signing party agreed to this content: on to the confirming unit (or issued, with none)."""
    now = content.content_hash(plan)
    signers = [s for s in plan.signatories.all() if s.role == Signatory.Role.SIGN]
    if plan.status != Status.IN_AGREEMENT or not all(s.agreed(now) for s in signers):
        return
    if plan.confirming_unit_id:
        plan.status = Status.AWAITING
        plan.save(update_fields=["status"])
        audit_record(actor=actor, action="plans.plan_agreed", obj=plan, org_unit=plan.commune, changes={"hash": now})
        people = party_users(org_unit_id=plan.confirming_unit_id)
        if people:
            _notify(
                recipients=people,
                kind="plans.confirm",
                title=_("Kế hoạch chờ xác nhận"),
                body=plan.title[:200],
                url=_plan_url(plan),
            )


@transaction.atomic
def signatory_agree(*, actor, signatory: Signatory) -> Signatory:
    """A signing party agrees to the plan's content as it is now (its hash is kept: an edit voids it)."""
    plan = get_scoped_or_404(Plan, actor, VIEW, pk=signatory.plan_id, lock=True)
    signatory = plan.signatories.select_for_update().get(pk=signatory.pk)
    if plan.status != Status.IN_AGREEMENT:
        raise ValidationError(_("Kế hoạch không ở bước lấy ý kiến thống nhất."))
    if signatory.role != Signatory.Role.SIGN or not _speaks_for(actor, signatory):
        raise PermissionDenied
    signatory.agreed_hash = content.content_hash(plan)
    signatory.agreed_by, signatory.agreed_at, signatory.on_paper = actor, timezone.now(), False
    signatory.save()
    audit_record(
        actor=actor,
        action="plans.signatory_agree",
        obj=plan,
        org_unit=plan.commune,
        changes={"party": str(signatory), "hash": signatory.agreed_hash},
    )
    _advance(actor, plan)
    return signatory


@transaction.atomic
def signatory_record_paper(*, actor, signatory: Signatory, scan) -> Signatory:
    """The owner records a party with no account as signed on paper, with the scan (through the attachment
    service: checked by content), audited."""
    plan = get_scoped_or_404(Plan, actor, CHANGE, pk=signatory.plan_id, lock=True)
    signatory = plan.signatories.select_for_update().get(pk=signatory.pk)
    if plan.status != Status.IN_AGREEMENT:
        raise ValidationError(_("Kế hoạch không ở bước lấy ý kiến thống nhất."))
    if signatory.role != Signatory.Role.SIGN:
        raise ValidationError(_("Chỉ ghi nhận ký giấy cho bên ký."))
    if scan is None:
        raise ValidationError({"scan": _("Cần đính kèm bản quét văn bản đã ký.")})
    item = documents.attachment_add(actor=actor, body=plan.body, upload=scan)
    signatory.agreed_hash = content.content_hash(plan)
    signatory.agreed_by, signatory.agreed_at, signatory.on_paper, signatory.scan = actor, timezone.now(), True, item
    signatory.save()
    audit_record(
        actor=actor,
        action="plans.signatory_paper",
        obj=plan,
        org_unit=plan.commune,
        changes={"party": str(signatory), "scan": item.filename, "sha256": item.sha256, "hash": signatory.agreed_hash},
    )
    _advance(actor, plan)
    return signatory


def _issue(actor, plan: Plan, on: datetime.date) -> Plan:
    previous = plan.previous
    replaces = previous.document.symbol if previous is not None and previous.document_id else ""
    issued_text = f"{replaces} ngày {previous.document.issued_on:%d/%m/%Y}" if replaces else ""
    plan.refresh_from_db()

    def build(number_line: str, symbol: str):
        return content.document(plan, number_line, symbol, on=on, replaces=issued_text)

    document = documents.document_issue(
        actor=actor,
        body=plan.body,
        kind="ke_hoach",
        summary=plan.title if not replaces else f"{plan.title} (thay thế Kế hoạch số {replaces})",
        issued_on=on,
        build=build,
        supersedes=previous.document if previous is not None else None,
    )
    plan.document, plan.status = document, Status.ISSUED
    plan.save(update_fields=["document", "status"])
    audit_record(
        actor=actor, action="plans.plan_issue", obj=plan, org_unit=plan.commune, changes={"symbol": document.symbol}
    )
    if previous is not None:
        Plan.objects.filter(pk=previous.pk).update(status=Status.SUPERSEDED)
        audit_record(
            actor=actor,
            action="plans.plan_supersede",
            obj=previous,
            org_unit=previous.commune,
            changes={"by": document.symbol},
        )
        _carry_tasks(previous, plan)
    _notify(
        recipients=owners_of(plan),
        kind="plans.issued",
        title=_("Kế hoạch đã ban hành"),
        body=f"{document.symbol} {plan.title}"[:200],
        url=_plan_url(plan),
    )
    return plan


@transaction.atomic
def plan_confirm(*, actor, plan: Plan, on: datetime.date | None = None) -> Plan:
    """The confirming unit confirms the agreed plan: it is issued, numbered in the owner's register."""
    plan = get_scoped_or_404(Plan, actor, MANAGE, pk=plan.pk, lock=True)
    if plan.status != Status.AWAITING:
        raise ValidationError(_("Kế hoạch chưa được các bên thống nhất."))
    now = content.content_hash(plan)
    if not all(s.agreed(now) for s in plan.signatories.all() if s.role == Signatory.Role.SIGN):
        raise ValidationError(_("Nội dung đã thay đổi sau khi các bên thống nhất."))
    plan.confirmed_by, plan.confirmed_at = actor, timezone.now()
    plan.save(update_fields=["confirmed_by", "confirmed_at"])
    audit_record(actor=actor, action="plans.plan_confirm", obj=plan, org_unit=plan.commune, changes={"hash": now})
    return _issue(actor, plan, on or timezone.localdate())


@transaction.atomic
def plan_issue(*, actor, plan: Plan, on: datetime.date | None = None) -> Plan:
    """Issue an agreed plan that needs no confirmation (a unit's own), by its owner."""
    plan = get_scoped_or_404(Plan, actor, CHANGE, pk=plan.pk, lock=True)
    now = content.content_hash(plan)
    if plan.confirming_unit_id:
        raise ValidationError(_("Kế hoạch cần đơn vị xác nhận trước khi ban hành."))
    signers = [s for s in plan.signatories.all() if s.role == Signatory.Role.SIGN]
    if plan.status != Status.IN_AGREEMENT or not all(s.agreed(now) for s in signers):
        raise ValidationError(_("Kế hoạch chưa được các bên thống nhất."))
    return _issue(actor, plan, on or timezone.localdate())


# ---- amendments ----------------------------------------------------------------------------------------------------


def _copy_task(task: Task, plan: Plan) -> Task:
    copy = Task.objects.create(
        plan=plan,
        order=task.order,
        title=task.title,
        owner_kind=task.owner_kind,
        owner_unit=task.owner_unit,
        owner_school=task.owner_school,
        owner_organisation=task.owner_organisation,
        owner_user=task.owner_user,
        owner_name=task.owner_name,
        due_on=task.due_on,
        month_start=task.month_start,
        month_end=task.month_end,
        status=task.status,
        note=task.note,
        cancel_reason=task.cancel_reason,
        carried_from=task,
    )
    _copy_evidence(task, copy)
    return copy


def _copy_evidence(source: Task, target: Task) -> None:
    have = set(target.evidence.values_list("sha256", flat=True))
    for item in source.evidence.all():
        if item.sha256 not in have:
            TaskEvidence.objects.create(
                task=target,
                file=item.file.name,
                filename=item.filename,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
                uploaded_by=item.uploaded_by,
            )


def _carry_tasks(old: Plan, new: Plan) -> None:
    """On issuing the amendment: each carried task takes its source's latest status, result and evidence."""
    for task in new.tasks.filter(carried_from__plan=old).select_related("carried_from"):
        source = task.carried_from
        task.status, task.note, task.cancel_reason = source.status, source.note, source.cancel_reason
        task.save(update_fields=["status", "note", "cancel_reason"])
        _copy_evidence(source, task)
        for comment in source.comments.all():
            TaskComment.objects.get_or_create(task=task, author=comment.author, text=comment.text)


@transaction.atomic
def plan_amend(*, actor, plan: Plan) -> Plan:
    """An amendment of an issued plan: a new version (a draft with the same content, its tasks carried over with
    their status and evidence), agreed again, issued under a new number that replaces the old one."""
    old = get_scoped_or_404(Plan, actor, CHANGE, pk=plan.pk, lock=True)
    if old.status != Status.ISSUED:
        raise ValidationError(_("Chỉ sửa đổi kế hoạch đã ban hành."))
    if Plan.objects.filter(previous=old).exclude(status=Status.SUPERSEDED).exists():
        raise ValidationError(_("Kế hoạch này đã có bản sửa đổi."))
    new = Plan.objects.get(pk=old.pk)
    new.pk = None
    new.previous, new.version, new.status, new.document = old, old.version + 1, Status.DRAFT, None
    new.confirmed_by, new.confirmed_at, new.created_by = None, None, actor
    new.save()
    for s in old.signatories.all():
        s.pk, s.plan = None, new
        s.agreed_hash, s.agreed_by, s.agreed_at, s.on_paper, s.scan = "", None, None, False, None
        s.save()
    for t in old.targets.all():
        t.pk, t.plan = None, new
        t.save()
    for task in old.tasks.all():
        _copy_task(task, new)
    audit_record(
        actor=actor,
        action="plans.plan_amend",
        obj=new,
        org_unit=new.commune,
        changes={"previous": old.pk, "version": new.version},
    )
    return new
