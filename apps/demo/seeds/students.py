"""Seed step of students: the demo's children (planned by `apps.demo.population`), written in bulk once, when the
demo's year has no enrolment yet — the children and their parents; 2025-2026's classes, enrolments and events;
2024-2025's enrolments and events for the same children; 2025-2026's census; the teachers' classes; one audit
event for the lot. Like every write path it calls the after-write hooks (`apps.students.hooks`), once for the
enrolments of both years and once for the census."""

from collections import Counter

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.text import fold, nfc
from apps.demo.population import LAST, YEAR, Kid, Stay, grade_order, plan_population
from apps.demo.steps import Context
from apps.orgunits.models import OrgUnit
from apps.schools.models import School, SchoolYear
from apps.students.hooks import census_written, enrolments_written
from apps.students.models import CensusRecord, Child, ClassGroup, Enrolment, EnrolmentEvent, Guardian, TeacherAssignment
from apps.students.rules import is_ongoing

# The cast's teachers and the class each teaches in 2025-2026.
TEACHERS = (("giaovien.tranam", "48095002", "1A"), ("giaovien.phudong", "48010002", "2A"))


def seed(ctx: Context) -> None:
    write(ctx.admin, year=ctx.years[YEAR], spec=ctx.spec, hamlets=ctx.hamlets, last_year=ctx.years.get(LAST))


def write(admin, *, year: SchoolYear, spec: dict, hamlets: dict, last_year: SchoolYear | None = None) -> None:
    """The planned children with their enrolments in `year` and, given `last_year`, in the year before."""
    if Enrolment.objects.filter(year=year).exists():
        return
    last = (last_year.opening_day, last_year.teaching_ends_on) if last_year else None
    kids = plan_population(spec, year.opening_day, last)
    order = {moet: i for i, (moet, *_rest) in enumerate(spec["schools"])}
    school = {s.moet_code: s for s in School.objects.filter(moet_code__in=order)}
    codes = {kid.commune for kid in kids} | {kid.census["commune"] for kid in kids if kid.census}
    commune = {u.code: u for u in OrgUnit.objects.current().filter(level=OrgUnit.Level.COMMUNE, code__in=codes)}

    def in_order(stays):
        return sorted(
            stays, key=lambda ks: (order[ks[1].moet], grade_order(ks[1].grade), ks[1].class_name, fold(ks[0].full_name))
        )

    stays = in_order((kid, stay) for kid in kids for stay in kid.stays)
    groups = ClassGroup.objects.bulk_create(
        ClassGroup(school=school[moet], year=year, grade=grade, name=name)
        for moet, grade, name in dict.fromkeys((s.moet, s.grade, s.class_name) for _kid, s in stays)
    )
    group = {(g.school.moet_code, g.name): g for g in groups}
    children = Child.objects.bulk_create(
        Child(
            full_name=nfc(kid.full_name),
            name_folded=fold(kid.full_name),
            birth_date=kid.birth_date,
            birth_year=kid.birth_date.year,
            sex=kid.sex,
            ethnicity=kid.ethnicity,
            commune=commune[kid.commune],
            hamlet=hamlets[kid.commune][kid.hamlet] if kid.hamlet is not None else None,
            **kid.flags,
        )
        for kid in kids
    )
    child = {id(kid): c for kid, c in zip(kids, children, strict=True)}
    Guardian.objects.bulk_create(
        Guardian(child=child[id(kid)], full_name=nfc(name), relation=relation, birth_year=born, occupation=job)
        for kid in kids
        for name, relation, born, job in kid.guardians
    )
    # This year first, so its rows keep the ids they had before the demo held a history.
    student_codes: dict[tuple[int, str], str] = {}
    numbers = Counter()
    enrolments = _enrolments(admin, year, stays, school, child, group, student_codes, numbers)
    if last_year:
        earlier = in_order((kid, stay) for kid in kids for stay in kid.last_year)
        enrolments += _enrolments(admin, last_year, earlier, school, child, {}, student_codes, numbers)
    enrolments_written([e.pk for e in enrolments])  # as every write path does (`students.hooks`)
    census = [kid for kid in kids if kid.census]
    records = CensusRecord.objects.bulk_create(
        CensusRecord(
            child=child[id(kid)],
            year=year,
            hamlet=hamlets[kid.census["commune"]][kid.census["hamlet"]],
            status=kid.census["status"],
            school=school.get(kid.census["school"]),
            school_as_written="" if kid.census["school"] in school else kid.census["school"],
            grade=kid.census["grade"],
            surveyed_on=kid.census["surveyed_on"],
        )
        for kid in census
    )
    census_written([r.pk for r in records])
    for username, moet, class_name in TEACHERS:
        TeacherAssignment.objects.create(
            teacher=User.objects.get(username=username), class_group=group[moet, class_name]
        )
    audit_record(
        actor=admin,
        action="students.seed_demo",
        kind=AuditEvent.Kind.BULK,
        object_type="students.enrolment",
        object_repr="Dữ liệu mẫu học sinh",
        changes={"children": len(kids), "enrolments": len(enrolments), "census": len(census)},
    )


def _enrolments(admin, year, stays: list[tuple[Kid, Stay]], school, child, group, codes, numbers) -> list[Enrolment]:
    """One year's enrolments and their events, in bulk. A child keeps their student code at the same school from
    one year to the next (`codes`); a new pupil takes the school's next number (`numbers`)."""
    enrolments = []
    for kid, stay in stays:
        code = codes.get((id(kid), stay.moet))
        if code is None:
            numbers[stay.moet] += 1
            code = codes[id(kid), stay.moet] = f"{stay.moet[-4:]}{numbers[stay.moet]:04d}"
        enrolments.append(
            Enrolment(
                child=child[id(kid)],
                school=school[stay.moet],
                year=year,
                grade=stay.grade,
                class_group=group.get((stay.moet, stay.class_name)),
                student_code=code,
                health_insurance=stay.insured,
                start_year=year.start_year,
                ongoing=is_ongoing(stay.events[-1][0]),
            )
        )
    enrolments = Enrolment.objects.bulk_create(enrolments)
    EnrolmentEvent.objects.bulk_create(
        EnrolmentEvent(
            enrolment=enrolment,
            kind=kind,
            on=on,
            reason=reason,
            reason_text=text,
            other_school=other,
            recorded_by=admin,
        )
        for enrolment, (_kid, stay) in zip(enrolments, stays, strict=True)
        for kind, on, reason, text, other in stay.events
    )
    return enrolments
