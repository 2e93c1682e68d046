"""The students' import kinds, registered with the import layer: rosters (`students.roster`) and censuses
(`students.census`). The reading, checking and writing live in `importers.py` and `census.py`."""

import dataclasses

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.scoping import CHANGE, MANAGE, VIEW, get_scoped_or_404, scope_for, under
from apps.imports.plan import MAX_LISTED
from apps.imports.registry import Importer
from apps.orgunits.models import OrgUnit
from apps.orgunits.selectors import governs_a_commune
from apps.schools.models import School, SchoolYear, school_q
from apps.students.census import CensusReader, apply_census, census_row, check_census
from apps.students.forms import CensusUploadForm, RosterUploadForm
from apps.students.importers import (
    FIELD_LABELS,
    MATCHED_BY,
    PERSON_REQUIRED,
    Plan,
    RosterReader,
    apply_roster,
    birth_text,
    check_roster,
    roster_row,
    vocabulary,
)


def _decisions(saved: dict) -> dict:
    """The preview's answers ({"address:<text>": code, "hamlet:<code>|<name>": hamlet id, "match:<row>": child id
    or "new"}) as the importers take them ({("address", text): code, ("hamlet", key): id, ("match", row): choice})."""
    decisions = {}
    for key, choice in saved.items():
        kind, _sep, value = key.partition(":")
        if kind in ("address", "hamlet"):
            decisions[(kind, value)] = choice
        elif kind == "match" and value.isdigit():
            decisions[("match", int(value))] = choice
    return decisions


def _years_of(jobs) -> dict[int, SchoolYear]:
    return SchoolYear.objects.in_bulk({job.params.get("year") for job in jobs if job.params.get("year")})


def _year_label(where: str, year: SchoolYear | None) -> str:
    return _("%(where)s · năm học %(year)s") % {"where": where, "year": year.name if year else "—"}


def _year(actor, pk) -> SchoolYear:
    return get_scoped_or_404(SchoolYear.objects.select_related("province"), actor, VIEW, pk=pk)


class PersonImporter(Importer):
    """What rosters and censuses share: the fields, the header vocabulary, a name required, the plan for a
    school year, the answers' shape and the preview."""

    fields = FIELD_LABELS
    required = PERSON_REQUIRED
    preview_template = "students/partials/import_preview.html"

    def vocabulary(self):
        return vocabulary()

    def new_plan(self, *, filename, params):
        return Plan(filename=filename, year=params["year"])

    def ready(self, run):
        return run.reader.ready()

    def decisions(self, saved: dict) -> dict:
        return _decisions(saved)

    def summarise(self, plan) -> dict:
        return {
            "new_children": sum(1 for r in plan.rows if r.child_id is None and r.rule not in ("ambiguous", "address")),
            "first_rows": [
                {
                    "row": r.row,
                    "name": r.full_name,
                    "birth": birth_text(r),
                    "class": getattr(r, "class_name", ""),
                    "match": str(MATCHED_BY.get(r.rule, r.rule)),
                }
                for r in plan.rows[:MAX_LISTED]
            ],
        }


class RosterImporter(PersonImporter):
    """A school's roster (or a commune's or province's, with a school column): children, enrolments, events."""

    name = "students.roster"
    label = gettext_lazy("Danh sách học sinh")
    upload_label = gettext_lazy("Nhập danh sách học sinh")
    upload_help = gettext_lazy(
        "Tải lên tệp xuất từ phần mềm quản lý trường (SMAS, vnEdu, CSDL ngành) hoặc bảng tự lập."
    )
    upload_form = RosterUploadForm
    target_label = gettext_lazy("Trường nhập vào")

    def scope_q(self, scope, action):
        # A school's roster: those who manage the school today. A file with a school column: the officers over
        # the unit it was uploaded for (each school in it is checked again when it is written).
        managed = School.objects.filter(school_q(scope, MANAGE)).values("pk")
        return Q(target_id__in=Subquery(managed)) | (Q(target_id=None) & under("org_unit__", scope.officer_paths))

    def may_start(self, user) -> bool:
        return School.objects.restrict(user, MANAGE).exists()

    def start(self, *, actor, cleaned):
        year, school = _year(actor, cleaned["year"].pk), cleaned.get("school")
        if school is not None:
            school = get_scoped_or_404(School.objects.select_related("managed_by"), actor, MANAGE, pk=school.pk)
            return school.managed_by, school.pk, {"year": year.pk}
        scope = scope_for(actor)
        if scope.is_admin:
            return year.province, None, {"year": year.pk}
        units = list(OrgUnit.objects.filter(path__in=scope.officer_paths, path__startswith=year.province.path)[:2])
        if len(units) == 1:
            return units[0], None, {"year": year.pk}
        managed = list(School.objects.restrict(actor, MANAGE).select_related("managed_by")[:2])
        if len(managed) == 1:  # a principal: the file is for their school, whatever its school column says
            return managed[0].managed_by, managed[0].pk, {"year": year.pk}
        if not managed:
            raise PermissionDenied
        raise ValidationError({"school": _("Hãy chọn trường nhập vào.")})

    def target_choices(self, *, actor, job):
        schools = School.objects.restrict(actor, MANAGE).filter(under("managed_by__", [job.org_unit.path]))
        return list(schools.order_by("name_folded", "pk").values_list("pk", "name"))

    def retarget(self, *, actor, job, target_id):
        school = get_scoped_or_404(School.objects.select_related("managed_by"), actor, MANAGE, pk=target_id)
        return school.managed_by, school.pk

    def authorise(self, *, actor, job, plan=None):
        if job.target_id is not None:
            get_scoped_or_404(School.objects.all(), actor, MANAGE, pk=job.target_id)
        else:
            get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=job.org_unit_id)
        if plan is not None:
            named = {r.school_id for r in plan.rows if r.school_id}
            if School.objects.restrict(actor, MANAGE).filter(pk__in=named).count() != len(named):
                raise PermissionDenied

    def params(self, *, job, actor):
        school = (
            get_scoped_or_404(School.objects.select_related("location"), actor, MANAGE, pk=job.target_id)
            if job.target_id
            else None
        )
        return {"year": _year(actor, job.params["year"]), "school": school}

    def reader(self, run):
        params = run.params
        return RosterReader(
            run.plan, decisions=run.decisions, actor=run.actor, school=params.get("school"), on=params.get("on")
        )

    def parse_row(self, run, number, row, error):
        return roster_row(run, number, row, error)

    def check(self, run):
        check_roster(run)

    def write(self, *, job, actor, plan):
        return dataclasses.asdict(apply_roster(actor=actor, plan=plan, only_valid=job.only_valid))

    def summarise(self, plan) -> dict:
        return {
            **super().summarise(plan),
            "missing_count": len(plan.missing),
            "missing": [
                {"code": e.student_code, "name": e.child.full_name, "child": e.child_id, "school": e.school.name}
                for e in plan.missing[:MAX_LISTED]
            ],
        }

    def result_text(self, result):
        return _("Đã thêm %(c)s trẻ và %(e)s hồ sơ; cập nhật %(u)s hồ sơ; ghi %(v)s diễn biến.") % {
            "c": result["created_children"],
            "e": result["created_enrolments"],
            "u": result["updated"],
            "v": result["events"],
        }

    def describe_many(self, jobs):
        schools = School.objects.in_bulk({job.target_id for job in jobs if job.target_id})
        years = _years_of(jobs)
        labels = {}
        for job in jobs:
            school = schools.get(job.target_id)
            several = _("nhiều trường (cột Mã trường), %(u)s")
            where = school.name if school else several % {"u": job.org_unit.display_name}
            labels[job.pk] = _year_label(where, years.get(job.params.get("year")))
        return labels


class CensusImporter(PersonImporter):
    """A commune's census (điều tra phổ cập): every child aged 0–18 of its hamlets, in school or not."""

    name = "students.census"
    label = gettext_lazy("Điều tra phổ cập")
    upload_label = gettext_lazy("Nhập kết quả điều tra phổ cập")
    upload_help = gettext_lazy(
        "Tệp điều tra của xã: mỗi dòng một trẻ 0–18 tuổi, có cột Thôn, tình trạng đi học và trường đang học. Trẻ "
        "được đối chiếu với danh sách các trường để tìm trẻ ngoài nhà trường."
    )
    upload_form = CensusUploadForm

    def scope_q(self, scope, action):
        return under("org_unit__", scope.officer_paths)

    def may_start(self, user) -> bool:
        return governs_a_commune(user)

    def start(self, *, actor, cleaned):
        year, commune = _year(actor, cleaned["year"].pk), cleaned["commune"]
        if not commune.is_commune_level:
            raise ValidationError({"commune": _("Hãy chọn xã, phường của cuộc điều tra.")})
        commune = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=commune.pk)
        return commune, None, {"year": year.pk}

    def authorise(self, *, actor, job, plan=None):
        get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=job.org_unit_id)

    def params(self, *, job, actor):
        commune = get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=job.org_unit_id)
        return {"year": _year(actor, job.params["year"]), "commune": commune, "hamlet": None}

    def reader(self, run):
        params = run.params
        return CensusReader(
            run.plan,
            decisions=run.decisions,
            actor=run.actor,
            commune=params["commune"],
            hamlet=params.get("hamlet"),
            on=params.get("on"),
        )

    def parse_row(self, run, number, row, error):
        return census_row(run, number, row, error)

    def check(self, run):
        check_census(run)

    def write(self, *, job, actor, plan):
        return dataclasses.asdict(apply_census(actor=actor, plan=plan, only_valid=job.only_valid))

    def result_text(self, result):
        return _("Đã thêm %(c)s trẻ và %(e)s phiếu điều tra; cập nhật %(u)s.") % {
            "c": result["created_children"],
            "e": result["created_records"],
            "u": result["updated"],
        }

    def describe_many(self, jobs):
        years = _years_of(jobs)
        return {job.pk: _year_label(job.org_unit.display_name, years.get(job.params.get("year"))) for job in jobs}
