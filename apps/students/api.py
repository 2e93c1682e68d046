import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from apps.core.scoping import CHANGE, MAX_ID, VIEW, get_scoped_or_404
from apps.orgunits.models import OrgUnit
from apps.schools.models import School, SchoolYear
from apps.students import selectors, services
from apps.students.forms import StudentFilterForm
from apps.students.models import ImportJob

router = Router(tags=["students"])


class EventOut(Schema):
    kind: str
    on: datetime.date
    reason: str
    other_school: str


class EnrolmentOut(Schema):
    id: int
    child_id: int
    school_id: int
    year: str
    grade: str
    class_name: str | None
    student_code: str
    status: str | None
    health_insurance: bool

    @staticmethod
    def resolve_year(obj):
        return obj.year.name

    @staticmethod
    def resolve_class_name(obj):
        return obj.class_group.name if obj.class_group_id else None


class ChildOut(Schema):
    id: int
    full_name: str
    birth_date: datetime.date | None
    birth_year: int
    sex: str
    ethnicity: str
    commune_code: str
    hamlet: str | None

    @staticmethod
    def resolve_commune_code(obj):
        return obj.commune.code

    @staticmethod
    def resolve_hamlet(obj):
        return obj.hamlet.display_name if obj.hamlet_id else None


class EnrolmentDetail(EnrolmentOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())


class ChildDetail(ChildOut):
    enrolments: list[EnrolmentDetail]

    @staticmethod
    def resolve_enrolments(obj):
        return obj.visible_enrolments


@router.get("/enrolments", response=list[EnrolmentOut])
@paginate
def list_enrolments(
    request,
    q: str = "",
    school: int | None = Query(None, ge=1, le=MAX_ID),
    grade: str = "",
    status: str = "",
    class_group: int | None = Query(None, ge=1, le=MAX_ID),
    hamlet: int | None = Query(None, ge=1, le=MAX_ID),
):
    """Enrolments in the caller's scope (a teacher: their classes only), filtered like the student list: a school,
    class or hamlet the caller may not see matches nothing. Each call is logged as a read of children's personal
    data."""
    given = {"q": q, "school": school, "grade": grade, "status": status, "class_group": class_group, "hamlet": hamlet}
    form = StudentFilterForm({k: v for k, v in given.items() if v is not None}, user=request.user)
    filters = form.filters()
    enrolments = selectors.student_list(request.user, **(filters or {}))
    if filters is None:
        enrolments = enrolments.none()
    selectors.log_read(request.user, what="api_list_read", count=enrolments.count())
    return enrolments


@router.get("/children/{int:child_id}", response=ChildDetail)
def get_child(request, child_id: int):
    """One child with the enrolments (and their events) the caller may see; logged as a read."""
    return selectors.child_for(request.user, child_id)


class ImportOut(Schema):
    id: int
    kind: str
    filename: str
    school_code: str | None
    commune_code: str | None
    year: str
    status: str
    progress: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_school_code(obj):
        return obj.school.moet_code if obj.school_id else None

    @staticmethod
    def resolve_commune_code(obj):
        return obj.commune.code if obj.commune_id else None

    @staticmethod
    def resolve_year(obj):
        return obj.year.name


class ImportDetail(ImportOut):
    summary: dict


class Problem(Schema):
    detail: str


def _jobs(request):
    return ImportJob.objects.restrict(request.user).select_related("school", "commune", "year")


@router.get("/imports", response=list[ImportOut])
@paginate
def list_imports(request):
    """Roster and census uploads the caller made or governs, newest first."""
    return _jobs(request)


@router.get("/imports/{int:job_id}", response=ImportDetail)
def get_import(request, job_id: int):
    """One upload: its status and progress, then the preview (header row, columns, first rows, every error,
    the questions to answer) and, once written, the result."""
    return get_scoped_or_404(_jobs(request), request.user, VIEW, pk=job_id)


@router.post("/imports", response={201: ImportOut, 400: Problem})
def create_import(
    request,
    file: UploadedFile = File(...),
    year: int = Form(..., ge=1, le=MAX_ID),
    kind: str = Form("roster", pattern="^(roster|census)$"),
    school: int | None = Form(None, ge=1, le=MAX_ID),
    commune: int | None = Form(None, ge=1, le=MAX_ID),
):
    """Upload a roster (for `school`, or a file with a school column) or a commune's census (`kind=census`,
    `commune`); it is checked in the background: poll `GET /imports/{id}`, then confirm."""
    try:  # the service decides who may import what (404 out of scope, 403 read-only)
        job = services.import_start(
            actor=request.user,
            year=get_object_or_404(SchoolYear, pk=year),
            upload=file,
            kind=kind,
            school=get_object_or_404(School, pk=school) if school else None,
            commune=get_object_or_404(OrgUnit, pk=commune) if commune else None,
        )
    except ValidationError as exc:
        return Status(400, {"detail": " ".join(exc.messages)})
    return Status(201, _jobs(request).get(pk=job.pk))


@router.post("/imports/{int:job_id}/confirm", response={200: ImportOut, 400: Problem})
def confirm_import(request, job_id: int, only_valid: bool = False):
    """Write a checked upload (in the background). Refused while it has errors or open questions unless
    `only_valid` is true."""
    job = get_scoped_or_404(ImportJob.objects.all(), request.user, CHANGE, pk=job_id)
    try:
        services.import_confirm(actor=request.user, job=job, only_valid=only_valid)
    except ValidationError as exc:
        return Status(400, {"detail": " ".join(exc.messages)})
    return Status(200, _jobs(request).get(pk=job.pk))
