"""Seed step of schools: the demo's schools with their sites, the partner organisations, and the province's
school years 2024-2025 (the history), 2025-2026 (the demo's year) and 2026-2027 (created, nothing entered)."""

from apps.demo.steps import Context
from apps.orgunits.models import OrgUnit
from apps.schools import services as schools
from apps.schools.models import Catchment, Level, Organisation, School, SchoolSite, SchoolYear

YEARS = (2024, 2025, 2026)

# Per province: (school, level, hamlet indexes of its commune, or None for the whole commune). Trà Linh's two
# primary schools split its six hamlets (as `spec.primary_by_hamlet` sends its children); the lower-secondary
# school takes all six; the other demo schools draw from their whole commune.
CATCHMENTS = {
    "48": [
        ("48095001", Level.KINDERGARTEN, None),
        ("48095002", Level.PRIMARY, (3, 4, 5)),
        ("48095003", Level.PRIMARY, (0, 1, 2)),
        ("48095003", Level.LOWER_SECONDARY, (0, 1, 2, 3, 4, 5)),
        ("48010001", Level.KINDERGARTEN, None),
        ("48010002", Level.PRIMARY, None),
        ("48010003", Level.LOWER_SECONDARY, None),
        ("48050001", Level.PRIMARY, None),
        ("48050002", Level.LOWER_SECONDARY, None),
    ]
}


def seed(ctx: Context) -> None:
    for moet, name, levels, commune, sites in ctx.spec["schools"]:
        ctx.schools[moet] = school(ctx.admin, moet, name, levels, commune, ctx.hamlets[commune], sites)
    for commune, moet, kind, name in ctx.spec["organisations"]:
        ctx.organisations[name] = organisation(ctx.admin, commune, moet, kind, name)
    for moet, level, hamlet_indexes in CATCHMENTS.get(ctx.province, ()):
        found = ctx.schools.get(moet)
        if found is None or Catchment.objects.filter(school=found, level=level).exists():
            continue
        hamlets = ctx.hamlets[found.location.code]
        units = [found.location] if hamlet_indexes is None else [hamlets[i] for i in hamlet_indexes]
        schools.catchment_set(actor=ctx.admin, school=found, level=level, units=units)
    province = ctx.units[ctx.province]
    for start in YEARS:
        year = SchoolYear.objects.filter(province=province, start_year=start).first()
        ctx.years[start] = year or schools.school_year_create(actor=ctx.admin, province=province, start_year=start)


def school(admin, moet, name, levels, commune, hamlets, sites) -> School:
    school = School.objects.filter(moet_code=moet).first()
    if school is None:
        location = OrgUnit.objects.current().get(level=OrgUnit.Level.COMMUNE, code=commune)
        school = schools.school_create(
            actor=admin,
            moet_code=moet,
            name=name,
            levels=int(levels),
            location=location,
            address=f"{hamlets[sites[0][1]].display_name}",
        )
    for site_name, hamlet_index, main in sites:
        if not SchoolSite.objects.filter(school=school, name=site_name).exists():
            schools.site_create(actor=admin, school=school, name=site_name, hamlet=hamlets[hamlet_index], is_main=main)
    return school


def organisation(admin, commune, moet, kind, name) -> Organisation:
    if existing := Organisation.objects.filter(name=name).first():
        return existing
    owner = (
        {"school": School.objects.get(moet_code=moet)}
        if moet
        else {"org_unit": OrgUnit.objects.current().get(level=OrgUnit.Level.COMMUNE, code=commune)}
    )
    return schools.organisation_create(actor=admin, kind=kind, name=name, **owner)
