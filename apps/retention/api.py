"""The early warning's API (`/api/v1/retention/`): the current risk flags the caller sees (with the reasons in
words), an enrolment's flag history, mentorships (assign, end, the mentor's notes) and home visits (read, and
logged with the form's idempotency key: a visit sent twice is one visit). The same services and scope as the pages:
401 without a token, 404 for what is out of the caller's sight, 403 for what they only read, 422 for what the
services refuse (nothing written)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import CHANGE, MAX_ID, VIEW, get_scoped_or_404
from apps.retention import mentors, services
from apps.retention.models import HomeVisit, Level, Mentorship, RiskFlag
from apps.retention.site import may_open_retention
from apps.students.models import Enrolment

router = Router(tags=["retention"])


class Problem(Schema):
    detail: str


ERRORS = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


def _refused(exc: ValidationError) -> HttpError:
    return HttpError(422, " ".join(exc.messages))


class FlagOut(Schema):
    id: int
    enrolment_id: int
    child_id: int
    level: str
    score: int
    reasons: list[str]
    since: datetime.date
    current: bool

    @staticmethod
    def resolve_child_id(obj):
        return obj.enrolment.child_id

    @staticmethod
    def resolve_reasons(obj):
        return obj.reason_texts


class MentorshipOut(Schema):
    id: int
    enrolment_id: int
    mentor_id: int
    mentor: str
    starts_on: datetime.date
    ends_on: datetime.date | None

    @staticmethod
    def resolve_mentor(obj):
        return obj.mentor.full_name or obj.mentor.username


class MentorshipIn(Schema):
    enrolment_id: int = Field(..., ge=1, le=MAX_ID)
    mentor_id: int = Field(..., ge=1, le=MAX_ID)
    starts_on: datetime.date | None = None


class EndIn(Schema):
    ends_on: datetime.date | None = None


class NoteIn(Schema):
    on: datetime.date | None = None
    text: str = Field(..., min_length=1, max_length=2000)


class NoteOut(Schema):
    id: int
    on: datetime.date
    text: str


class VisitOut(Schema):
    id: int
    enrolment_id: int
    on: datetime.date
    met: str
    findings: str
    actions: str
    next_on: datetime.date | None
    visited_by_id: int


class VisitIn(Schema):
    enrolment_id: int = Field(..., ge=1, le=MAX_ID)
    key: str = Field(..., min_length=16, max_length=64)
    on: datetime.date
    met: str = Field(..., min_length=1, max_length=200)
    findings: str = Field(..., min_length=1, max_length=4000)
    actions: str = Field("", max_length=4000)
    next_on: datetime.date | None = None


def _read(user, what: str, count: int, unit=None) -> None:
    audit_record(
        actor=user,
        action="retention.list_read",
        kind=AuditEvent.Kind.READ,
        org_unit=unit,
        object_type="students.child",
        changes={"count": count, "list": what, "via": "api"},
    )


@router.get("/flags", response={200: list[FlagOut], **ERRORS})
@paginate
def list_flags(
    request,
    level: str = Query("", pattern="^(|medium|high)$"),
    year: int | None = Query(None, ge=2000, le=2100),
    class_group: int | None = Query(None, ge=1, le=MAX_ID),
    school: int | None = Query(None, ge=1, le=MAX_ID),
):
    """The current medium and high flags (or `level=high` only) of the students the caller sees, high first; a
    school year by its start year, a class or a school narrow it (one out of sight matches nothing). Logged as a
    read. 403 for those who may not open the at-risk list."""
    if not may_open_retention(request.user):
        raise HttpError(403, "Không có quyền.")
    levels = (Level.HIGH,) if level == "high" else (Level.MEDIUM, Level.HIGH)
    flags = (
        RiskFlag.objects.restrict(request.user, VIEW)
        .filter(current=True, level__in=levels, enrolment__ongoing=True)
        .select_related("enrolment")
        .order_by("-score", "pk")
    )
    if year:
        flags = flags.filter(enrolment__year__start_year=year)
    if class_group:
        flags = flags.filter(enrolment__class_group_id=class_group)
    if school:
        flags = flags.filter(enrolment__school_id=school)
    _read(request.user, "flags", min(flags.count(), 1000))
    return flags


@router.get("/enrolments/{int:pk}/flags", response={200: list[FlagOut], **ERRORS})
def enrolment_flags(request, pk: int):
    """An enrolment's flags, the current one first, then the history (404 for an enrolment out of sight)."""
    enrolment = get_scoped_or_404(Enrolment, request.user, VIEW, pk=pk)
    flags = list(
        RiskFlag.objects.restrict(request.user, VIEW)
        .filter(enrolment=enrolment)
        .select_related("enrolment")
        .order_by("-current", "-computed_at", "-pk")
    )
    _read(request.user, "flag_history", len(flags))
    return flags


@router.get("/mentorships", response={200: list[MentorshipOut], **ERRORS})
@paginate
def list_mentorships(request, lasting: bool = True, enrolment: int | None = Query(None, ge=1, le=MAX_ID)):
    """The mentorships the caller sees (the students they see, and their own as mentor while they last); by
    default only those in force today."""
    from django.utils import timezone

    found = Mentorship.objects.restrict(request.user, VIEW).filter(
        enrolment__in=Enrolment.objects.restrict(request.user, VIEW)
    )
    if lasting:
        found = found.filter(mentors.in_force(timezone.localdate()))
    if enrolment:
        found = found.filter(enrolment_id=enrolment)
    return found.select_related("mentor").order_by("-starts_on", "-pk")


@router.post("/mentorships", response={201: MentorshipOut, **ERRORS})
def create_mentorship(request, payload: MentorshipIn):
    """Assign a mentor (a teacher or official of the school or above it) to an at-risk or disadvantaged student:
    403 for those who only read the student, 404 out of sight, 422 over the mentor's limit or for a student
    neither at risk nor disadvantaged."""
    enrolment = services.writable_enrolment(request.user, payload.enrolment_id)
    mentor = get_user_model().objects.filter(pk=payload.mentor_id).first()
    if mentor is None:
        raise HttpError(422, "Không có người đỡ đầu này.")
    try:
        mentorship = mentors.mentor_assign(
            actor=request.user, enrolment=enrolment, mentor=mentor, starts_on=payload.starts_on
        )
    except ValidationError as exc:
        raise _refused(exc) from exc
    return 201, mentorship


@router.post("/mentorships/{int:pk}/end", response={200: MentorshipOut, **ERRORS})
def end_mentorship(request, pk: int, payload: EndIn):
    """End a mentorship (today, or `ends_on`): the mentor's sight of the child ends with it."""
    mentorship = mentors.mentorship_for(request.user, pk, CHANGE)
    try:
        return mentors.mentor_end(actor=request.user, mentorship=mentorship, ends_on=payload.ends_on)
    except ValidationError as exc:
        raise _refused(exc) from exc


@router.get("/mentorships/{int:pk}/notes", response={200: list[NoteOut], **ERRORS})
def list_mentor_notes(request, pk: int):
    """A mentorship's dated notes (logged as a read of the child's record)."""
    mentorship = mentors.mentorship_for(request.user, pk)
    return mentors.mentorship_page(request.user, mentorship)["notes"]


@router.post("/mentorships/{int:pk}/notes", response={201: NoteOut, **ERRORS})
def create_mentor_note(request, pk: int, payload: NoteIn):
    """A mentor's dated note: only the mentor, while the mentorship lasts (422 for anyone else who sees it)."""
    mentorship = mentors.mentorship_for(request.user, pk)
    try:
        note = mentors.mentor_note_add(actor=request.user, mentorship=mentorship, text=payload.text, on=payload.on)
    except ValidationError as exc:
        raise _refused(exc) from exc
    return 201, note


@router.get("/visits", response={200: list[VisitOut], **ERRORS})
@paginate
def list_visits(request, enrolment: int | None = Query(None, ge=1, le=MAX_ID)):
    """The home visits of the students the caller sees, newest first (logged as a read)."""
    visits = HomeVisit.objects.restrict(request.user, VIEW).order_by("-on", "-pk")
    if enrolment:
        visits = visits.filter(enrolment_id=enrolment)
    _read(request.user, "visits", min(visits.count(), 1000))
    return visits


@router.post("/visits", response={200: VisitOut, 201: VisitOut, **ERRORS})
def create_visit(request, payload: VisitIn):
    """Log a home visit (the homeroom teacher, the school's managers, the mentor while assigned). `key` is the
    idempotency key: the same visit sent again answers 200 with the visit already recorded, a new one 201."""
    try:
        enrolment = services.visitable_enrolment(request.user, payload.enrolment_id)
    except Enrolment.DoesNotExist:
        raise Http404 from None
    data = payload.dict(exclude={"enrolment_id"})
    try:
        visit, created = services.visit_record(actor=request.user, enrolment=enrolment, **data)
    except ValidationError as exc:
        raise _refused(exc) from exc
    return (201 if created else 200), visit


from apps.retention import api_cases  # noqa: E402, F401  (the cases' operations join this router)
