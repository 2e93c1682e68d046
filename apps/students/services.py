"""Writes for children, enrolments and their events, classes and who teaches them. Corrections are new events; no
child record is deleted (a teacher's assignment to a class is, and the removal is in the log)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import Role, RoleAssignment
from apps.core.audit import audit_record
from apps.core.scoping import CHANGE, MANAGE, forget_scope, get_scoped_or_404
from apps.core.text import fold, nfc
from apps.orgunits.models import OrgUnit
from apps.schools.models import School, SchoolYear
from apps.students.hooks import enrolments_written
from apps.students.identity import clean_personal_id, ethnicity_table
from apps.students.models import (
    Child,
    ClassGroup,
    DropoutReason,
    Enrolment,
    EnrolmentEvent,
    Grade,
    TeacherAssignment,
    levels_teaching,
)
from apps.students.rules import FOLLOWS, OPENING, cannot_follow, elsewhere_message, is_ongoing, may_open_with
from apps.students.selectors import enrolled_anywhere

Kind = EnrolmentEvent.Kind


@transaction.atomic
def child_create(
    *,
    actor,
    full_name: str,
    birth_year: int,
    sex: str,
    commune: OrgUnit,
    birth_date: datetime.date | None = None,
    hamlet: OrgUnit | None = None,
    ethnicity: str = "01",
    personal_id: str = "",
    learner_id: str = "",
    address_as_written: str = "",
    for_school: School | None = None,
    **circumstances,
) -> Child:
    """A child living in a commune the actor governs, or one a school the actor manages is about to enrol
    (`for_school`): schools take children from other communes too."""
    if for_school is not None:
        get_scoped_or_404(School.objects.all(), actor, MANAGE, pk=for_school.pk)
    else:
        get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=commune.pk)
    if not commune.is_current or not commune.is_commune_level:
        raise ValidationError({"commune": _("Trẻ được gắn với một xã, phường, đặc khu hiện hành.")})
    if hamlet is not None and hamlet.parent_id != commune.pk:
        raise ValidationError({"hamlet": _("Thôn phải thuộc xã nơi trẻ ở.")})
    if birth_date is not None and birth_date.year != birth_year:
        raise ValidationError({"birth_date": _("Ngày sinh và năm sinh không khớp.")})
    if ethnicity not in ethnicity_table()[0]:
        raise ValidationError({"ethnicity": _("Dân tộc không có trong danh mục.")})
    child = Child(
        full_name=nfc(full_name),
        name_folded=fold(full_name),
        birth_date=birth_date,
        birth_year=birth_year,
        sex=sex,
        ethnicity=ethnicity,
        personal_id=clean_personal_id(personal_id, birth_year=birth_year, sex=sex),
        learner_id=learner_id.strip() or None,
        commune=commune,
        hamlet=hamlet,
        address_as_written=nfc(address_as_written),
        **circumstances,
    )
    child.full_clean()
    child.save()
    audit_record(
        actor=actor, action="students.child_create", obj=child, org_unit=commune, object_repr=f"#{child.pk}"
    )  # no name of a minor in the log
    return child


def _last_status(child: Child) -> str | None:
    """The status the child's latest enrolment is in (its latest event), whatever school it is at."""
    latest = EnrolmentEvent.objects.filter(enrolment__child=child).order_by("-enrolment__start_year", "-on", "-pk")
    return latest.values_list("kind", flat=True).first()


def _within_year(year: SchoolYear, on: datetime.date) -> None:
    if not year.starts_on <= on <= year.ends_on:
        raise ValidationError(
            {"on": _("Ngày %(d)s không thuộc năm học %(y)s.") % {"d": on.strftime("%d/%m/%Y"), "y": year.name}}
        )


@transaction.atomic
def enrolment_create(
    *,
    actor,
    child: Child,
    school: School,
    year: SchoolYear,
    grade: str,
    on: datetime.date,
    class_group: ClassGroup | None = None,
    student_code: str = "",
    kind: str = Kind.ENROLLED,
    health_insurance: bool = False,
    other_school: str = "",
) -> Enrolment:
    """Enrol a child at a school the actor manages (its managing unit or its principal), from a date."""
    school = get_scoped_or_404(School.objects.all(), actor, MANAGE, pk=school.pk)
    if not school.levels & levels_teaching(grade):
        raise ValidationError(
            {"grade": _("%(school)s không dạy %(grade)s.") % {"school": school.name, "grade": Grade(grade).label}}
        )
    if class_group is not None and (class_group.school_id != school.pk or class_group.year_id != year.pk):
        raise ValidationError({"class_group": _("Lớp không thuộc trường và năm học này.")})
    if kind not in OPENING and not may_open_with(kind, _last_status(child)):
        raise ValidationError({"kind": _("Một hồ sơ mở đầu bằng nhập học, chuyển đến hoặc lưu ban.")})
    _within_year(year, on)
    if enrolled_anywhere([child.pk], year.start_year, lock=True):
        raise ValidationError({"school": f"{child.full_name}: {elsewhere_message()}."})
    enrolment = Enrolment(
        child=child,
        school=school,
        year=year,
        grade=grade,
        class_group=class_group,
        student_code=student_code.strip(),
        health_insurance=health_insurance,
        start_year=year.start_year,
        ongoing=True,
    )
    enrolment.full_clean()
    enrolment.save()
    EnrolmentEvent.objects.create(enrolment=enrolment, kind=kind, on=on, other_school=other_school, recorded_by=actor)
    enrolments_written([enrolment.pk])
    audit_record(
        actor=actor,
        action="students.enrolment_create",
        obj=enrolment,
        org_unit=school.managed_by,
        object_repr=f"#{enrolment.pk}",
        changes={"school": school.pk, "grade": grade, "kind": kind},
    )
    return enrolment


@transaction.atomic
def enrolment_record_event(
    *,
    actor,
    enrolment: Enrolment,
    kind: str,
    on: datetime.date,
    reason: str = "",
    reason_text: str = "",
    other_school: str = "",
) -> EnrolmentEvent:
    """Record what happened (a dropout with its reason, a return, a transfer…). The current status is always
    the latest event; a wrong event is corrected by a later one, never edited or deleted."""
    enrolment = get_scoped_or_404(Enrolment.objects.all(), actor, CHANGE, lock=True, pk=enrolment.pk)
    current = enrolment.events.order_by("-on", "-pk").first()
    if current is not None and kind not in FOLLOWS[current.kind]:
        raise ValidationError({"kind": cannot_follow(kind, current.kind)})
    if current is not None and on < current.on:
        raise ValidationError(
            {
                "on": _("Ngày %(d)s trước diễn biến gần nhất (%(last)s).")
                % {"d": on.strftime("%d/%m/%Y"), "last": current.on.strftime("%d/%m/%Y")}
            }
        )
    _within_year(enrolment.year, on)
    if kind == Kind.DROPPED_OUT and not reason:
        raise ValidationError({"reason": _("Hãy chọn lý do bỏ học.")})
    if reason == DropoutReason.OTHER and not reason_text.strip():
        raise ValidationError({"reason_text": _("Hãy ghi rõ lý do khác.")})
    event = EnrolmentEvent(
        enrolment=enrolment,
        kind=kind,
        on=on,
        reason=reason,
        reason_text=nfc(reason_text),
        other_school=nfc(other_school),
        recorded_by=actor,
    )
    event.full_clean()
    if is_ongoing(kind) != enrolment.ongoing:
        if is_ongoing(kind) and enrolled_anywhere([enrolment.child_id], enrolment.start_year, lock=True):
            raise ValidationError({"kind": f"{enrolment.child.full_name}: {elsewhere_message()}."})
        Enrolment.objects.filter(pk=enrolment.pk).update(ongoing=is_ongoing(kind))
    event.save()
    enrolments_written([enrolment.pk])
    audit_record(
        actor=actor,
        action="students.enrolment_event",
        obj=enrolment,
        org_unit=enrolment.school.managed_by,
        object_repr=f"#{enrolment.pk}",
        changes={"kind": kind, "on": str(on), "reason": reason},
    )
    return event


@transaction.atomic
def class_group_create(*, actor, school: School, year: SchoolYear, name: str, grade: str) -> ClassGroup:
    """A class of a school the actor manages, for a school year of the school's province, in a grade it teaches."""
    school = get_scoped_or_404(School.objects.select_related("location"), actor, MANAGE, pk=school.pk)
    if not school.levels & levels_teaching(grade):
        raise ValidationError(
            {"grade": _("%(school)s không dạy %(grade)s.") % {"school": school.name, "grade": Grade(grade).label}}
        )
    if not school.location.path.startswith(year.province.path):
        raise ValidationError({"year": _("Năm học không thuộc tỉnh của trường.")})
    name = nfc(name)
    if ClassGroup.objects.filter(school=school, year=year, name=name).exists():
        raise ValidationError({"name": _("Trường đã có lớp %(name)s năm học này.") % {"name": name}})
    group = ClassGroup(school=school, year=year, name=name, grade=grade)
    group.full_clean()
    group.save()
    audit_record(
        actor=actor,
        action="students.class_create",
        obj=group,
        org_unit=school.managed_by,
        changes={"school": school.pk, "year": year.name, "name": name, "grade": grade},
    )
    return group


@transaction.atomic
def teacher_assign(
    *, actor, class_group: ClassGroup, teacher, kind: str = TeacherAssignment.Kind.HOMEROOM
) -> TeacherAssignment:
    """A teacher of the class's school teaches the class: from then on they see its children (the scope of a
    teacher follows their classes). Only for a user holding the teacher role at that school now."""
    group = get_scoped_or_404(ClassGroup.objects.select_related("school"), actor, CHANGE, pk=class_group.pk)
    if not RoleAssignment.objects.active().filter(user=teacher, role=Role.TEACHER, school=group.school).exists():
        raise ValidationError({"teacher": _("%(t)s không phải giáo viên của trường này.") % {"t": teacher}})
    if TeacherAssignment.objects.filter(teacher=teacher, class_group=group, kind=kind).exists():
        raise ValidationError({"teacher": _("%(t)s đã được phân công lớp này.") % {"t": teacher}})
    assignment = TeacherAssignment.objects.create(teacher=teacher, class_group=group, kind=kind)
    forget_scope(teacher)
    audit_record(
        actor=actor,
        action="students.teacher_assign",
        obj=group,
        org_unit=group.school.managed_by,
        object_repr=group.name,
        changes={"teacher": teacher.pk, "kind": kind},
    )
    return assignment


@transaction.atomic
def teacher_unassign(*, actor, assignment: TeacherAssignment) -> None:
    """The teacher no longer teaches the class (and no longer sees its children); the removal is in the log."""
    group = get_scoped_or_404(ClassGroup.objects.select_related("school"), actor, CHANGE, pk=assignment.class_group_id)
    teacher = assignment.teacher
    TeacherAssignment.objects.filter(pk=assignment.pk).delete()
    forget_scope(teacher)
    audit_record(
        actor=actor,
        action="students.teacher_unassign",
        obj=group,
        org_unit=group.school.managed_by,
        object_repr=group.name,
        changes={"teacher": teacher.pk, "kind": assignment.kind},
    )


@transaction.atomic
def child_merge(*, actor, kept: Child, merged: Child) -> Child:
    """Two records found to be one child (a census record and a roster's, a person confirming a link proposal):
    every relation of `merged` — enrolments, census records, guardians, and whatever other apps hang off a child —
    is repointed to `kept`; `merged` stays, marked as merged into `kept` (its id answers with the kept child). Kept
    takes the merged child's identifiers where it has none. Refused when the identifiers conflict, when both have an
    ongoing enrolment, or when a relation cannot be repointed (both counted in the same census year, both at the
    same school in the same year…). The actor changes both children. Audited."""
    from django.db import IntegrityError

    if kept.pk == merged.pk:
        raise ValidationError(_("Hai hồ sơ là một."))
    pair = Child.objects.restrict(actor, CHANGE).select_for_update().filter(pk__in=[kept.pk, merged.pk])
    found = {c.pk: c for c in pair}
    if len(found) != 2:
        from django.http import Http404

        raise Http404
    kept, merged = found[kept.pk], found[merged.pk]
    if kept.merged_into_id or merged.merged_into_id:
        raise ValidationError(_("Một trong hai hồ sơ đã được gộp trước đó."))
    for field, label in (("personal_id", _("số định danh cá nhân")), ("learner_id", _("mã định danh CSDL ngành"))):
        a, b = getattr(kept, field), getattr(merged, field)
        if a and b and a != b:
            raise ValidationError({field: _("Hai hồ sơ có %(f)s khác nhau: không gộp.") % {"f": label}})
    ongoing = Enrolment.objects.filter(child__in=[kept, merged], ongoing=True)
    if ongoing.filter(child=kept).exists() and ongoing.filter(child=merged).exists():
        raise ValidationError(_("Cả hai hồ sơ đều đang theo học: không gộp."))
    taken = {
        f: getattr(merged, f) for f in ("personal_id", "learner_id") if getattr(merged, f) and not getattr(kept, f)
    }
    moved = {}
    try:
        with transaction.atomic():
            if taken:
                Child.objects.filter(pk=merged.pk).update(**dict.fromkeys(taken))
                Child.objects.filter(pk=kept.pk).update(**taken)
            for rel in Child._meta.related_objects:
                if rel.many_to_many:
                    continue
                name = rel.field.name
                n = rel.related_model._base_manager.filter(**{name: merged}).update(**{name: kept})
                if n:
                    moved[rel.related_model._meta.label_lower] = n
            for field in Child._meta.many_to_many:
                getattr(kept, field.name).add(*getattr(merged, field.name).all())
    except IntegrityError:
        raise ValidationError(
            _("Hai hồ sơ có dữ liệu trùng nhau (cùng năm điều tra, cùng trường năm học): không gộp.")
        ) from None
    Child.objects.filter(pk=merged.pk).update(merged_into=kept)
    kept.refresh_from_db()
    ids = list(Enrolment.objects.filter(child=kept).values_list("pk", flat=True))
    enrolments_written(ids)
    from apps.students.hooks import census_written
    from apps.students.models import CensusRecord

    census_written(CensusRecord.objects.filter(child=kept).values_list("pk", flat=True))
    audit_record(
        actor=actor,
        action="students.child_merge",
        obj=kept,
        org_unit=kept.commune,
        object_repr=f"#{kept.pk}",
        changes={"merged": merged.pk, "moved": moved, "identifiers": sorted(taken)},
    )
    return kept
