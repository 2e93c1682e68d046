import datetime

from django.core.exceptions import PermissionDenied
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate

from apps.core.scoping import MAX_ID
from apps.imports import api as imports_api
from apps.imports import selectors as imports_selectors
from apps.schools.models import School, SchoolYear
from apps.students import selectors
from apps.students.forms import StudentFilterForm
from apps.students.site import may_open_students

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
    data. Refused (403) to those who may not open the student list (`site.may_open_students`)."""
    if not may_open_students(request.user):
        raise PermissionDenied
    given = {"q": q, "school": school, "grade": grade, "status": status, "class_group": class_group, "hamlet": hamlet}
    form = StudentFilterForm({k: v for k, v in given.items() if v is not None}, user=request.user)
    return selectors.student_list_api(request.user, form.filters())


@router.get("/children/{int:child_id}", response=ChildDetail)
def get_child(request, child_id: int):
    """One child with the enrolments (and their events) the caller may see; logged as a read."""
    return selectors.child_for(request.user, child_id)


# The imports' first home: kept answering as an alias of `/api/v1/imports/` (same services, same scope), in the
# shape its clients were written for.
ALIAS_KINDS = {"roster": "students.roster", "census": "students.census"}


class AliasImportOut(Schema):
    id: int
    kind: str
    filename: str
    school_code: str | None
    commune_code: str | None
    year: str | None
    status: str
    progress: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_kind(obj):
        return obj.kind.removeprefix("students.")

    @staticmethod
    def resolve_school_code(obj):
        school = School.objects.filter(pk=obj.target_id).first() if obj.kind == "students.roster" else None
        return school.moet_code if school else None

    @staticmethod
    def resolve_commune_code(obj):
        return obj.org_unit.code if obj.kind == "students.census" else None

    @staticmethod
    def resolve_year(obj):
        year = SchoolYear.objects.filter(pk=obj.params.get("year")).first()
        return year.name if year else None


class AliasImportDetail(AliasImportOut):
    summary: dict


@router.get("/imports", response=list[AliasImportOut], url_name="students_list_imports", deprecated=True)
@paginate
def list_imports(request):
    """Alias of `GET /api/v1/imports/` (rosters and censuses)."""
    return imports_selectors.job_list(request.user).filter(kind__in=ALIAS_KINDS.values())


@router.get("/imports/{int:job_id}", response=imports_api.ImportDetail, url_name="students_get_import", deprecated=True)
def get_import(request, job_id: int):
    """Alias of `GET /api/v1/imports/{id}`."""
    return imports_api.get_import(request, job_id)


@router.post(
    "/imports",
    response={201: AliasImportOut, 400: imports_api.Problem},
    url_name="students_create_import",
    deprecated=True,
)
def create_import(
    request,
    file: UploadedFile = File(...),
    year: int = Form(..., ge=1, le=MAX_ID),
    kind: str = Form("roster", pattern="^(roster|census)$"),
    school: int | None = Form(None, ge=1, le=MAX_ID),
    commune: int | None = Form(None, ge=1, le=MAX_ID),
):
    """Alias of `POST /api/v1/imports/` with `kind=students.roster` or `students.census`."""
    return imports_api.start(request, ALIAS_KINDS[kind], file)


@router.post(
    "/imports/{int:job_id}/confirm",
    response={200: AliasImportOut, 400: imports_api.Problem},
    url_name="students_confirm_import",
    deprecated=True,
)
def confirm_import(request, job_id: int, only_valid: bool = False):
    """Alias of `POST /api/v1/imports/{id}/confirm`."""
    return imports_api.confirm_import(request, job_id, only_valid)


# ---- a class's absences and semester results (read by those who read the class's records, written by its school's
# managers and homeroom teacher: the same services as the month grid and the results page) -------------------------

RECORD_ERRORS = {401: imports_api.Problem, 403: imports_api.Problem, 404: imports_api.Problem, 422: imports_api.Problem}


class AbsenceOut(Schema):
    enrolment_id: int
    on: datetime.date
    excused: bool


class AbsenceMark(Schema):
    enrolment_id: int = Field(..., ge=1, le=MAX_ID)
    on: datetime.date
    mark: str = Field(..., pattern="^(P|K|)$")  # P: excused, K: unexcused, "": present (a recorded day removed)


class AbsenceMarks(Schema):
    marks: list[AbsenceMark] = Field(..., max_length=5000)


class RecordCounts(Schema):
    created: int
    changed: int
    removed: int = 0


class ResultOut(Schema):
    enrolment_id: int
    semester: int
    learning: str
    conduct: str


class ResultIn(Schema):
    enrolment_id: int = Field(..., ge=1, le=MAX_ID)
    learning: str = Field("", max_length=4)
    conduct: str = Field("", max_length=4)


class ResultsIn(Schema):
    semester: int = Field(..., ge=1, le=2)
    results: list[ResultIn] = Field(..., max_length=2000)


def _unprocessable(exc):
    from ninja.errors import HttpError

    return HttpError(422, " ".join(exc.messages))


@router.get("/classes/{int:pk}/absences", response={200: list[AbsenceOut], **RECORD_ERRORS})
def list_class_absences(request, pk: int, month: str = Query("", pattern=r"^(\d{4}-\d{2})?$")):
    """A class's absent days of one month (`2025-10`; by default this month, or the school year's nearest), for
    those who read the class's records; the read is logged like the month grid's. 401 without a token, 404 for a
    class out of sight, 422 for a month not written YYYY-MM."""
    from apps.students import attendance

    group = attendance.class_for_records(request.user, pk)
    first = attendance.parse_month(month, group.year)
    grid = attendance.month_grid(request.user, group, first)
    return [
        {"enrolment_id": row.enrolment.pk, "on": cell.day, "excused": cell.mark == attendance.EXCUSED}
        for row in grid["rows"]
        for cell in row.cells
        if cell.mark
    ]


@router.post("/classes/{int:pk}/absences", response={200: RecordCounts, **RECORD_ERRORS})
def write_class_absences(request, pk: int, payload: AbsenceMarks):
    """Write a class's register as the month grid does, in one transaction: each mark P (excused), K (unexcused) or
    "" (present: a recorded absence removed, kept in the log). 403 for those who only read the class, 404 out of
    sight, 422 for a student of another class or a day that cannot be marked (nothing written)."""
    from django.core.exceptions import ValidationError

    from apps.students import attendance

    group = attendance.class_for_records(request.user, pk, "change")
    marks = {(m.enrolment_id, m.on): m.mark for m in payload.marks}
    try:
        return attendance.absences_record(actor=request.user, class_group=group, marks=marks, via="api")
    except ValidationError as exc:
        raise _unprocessable(exc) from exc


@router.get("/classes/{int:pk}/results", response={200: list[ResultOut], **RECORD_ERRORS})
def list_class_results(request, pk: int, semester: int = Query(1, ge=1, le=2)):
    """A class's results of semester 1 or 2 (logged as a read), for those who read the class's records."""
    from apps.students import attendance

    group = attendance.class_for_records(request.user, pk)
    return [
        {"enrolment_id": e.pk, "semester": semester, "learning": r.learning, "conduct": r.conduct}
        for e, r in attendance.result_rows(request.user, group, semester)
        if r is not None
    ]


@router.post("/classes/{int:pk}/results", response={200: RecordCounts, **RECORD_ERRORS})
def write_class_results(request, pk: int, payload: ResultsIn):
    """Write a semester's results as the results page does (marks on the grade's scale: `htt`, `ht`, `cht`, `ccg`,
    `tot`, `kha`, `dat`, `cd`), in one transaction. 403 read-only, 404 out of sight, 422 for a mark off the
    grade's scale, a student of another class or a preschool class (nothing written)."""
    from django.core.exceptions import ValidationError

    from apps.students import attendance

    group = attendance.class_for_records(request.user, pk, "change")
    results = {r.enrolment_id: (r.learning, r.conduct) for r in payload.results}
    try:
        return attendance.results_record(
            actor=request.user, class_group=group, semester=payload.semester, results=results
        )
    except ValidationError as exc:
        raise _unprocessable(exc) from exc
