import datetime

from django.core.exceptions import PermissionDenied
from ninja import File, Form, Query, Router, Schema, UploadedFile
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
