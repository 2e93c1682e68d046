"""Writes of the national standard schools: the criteria sets (loaded, edited, verified by a system administrator),
the self-assessment cycles, targets, the construction roadmap with its funding and the recognition decisions. Each
checks the actor's rights, validates, writes and appends its audit event in one transaction."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.scoping import CHANGE, MANAGE, VIEW, get_scoped_or_404, scope_for
from apps.core.text import nfc
from apps.schools.models import School
from apps.standards import rules, tasks
from apps.standards.models import (
    Assessment,
    ConstructionItem,
    CouncilMember,
    CriteriaSet,
    Criterion,
    Cycle,
    Evidence,
    Funding,
    ImprovementTask,
    Indicator,
    Photo,
    Rating,
    Recognition,
    Source,
    Standard,
    Target,
)


def _clean(text) -> str:
    return nfc(str(text or "")).strip()


def _admin_only(actor) -> None:
    if not scope_for(actor).is_admin:
        raise PermissionDenied(_("Chỉ quản trị hệ thống được sửa bộ tiêu chuẩn."))


def _school(actor, school, action=MANAGE) -> School:
    return get_scoped_or_404(School.objects.all(), actor, action, lock=True, pk=school.pk)


# Criteria sets ---------------------------------------------------------------------------------------------------


def set_for(school: School) -> CriteriaSet | None:
    """The set a new cycle of `school` starts with: of its kind (`rules.set_kind`), the newest one holding criteria."""
    kind = rules.set_kind(school.levels)
    if kind is None:
        return None
    candidates = CriteriaSet.objects.filter(kind=kind, standards__criteria__isnull=False).distinct()
    return candidates.order_by("-verified", "-effective_from", "-pk").first()


def _text_target(kind: str, pk: int):
    model = {"standard": Standard, "criterion": Criterion, "indicator": Indicator}[kind]
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationError(_("Không tìm thấy nội dung cần sửa."))
    return obj


@transaction.atomic
def text_edit(*, actor, kind: str, pk: int, text: str):
    """A system administrator types the official text of a standard's title, a criterion or an indicator; the old
    and new texts are kept in the change log."""
    _admin_only(actor)
    obj = _text_target(kind, pk)
    field = "title" if kind == "standard" else "text"
    old, new = getattr(obj, field), _clean(text)
    if old == new:
        return obj
    setattr(obj, field, new)
    obj.full_clean()
    obj.save(update_fields=[field])
    audit_record(actor=actor, action="standards.text_edit", obj=obj, changes={field: [old, new]})
    return obj


def missing_texts(criteria_set: CriteriaSet) -> dict:
    """What a set still lacks before it may be verified: titles, criterion texts, indicator texts, criteria with no
    indicators."""
    criteria = Criterion.objects.filter(standard__criteria_set=criteria_set)
    return {
        "titles": criteria_set.standards.filter(title="").count(),
        "criteria": criteria.filter(text="").count(),
        "indicators": criteria_set.indicators.filter(text="").count(),
        "bare": criteria.filter(indicators__isnull=True).count(),
        "empty": not criteria.exists(),
    }


@transaction.atomic
def set_verify(*, actor, criteria_set: CriteriaSet, verified: bool = True) -> CriteriaSet:
    """Mark a set checked against the official text (levels are derived from it from then on), or take the mark
    back. Refused while a text is missing or a criterion has no indicator."""
    _admin_only(actor)
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if verified:
        gaps = missing_texts(criteria_set)
        if gaps["empty"]:
            raise ValidationError(_("Bộ tiêu chuẩn chưa có tiêu chí nào: không thể xác minh."))
        if gaps["titles"] or gaps["criteria"] or gaps["indicators"] or gaps["bare"]:
            raise ValidationError(
                _(
                    "Chưa thể xác minh: còn %(titles)s tiêu chuẩn chưa có tên, %(criteria)s tiêu chí và "
                    "%(indicators)s chỉ báo chưa có nội dung, %(bare)s tiêu chí chưa có chỉ báo."
                )
                % gaps
            )
    criteria_set.verified = verified
    criteria_set.verified_by = actor if verified else None
    criteria_set.verified_at = timezone.now() if verified else None
    criteria_set.save(update_fields=["verified", "verified_by", "verified_at"])
    audit_record(actor=actor, action="standards.set_verify", obj=criteria_set, changes={"verified": verified})
    return criteria_set


def load_rows(*, criteria_set: CriteriaSet, rows) -> dict:
    """Write a set's structure and texts from typed rows (standard, title, criterion, criterion text, level,
    label, indicator text): what exists is found by its numbers and its text filled or replaced, what is new is
    added. Nothing is deleted. Inside the caller's transaction."""
    counts = {"standards": 0, "criteria": 0, "indicators": 0, "texts": 0}
    standards = {s.number: s for s in criteria_set.standards.all()}
    criteria = {
        (c.standard.number, c.number): c
        for c in Criterion.objects.filter(standard__criteria_set=criteria_set).select_related("standard")
    }
    indicators = {(i.criterion_id, i.level, i.label): i for i in criteria_set.indicators.all()}

    def put(obj, field, value):
        if value and getattr(obj, field) != value:
            setattr(obj, field, value)
            obj.save(update_fields=[field])
            counts["texts"] += 1

    for row in rows:
        standard = standards.get(row["standard"])
        if standard is None:
            standard = standards[row["standard"]] = Standard.objects.create(
                criteria_set=criteria_set, number=row["standard"], title=row["title"]
            )
            counts["standards"] += 1
        else:
            put(standard, "title", row["title"])
        criterion = None
        if row["criterion"]:
            key = (row["standard"], row["criterion"])
            criterion = criteria.get(key)
            if criterion is None:
                criterion = criteria[key] = Criterion.objects.create(
                    standard=standard, number=row["criterion"], text=row["criterion_text"]
                )
                counts["criteria"] += 1
            else:
                put(criterion, "text", row["criterion_text"])
        if row["level"]:
            key = (criterion.pk if criterion else None, row["level"], row["label"])
            indicator = indicators.get(key)
            if indicator is None:
                indicators[key] = Indicator.objects.create(
                    criteria_set=criteria_set,
                    criterion=criterion,
                    level=row["level"],
                    label=row["label"],
                    text=row["indicator_text"],
                )
                counts["indicators"] += 1
            else:
                put(indicator, "text", row["indicator_text"])
    return counts


# Cycles ----------------------------------------------------------------------------------------------------------


def _cycle(actor, cycle, action=MANAGE) -> Cycle:
    return get_scoped_or_404(
        Cycle.objects.select_related("school", "criteria_set"), actor, action, lock=True, pk=cycle.pk
    )


def _open(cycle: Cycle) -> None:
    if not cycle.is_open:
        raise ValidationError(_("Đợt tự đánh giá đã kết thúc: không sửa được nữa."))


@transaction.atomic
def cycle_start(*, actor, school: School, year: int, criteria_set: CriteriaSet | None = None) -> Cycle:
    """Open a self-assessment of `school` on the set that applies to it now (or the one given, of its kind); the
    cycle keeps that set whatever is loaded later. One line per criterion is made for the council."""
    school = _school(actor, school)
    kind = rules.set_kind(school.levels)
    if criteria_set is None:
        criteria_set = set_for(school)
    if criteria_set is None or criteria_set.kind != kind:
        raise ValidationError({"criteria_set": _("Không có bộ tiêu chuẩn áp dụng cho trường này.")})
    if Cycle.objects.filter(school=school, year=year).exists():
        raise ValidationError({"year": _("Trường đã có đợt tự đánh giá năm %(year)s.") % {"year": year}})
    cycle = Cycle(school=school, criteria_set=criteria_set, year=year, started_by=actor)
    cycle.full_clean()
    cycle.save()
    criteria = Criterion.objects.filter(standard__criteria_set=criteria_set)
    Assessment.objects.bulk_create([Assessment(cycle=cycle, criterion=c) for c in criteria])
    audit_record(
        actor=actor,
        action="standards.cycle_start",
        obj=cycle,
        org_unit=school.managed_by_id,
        changes={"set": criteria_set.code, "year": year},
    )
    return cycle


@transaction.atomic
def cycle_close(*, actor, cycle: Cycle) -> Cycle:
    cycle = _cycle(actor, cycle)
    _open(cycle)
    cycle.status = Cycle.Status.CLOSED
    cycle.save(update_fields=["status"])
    audit_record(actor=actor, action="standards.cycle_close", obj=cycle, org_unit=cycle.school.managed_by_id)
    return cycle


@transaction.atomic
def member_add(*, actor, cycle: Cycle, name: str, position: str = "", role: str = "member", user=None) -> CouncilMember:
    cycle = _cycle(actor, cycle)
    _open(cycle)
    member = CouncilMember(cycle=cycle, name=_clean(name), position=_clean(position), role=role, user=user)
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        action="standards.member_add",
        obj=member,
        org_unit=cycle.school.managed_by_id,
        changes={"name": member.name, "role": role},
    )
    return member


@transaction.atomic
def criterion_assign(*, actor, cycle: Cycle, criterion: Criterion, member: CouncilMember | None) -> Assessment:
    """Give a criterion to a council member, who then edits it while the cycle is open."""
    cycle = _cycle(actor, cycle)
    _open(cycle)
    if member is not None and member.cycle_id != cycle.pk:
        raise ValidationError({"member": _("Thành viên không thuộc hội đồng của đợt này.")})
    assessment = Assessment.objects.get(cycle=cycle, criterion=criterion)
    assessment.assignee = member
    assessment.save(update_fields=["assignee"])
    audit_record(
        actor=actor,
        action="standards.criterion_assign",
        obj=assessment,
        org_unit=cycle.school.managed_by_id,
        changes={"member": member.name if member else ""},
    )
    return assessment


def may_edit(actor, assessment: Assessment) -> bool:
    """Whoever manages the school, or the council member the criterion is assigned to (while the cycle is open)."""
    cycle = assessment.cycle
    if not cycle.is_open:
        return False
    if School.objects.restrict(actor, MANAGE).filter(pk=cycle.school_id).exists():
        return True
    return assessment.assignee is not None and assessment.assignee.user_id == getattr(actor, "pk", None)


def _editable(actor, assessment: Assessment) -> Assessment:
    cycle = get_scoped_or_404(Cycle.objects.all(), actor, VIEW, pk=assessment.cycle_id)
    assessment = Assessment.objects.select_related("cycle__school", "assignee", "criterion__standard").get(
        pk=assessment.pk, cycle=cycle
    )
    _open(assessment.cycle)
    if not may_edit(actor, assessment):
        raise PermissionDenied(_("Chỉ người được phân công tiêu chí này (hoặc lãnh đạo trường) được sửa."))
    return assessment


@transaction.atomic
def assessment_save(
    *, actor, assessment: Assessment, current_state: str, strengths: str, weaknesses: str
) -> Assessment:
    assessment = _editable(actor, assessment)
    fields = {"current_state": _clean(current_state), "strengths": _clean(strengths), "weaknesses": _clean(weaknesses)}
    changed = {k: [getattr(assessment, k), v] for k, v in fields.items() if getattr(assessment, k) != v}
    for key, value in fields.items():
        setattr(assessment, key, value)
    assessment.save(update_fields=list(fields))
    if changed:
        audit_record(
            actor=actor,
            action="standards.assessment_save",
            obj=assessment,
            org_unit=assessment.cycle.school.managed_by_id,
            changes=changed,
        )
    return assessment


def _improvement_indicator(assessment: Assessment, indicator: Indicator | None) -> Indicator | None:
    if indicator is not None and indicator.criterion_id != assessment.criterion_id:
        raise ValidationError({"indicator": _("Chỉ báo không thuộc tiêu chí này.")})
    return indicator


@transaction.atomic
def improvement_add(
    *,
    actor,
    assessment: Assessment,
    text: str,
    owner: str = "",
    due_on: datetime.date | None = None,
    indicator: Indicator | None = None,
) -> ImprovementTask:
    """An item of the criterion's improvement plan: a task of the plans app owned by the school (the principal moves
    it, its staff see it), due the day given or at the end of the cycle's year, linked to the criterion and, when
    given, to the indicator it improves; `owner` names who carries it out."""
    assessment = _editable(actor, assessment)
    indicator = _improvement_indicator(assessment, indicator)
    cycle = assessment.cycle
    responsible = _clean(owner)
    task = tasks.new_task(
        actor=actor,
        title=_clean(text),
        due_on=due_on or datetime.date(cycle.year, 12, 31),
        school=cycle.school,
        commune=cycle.school.managed_by_id,
        audit_action="standards.improvement_add",  # the item and its task, audited once
        audit_changes={
            "criterion": assessment.criterion.code,
            "indicator": str(indicator) if indicator else "",
            "owner": responsible,  # who carries it out, over the task's owner (the school)
        },
    )
    improvement = ImprovementTask(assessment=assessment, task=task, indicator=indicator, responsible=responsible)
    improvement.full_clean()
    improvement.save()
    return improvement


@transaction.atomic
def improvement_link(*, actor, improvement: ImprovementTask, indicator: Indicator | None) -> ImprovementTask:
    """Say which indicator of its criterion an improvement item improves (or none), while the cycle is open."""
    improvement = ImprovementTask.objects.select_for_update().get(pk=improvement.pk)
    assessment = _editable(actor, improvement.assessment)
    indicator = _improvement_indicator(assessment, indicator)
    old = improvement.indicator
    if old == indicator:
        return improvement
    improvement.indicator = indicator
    improvement.save(update_fields=["indicator"])
    audit_record(
        actor=actor,
        action="standards.improvement_link",
        obj=improvement.task,
        org_unit=assessment.cycle.school.managed_by_id,
        changes={"indicator": [str(old) if old else "", str(indicator) if indicator else ""]},
    )
    return improvement


@transaction.atomic
def indicator_rate(*, actor, cycle: Cycle, indicator: Indicator, met: bool, note: str = "") -> Rating:
    """The council's rating of one indicator (met or not, with a note): by whoever may edit its criterion; level
    4's extra requirements by the school's management."""
    cycle = get_scoped_or_404(Cycle.objects.select_related("school"), actor, VIEW, pk=cycle.pk)
    if indicator.criteria_set_id != cycle.criteria_set_id:
        raise ValidationError({"indicator": _("Chỉ báo không thuộc bộ tiêu chuẩn của đợt này.")})
    _open(cycle)
    if indicator.criterion_id is not None:
        _editable(actor, Assessment.objects.get(cycle=cycle, criterion_id=indicator.criterion_id))
    else:
        _school(actor, cycle.school)
    rating, _created = Rating.objects.update_or_create(
        cycle=cycle, indicator=indicator, defaults={"met": bool(met), "note": _clean(note)[:500], "rated_by": actor}
    )
    audit_record(
        actor=actor,
        action="standards.indicator_rate",
        obj=rating,
        org_unit=cycle.school.managed_by_id,
        object_repr=str(indicator),
        changes={"met": bool(met), "note": rating.note},
    )
    return rating


def _body_of(actor, school: School):
    """The school's issuing body, which keeps its files (made with the school's name when it has none yet)."""
    from apps.documents import services as documents
    from apps.documents.models import IssuingBody

    body = IssuingBody.objects.filter(school=school).order_by("pk").first()
    if body is None:
        initials = "".join(w[0] for w in school.name.split() if w[:1].isalpha()).upper()[:12] or "TRUONG"
        body = documents.body_create(
            actor=actor, name=school.name, abbreviation=initials, place=school.location.name, school=school
        )
    return body


@transaction.atomic
def evidence_add(
    *,
    actor,
    cycle: Cycle,
    criterion: Criterion,
    box: int,
    title: str,
    reference: str = "",
    issuer: str = "",
    upload=None,
) -> Evidence:
    """A new evidence item filed for `criterion`: its code is the next number of that box and criterion in the
    cycle ([H1-1.10-01], [H1-1.10-02]…), unique in the cycle. The file goes through the attachment service."""
    cycle = _cycle(actor, cycle)
    _open(cycle)
    if criterion.standard.criteria_set_id != cycle.criteria_set_id:
        raise ValidationError({"criterion": _("Tiêu chí không thuộc bộ tiêu chuẩn của đợt này.")})
    if not title or not _clean(title):
        raise ValidationError({"title": _("Ghi tên minh chứng.")})
    if int(box) < 1:
        raise ValidationError({"box": _("Số hộp từ 1 trở lên.")})
    last = Evidence.objects.filter(cycle=cycle, box=box, first_criterion=criterion).aggregate(n=Max("number"))["n"]
    number = (last or 0) + 1
    attachment = None
    if upload is not None:
        from apps.documents import services as documents

        attachment = documents.attachment_add(actor=actor, body=_body_of(actor, cycle.school), upload=upload)
    evidence = Evidence(
        cycle=cycle,
        box=box,
        number=number,
        first_criterion=criterion,
        code=rules.evidence_code(box, criterion.standard.number, criterion.number, number),
        title=_clean(title),
        reference=_clean(reference),
        issuer=_clean(issuer),
        attachment=attachment,
    )
    evidence.full_clean()
    evidence.save()
    evidence.criteria.add(criterion)
    audit_record(
        actor=actor,
        action="standards.evidence_add",
        obj=evidence,
        org_unit=cycle.school.managed_by_id,
        changes={"code": evidence.code, "title": evidence.title},
    )
    return evidence


@transaction.atomic
def evidence_use(*, actor, evidence: Evidence, criterion: Criterion) -> Evidence:
    """Use an evidence item for another criterion too: it keeps its one code."""
    cycle = _cycle(actor, evidence.cycle)
    _open(cycle)
    evidence = Evidence.objects.get(pk=evidence.pk, cycle=cycle)
    if criterion.standard.criteria_set_id != cycle.criteria_set_id:
        raise ValidationError({"criterion": _("Tiêu chí không thuộc bộ tiêu chuẩn của đợt này.")})
    evidence.criteria.add(criterion)
    audit_record(
        actor=actor,
        action="standards.evidence_use",
        obj=evidence,
        org_unit=cycle.school.managed_by_id,
        changes={"criterion": criterion.code},
    )
    return evidence


# Targets, roadmap, recognition -----------------------------------------------------------------------------------


@transaction.atomic
def target_set(*, actor, school: School, level: int, year: int) -> Target:
    school = _school(actor, school)
    if level not in (1, 2):
        raise ValidationError({"level": _("Mức chuẩn quốc gia là 1 hoặc 2.")})
    target, _created = Target.objects.update_or_create(
        school=school, level=level, defaults={"year": year, "set_by": actor}
    )
    audit_record(
        actor=actor,
        action="standards.target_set",
        obj=target,
        org_unit=school.managed_by_id,
        changes={"level": level, "year": year},
    )
    return target


@transaction.atomic
def item_create(
    *,
    actor,
    school: School,
    kind: str,
    name: str,
    year: int,
    investor: str,
    budget: int = 0,
    due_on: datetime.date | None = None,
    status: str = ConstructionItem.Status.PLANNED,
    percent: int = 0,
    indicators=(),
    note: str = "",
) -> ConstructionItem:
    """An item of the school's construction roadmap; its milestone is the end of its year unless told."""
    school = _school(actor, school)
    item = ConstructionItem(
        school=school,
        kind=kind,
        name=_clean(name),
        year=year,
        due_on=due_on or datetime.date(year, 12, 31),
        investor=_clean(investor),
        budget=budget,
        status=status,
        percent=percent,
        note=_clean(note),
    )
    item.full_clean()
    item.save()
    if indicators:
        _link(item, indicators)
    audit_record(
        actor=actor,
        action="standards.item_create",
        obj=item,
        org_unit=school.managed_by_id,
        changes={"kind": kind, "year": year, "budget": budget},
    )
    return item


def _item(actor, item) -> ConstructionItem:
    return get_scoped_or_404(ConstructionItem.objects.select_related("school"), actor, MANAGE, lock=True, pk=item.pk)


@transaction.atomic
def item_progress(*, actor, item: ConstructionItem, status: str, percent: int) -> ConstructionItem:
    item = _item(actor, item)
    old = {"status": item.status, "percent": item.percent}
    item.status, item.percent = status, percent
    if status in (ConstructionItem.Status.HANDED_OVER, ConstructionItem.Status.IN_USE):
        item.percent = 100
    item.full_clean()
    item.save(update_fields=["status", "percent"])
    audit_record(
        actor=actor,
        action="standards.item_progress",
        obj=item,
        org_unit=item.school.managed_by_id,
        changes={"status": [old["status"], item.status], "percent": [old["percent"], item.percent]},
    )
    return item


@transaction.atomic
def _link(item: ConstructionItem, indicators) -> list:
    """Link the item to the indicators it would satisfy (of the set the school's kind takes); the caller audits."""
    kind = rules.set_kind(item.school.levels)
    indicators = list(indicators)
    if any(i.criteria_set.kind != kind for i in indicators):
        raise ValidationError({"indicators": _("Chỉ báo không thuộc bộ tiêu chuẩn của loại trường này.")})
    item.indicators.add(*indicators)
    return indicators


def item_link(*, actor, item: ConstructionItem, indicators) -> ConstructionItem:
    """Link the item to the indicators it would satisfy, audited."""
    item = _item(actor, item)
    indicators = _link(item, indicators)
    audit_record(
        actor=actor,
        action="standards.item_link",
        obj=item,
        org_unit=item.school.managed_by_id,
        changes={"indicators": [str(i) for i in indicators]},
    )
    return item


@transaction.atomic
def funding_add(*, actor, item: ConstructionItem, source: str, amount: int, note: str = "") -> Funding:
    """State budget, land-auction proceeds or another source, by amount. Socialisation is refused here: it comes
    through a fund (`funding_payout`, `funding_pledge`), whose rules then apply."""
    item = _item(actor, item)
    if source == Source.SOCIAL:
        raise ValidationError(
            {"source": _("Nguồn xã hội hóa được ghi qua quỹ (khoản chi hoặc cam kết tài trợ), không nhập trực tiếp.")}
        )
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Số tiền phải lớn hơn 0 đồng.")})
    funding = Funding(item=item, source=source, amount=amount, note=_clean(note), recorded_by=actor)
    funding.full_clean()
    funding.save()
    audit_record(
        actor=actor,
        action="standards.funding_add",
        obj=item,
        org_unit=item.school.managed_by_id,
        changes={"source": source, "amount": amount},
    )
    return funding


@transaction.atomic
def funding_payout(
    *,
    actor,
    item: ConstructionItem,
    fund,
    amount: int,
    paid_on: datetime.date,
    usage_plan=None,
    purpose: str = "construction",
    board_agreement: str = "",
    note: str = "",
) -> Funding:
    """Socialised money paid out of a fund for the item, through the funds' own service: its purpose rules, the
    usage plan's 15 working days of posting and the balance are checked there, and a refusal stops this too."""
    from apps.funds import services as funds
    from apps.funds.models import Payout

    item = _item(actor, item)
    payout = funds.payout_record(
        actor=actor,
        fund=fund,
        purpose=purpose,
        recipients=Payout.Recipients.PURPOSE,
        paid_on=paid_on,
        amount=amount,
        usage_plan=usage_plan,
        board_agreement=board_agreement,
        note=note or item.name,
    )
    funding = Funding.objects.create(
        item=item, source=Source.SOCIAL, amount=amount, payout=payout, note=_clean(note), recorded_by=actor
    )
    audit_record(
        actor=actor,
        action="standards.funding_add",
        obj=item,
        org_unit=item.school.managed_by_id,
        changes={"source": Source.SOCIAL, "amount": amount, "payout": payout.pk},
    )
    return funding


@transaction.atomic
def funding_pledge(
    *, actor, item: ConstructionItem, fund, donor, made_on: datetime.date, instalments, campaign: str = ""
) -> Funding:
    """A donor's pledge to a fund for the item, through the funds' service (its refusals apply)."""
    from apps.funds import services as funds

    item = _item(actor, item)
    pledge = funds.pledge_record(
        actor=actor, fund=fund, donor=donor, made_on=made_on, instalments=instalments, campaign=campaign
    )
    total = sum(a for _d, a in instalments)
    funding = Funding.objects.create(item=item, source=Source.SOCIAL, amount=total, pledge=pledge, recorded_by=actor)
    audit_record(
        actor=actor,
        action="standards.funding_add",
        obj=item,
        org_unit=item.school.managed_by_id,
        changes={"source": Source.SOCIAL, "amount": total, "pledge": pledge.pk},
    )
    return funding


@transaction.atomic
def photo_add(*, actor, item: ConstructionItem, upload, caption: str = "") -> Photo:
    from apps.documents import services as documents

    item = _item(actor, item)
    attachment = documents.attachment_add(actor=actor, body=_body_of(actor, item.school), upload=upload)
    photo = Photo.objects.create(item=item, attachment=attachment, caption=_clean(caption))
    audit_record(
        actor=actor,
        action="standards.photo_add",
        obj=item,
        org_unit=item.school.managed_by_id,
        changes={"filename": attachment.filename},
    )
    return photo


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def recognition_record(
    *,
    actor,
    school: School,
    kind: str,
    level: int,
    issuer: str,
    number: str,
    issued_on: datetime.date,
    valid_until: datetime.date | None = None,
) -> Recognition:
    """A decision recognising the school (by its managing unit's officers): accreditation Cấp độ 1–4 or national
    standard Mức độ 1–2; valid for the set's validity (five years) unless the decision says otherwise."""
    school = _school(actor, school, CHANGE)
    top = 4 if kind == Recognition.Kind.ACCREDITATION else 2
    if not 1 <= int(level) <= top:
        raise ValidationError({"level": _("Mức công nhận từ 1 đến %(top)s.") % {"top": top}})
    if valid_until is None:
        criteria_set = set_for(school)
        years = criteria_set.validity_years if criteria_set else 5
        valid_until = add_years(issued_on, years)
    if valid_until <= issued_on:
        raise ValidationError({"valid_until": _("Ngày hết hạn phải sau ngày quyết định.")})
    recognition = Recognition(
        school=school,
        kind=kind,
        level=level,
        issuer=_clean(issuer),
        number=_clean(number),
        issued_on=issued_on,
        valid_until=valid_until,
        recorded_by=actor,
    )
    recognition.full_clean()
    recognition.save()
    audit_record(
        actor=actor,
        action="standards.recognition_record",
        obj=recognition,
        org_unit=school.managed_by_id,
        changes={"kind": kind, "level": level, "number": recognition.number},
    )
    return recognition
