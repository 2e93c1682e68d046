"""Writes for schools, their sites and partner organisations, and the school calendar."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, diff
from apps.core.scoping import CHANGE, MANAGE, VIEW, get_scoped_or_404, scope_for
from apps.core.text import fold, nfc
from apps.orgunits.models import OrgUnit
from apps.schools.models import (
    PROVINCE_MANAGED_LEVELS,
    Catchment,
    Level,
    Organisation,
    Phase,
    School,
    SchoolSite,
    SchoolYear,
    Semester,
)


def managing_unit(*, location: OrgUnit, levels: int) -> OrgUnit:
    """The commune for preschool, primary and lower secondary; the province for a school that teaches upper
    secondary or continuing education at all."""
    return location.province() if levels & PROVINCE_MANAGED_LEVELS else location


def _check_location(location: OrgUnit) -> None:
    if not (location.is_commune_level and location.is_current):
        raise ValidationError({"location": _("Trường phải đặt tại một xã, phường hoặc đặc khu hiện hành.")})


def _require_managing(actor, unit: OrgUnit) -> None:
    """Schools are created and reconfigured only by the officers of the unit that manages them (or a system
    administrator); 404 when that unit is out of the actor's sight, 403 when they only see it."""
    scope = scope_for(actor)
    if scope.is_admin or unit.path in scope.officer_paths:
        return
    get_scoped_or_404(OrgUnit.objects.all(), actor, VIEW, pk=unit.pk)
    raise PermissionDenied


def _require_change(actor, unit: OrgUnit) -> None:
    """The actor must govern the unit that will manage the school (404 out of sight, 403 read-only)."""
    get_scoped_or_404(OrgUnit.objects.all(), actor, CHANGE, pk=unit.pk)


@transaction.atomic
def school_create(
    *,
    actor,
    moet_code: str,
    name: str,
    levels: int,
    location: OrgUnit,
    ownership: str = School.Ownership.PUBLIC,
    address: str = "",
    phone: str = "",
    email: str = "",
) -> School:
    _check_location(location)
    managed_by = managing_unit(location=location, levels=levels)
    _require_managing(actor, managed_by)
    school = School(
        moet_code=nfc(moet_code),
        name=nfc(name),
        name_folded=fold(name),
        levels=levels,
        ownership=ownership,
        location=location,
        managed_by=managed_by,
        address=nfc(address),
        phone=phone,
        email=email,
    )
    school.full_clean()
    school.save()
    audit_record(
        actor=actor,
        action="schools.school_create",
        obj=school,
        org_unit=managed_by,
        changes={"moet_code": school.moet_code, "name": school.name, "levels": levels},
    )
    return school


@transaction.atomic
def school_update(*, actor, school: School, **fields) -> School:
    """Change a school's settings. Only its managing unit may; if the levels or location change, so may
    the managing unit, and the actor must govern both the old and the new one."""
    school = get_scoped_or_404(School.objects.all(), actor, CHANGE, lock=True, pk=school.pk)
    allowed = {"moet_code", "name", "levels", "ownership", "location", "address", "phone", "email"}
    if unknown := set(fields) - allowed:
        raise TypeError(f"unexpected fields {sorted(unknown)}")
    fields = {k: nfc(v) if isinstance(v, str) and k not in {"ownership", "email"} else v for k, v in fields.items()}
    location = fields.get("location", school.location)
    _check_location(location)
    fields["managed_by"] = managing_unit(location=location, levels=fields.get("levels", school.levels))
    _require_managing(actor, fields["managed_by"])
    changes = diff(school, fields)
    if not changes:
        return school
    for k, v in fields.items():
        setattr(school, k, v)
    school.name_folded = fold(school.name)
    school.full_clean()
    school.save()
    audit_record(actor=actor, action="schools.school_update", obj=school, org_unit=school.managed_by, changes=changes)
    return school


@transaction.atomic
def site_create(
    *, actor, school: School, name: str, hamlet: OrgUnit | None = None, is_main: bool = False
) -> SchoolSite:
    school = get_scoped_or_404(School.objects.all(), actor, CHANGE, pk=school.pk)
    if hamlet is not None:
        hamlet = get_scoped_or_404(OrgUnit.objects.all(), actor, VIEW, pk=hamlet.pk)
        if hamlet.type != OrgUnit.Type.HAMLET or not hamlet.is_current or hamlet.parent_id != school.location_id:
            raise ValidationError({"hamlet": _("Điểm trường phải ở một thôn hiện hành của xã nơi trường đặt.")})
    site = SchoolSite(school=school, name=nfc(name), hamlet=hamlet, is_main=is_main)
    site.full_clean()
    site.save()
    audit_record(
        actor=actor,
        action="schools.site_create",
        obj=site,
        org_unit=school.managed_by,
        changes={"name": site.name, "hamlet": hamlet},
    )
    return site


@transaction.atomic
def organisation_create(
    *,
    actor,
    kind: str,
    name: str,
    school: School | None = None,
    org_unit: OrgUnit | None = None,
    contact_name: str = "",
    contact_phone: str = "",
) -> Organisation:
    """A partner organisation of a school (its principal or managing unit may add it) or of an org unit."""
    if school is not None:
        school = get_scoped_or_404(School.objects.all(), actor, MANAGE, pk=school.pk)
    if org_unit is not None:
        _require_change(actor, org_unit)
        if not org_unit.is_current or org_unit.level == OrgUnit.Level.HAMLET:
            raise ValidationError({"org_unit": _("Tổ chức thuộc một tỉnh hoặc xã hiện hành.")})
    org = Organisation(
        kind=kind,
        name=nfc(name),
        school=school,
        org_unit=org_unit,
        contact_name=nfc(contact_name),
        contact_phone=contact_phone,
    )
    org.full_clean()
    org.save()
    audit_record(
        actor=actor,
        action="schools.organisation_create",
        obj=org,
        org_unit=school.managed_by if school else org_unit,
        changes={"kind": kind, "name": org.name},
    )
    return org


def default_calendar(start_year: int) -> dict:
    """Dates of a school year when the province sets none: 1 July → 30 June, opening 5 September, semester I
    to mid-January, teaching to 31 May."""
    return {
        "starts_on": datetime.date(start_year, 7, 1),
        "opening_day": datetime.date(start_year, 9, 5),
        "semester1_ends_on": datetime.date(start_year + 1, 1, 17),
        "teaching_ends_on": datetime.date(start_year + 1, 5, 31),
        "ends_on": datetime.date(start_year + 1, 6, 30),
        "count_day": datetime.date(start_year, 9, 22),
    }


YEAR_FIELDS = ("starts_on", "opening_day", "teaching_ends_on", "ends_on", "count_day")


def _check_calendar(d: dict, *, province: OrgUnit, start_year: int, exclude_pk=None) -> None:
    """A year's dates run in order, start in its first calendar year, end in the next, and do not overlap
    another school year of the province."""
    if d["starts_on"].year != start_year or d["ends_on"].year != start_year + 1:
        raise ValidationError(
            _("Năm học %(a)s-%(b)s phải bắt đầu trong năm %(a)s và kết thúc trong năm %(b)s.")
            % {"a": start_year, "b": start_year + 1}
        )
    overlapping = SchoolYear.objects.filter(
        province=province, starts_on__lte=d["ends_on"], ends_on__gte=d["starts_on"]
    ).exclude(pk=exclude_pk)
    if other := overlapping.first():
        raise ValidationError(_("Trùng thời gian với năm học %(year)s.") % {"year": other.name})
    if not (d["starts_on"] < d["opening_day"] <= d["semester1_ends_on"] < d["teaching_ends_on"] <= d["ends_on"]):
        raise ValidationError(
            _(
                "Các mốc thời gian của năm học phải theo đúng thứ tự: bắt đầu, khai giảng, "
                "hết học kỳ I, kết thúc năm học, kết thúc."
            )
        )
    if not d["opening_day"] <= d["count_day"] <= d["semester1_ends_on"]:
        raise ValidationError({"count_day": _("Ngày chốt số liệu phải từ ngày khai giảng đến hết học kỳ I.")})


def _write_parts(year: SchoolYear, d: dict) -> None:
    """(Re)write the two semesters and three phases that follow from the year's dates."""
    day = datetime.timedelta(days=1)
    parts = {
        Semester: [
            (1, d["opening_day"], d["semester1_ends_on"]),
            (2, d["semester1_ends_on"] + day, d["teaching_ends_on"]),
        ],
        Phase: [
            (1, d["starts_on"], d["opening_day"] - day),
            (2, d["opening_day"], d["semester1_ends_on"]),
            (3, d["semester1_ends_on"] + day, d["ends_on"]),
        ],
    }
    for model, rows in parts.items():
        for number, starts_on, ends_on in rows:
            model.objects.update_or_create(
                year=year, number=number, defaults={"starts_on": starts_on, "ends_on": ends_on}
            )


def calendar_of(year: SchoolYear) -> dict:
    """The dates a year was declared with (the end of semester I is kept on the semester itself)."""
    return {f: getattr(year, f) for f in YEAR_FIELDS} | {
        "semester1_ends_on": year.semesters.get(number=1).ends_on,
        "count_day": year.count_on,
    }


@transaction.atomic
def school_year_create(*, actor, province: OrgUnit, start_year: int, **dates) -> SchoolYear:
    """A school year with its two semesters and three phases; `dates` override `default_calendar`."""
    if province.level != OrgUnit.Level.PROVINCE or not province.is_current:
        raise ValidationError({"province": _("Năm học được khai báo cho một tỉnh, thành phố hiện hành.")})
    _require_change(actor, province)
    d = default_calendar(start_year) | {k: v for k, v in dates.items() if v}
    _check_calendar(d, province=province, start_year=start_year)
    year = SchoolYear(province=province, start_year=start_year, **{f: d[f] for f in YEAR_FIELDS})
    year.full_clean()
    year.save()
    _write_parts(year, d)
    audit_record(
        actor=actor,
        action="schools.school_year_create",
        obj=year,
        org_unit=province,
        changes={k: str(v) for k, v in d.items()},
    )
    return year


@transaction.atomic
def school_year_update(*, actor, year: SchoolYear, **dates) -> SchoolYear:
    """Move a year's dates (a province sets its own opening day); semesters and phases follow."""
    year = get_scoped_or_404(SchoolYear.objects.all(), actor, CHANGE, lock=True, pk=year.pk)
    before = calendar_of(year)
    d = before | {k: v for k, v in dates.items() if v}
    _check_calendar(d, province=year.province, start_year=year.start_year, exclude_pk=year.pk)
    changes = {k: [str(before[k]), str(d[k])] for k in d if d[k] != before[k]}
    if not changes:
        return year
    for f in YEAR_FIELDS:
        setattr(year, f, d[f])
    year.full_clean()
    year.save()
    _write_parts(year, d)
    audit_record(actor=actor, action="schools.school_year_update", obj=year, org_unit=year.province, changes=changes)
    return year


# The levels whose children a school draws from a catchment: those counted against a census (right-age enrolment).
CATCHMENT_LEVELS = (Level.KINDERGARTEN, Level.PRIMARY, Level.LOWER_SECONDARY)


@transaction.atomic
def catchment_set(*, actor, school: School, level: int, units) -> list[Catchment]:
    """Set the units a school draws its children of `level` from: hamlets of its commune (or of neighbouring
    communes), or a whole commune. Only the school's managing unit sets it."""
    school = get_scoped_or_404(School.objects.all(), actor, CHANGE, pk=school.pk)
    if level not in CATCHMENT_LEVELS or not school.teaches(level):
        raise ValidationError({"level": _("Trường không dạy cấp học này.")})
    units = list(units)
    for unit in units:
        if unit.level not in (OrgUnit.Level.COMMUNE, OrgUnit.Level.HAMLET) or not unit.is_current:
            raise ValidationError({"units": _("Địa bàn tuyển sinh là thôn hoặc xã hiện hành.")})
    before = sorted(Catchment.objects.filter(school=school, level=level).values_list("unit_id", flat=True))
    after = sorted({u.pk for u in units})
    if before == after:
        return list(Catchment.objects.filter(school=school, level=level))
    Catchment.objects.filter(school=school, level=level).exclude(unit_id__in=after).delete()
    Catchment.objects.bulk_create(
        [Catchment(school=school, level=level, unit_id=pk) for pk in after if pk not in before]
    )
    audit_record(
        actor=actor,
        action="schools.catchment_set",
        obj=school,
        org_unit=school.managed_by,
        changes={"level": int(level), "units": [before, after]},
    )
    return list(Catchment.objects.filter(school=school, level=level))
