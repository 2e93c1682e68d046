"""A test province written by hand (code 97, with a neighbour, 96), apart from the demo: three schools in two
communes, two school years, children whose every figure is known. Every write goes through the services (or, for
the census, as the census import writes it: records, then the after-write hook)."""

import datetime
from dataclasses import dataclass

from apps.orgunits.models import OrgUnit
from apps.schools import services as schools
from apps.schools.models import Level
from apps.students import services as students
from apps.students.hooks import census_written
from apps.students.models import CensusRecord, Child

D = datetime.date
Kind = "enrolled"


def unit(*, type, name, code="", parent=None):
    level = OrgUnit.LEVEL_OF_TYPE[type]
    u = OrgUnit.objects.create(
        type=type, level=level, code=code, name=name, name_folded=name.lower(), parent=parent, path="/"
    )
    u.path = f"{parent.path if parent else '/'}{u.pk}/"
    u.save(update_fields=["path"])
    return u


@dataclass
class Province:
    province: object
    x: object
    y: object
    h1: object
    h2: object
    h3: object
    a: object
    b: object
    c: object
    elsewhere: object
    year: object
    last: object
    children: dict


def build(admin) -> Province:
    T = OrgUnit.Type
    p = unit(type=T.PROVINCE, name="Tỉnh Thử Nghiệm", code="97")
    x = unit(type=T.COMMUNE, name="Xã Một", code="97001", parent=p)
    y = unit(type=T.COMMUNE, name="Xã Hai", code="97002", parent=p)
    h1 = unit(type=T.HAMLET, name="Thôn Một", parent=x)
    h2 = unit(type=T.HAMLET, name="Thôn Hai", parent=x)
    h3 = unit(type=T.HAMLET, name="Thôn Ba", parent=y)
    q = unit(type=T.PROVINCE, name="Tỉnh Bên Cạnh", code="96")
    z = unit(type=T.COMMUNE, name="Xã Bên Cạnh", code="96001", parent=q)
    a = schools.school_create(
        actor=admin, moet_code="97000001", name="Trường TH A", levels=int(Level.PRIMARY), location=x
    )
    b = schools.school_create(
        actor=admin, moet_code="97000002", name="Trường TH B", levels=int(Level.PRIMARY), location=x
    )
    c = schools.school_create(
        actor=admin, moet_code="97000003", name="Trường THCS C", levels=int(Level.LOWER_SECONDARY), location=y
    )
    sz = schools.school_create(
        actor=admin, moet_code="96000001", name="Trường TH Bên Cạnh", levels=int(Level.PRIMARY), location=z
    )
    schools.catchment_set(actor=admin, school=a, level=Level.PRIMARY, units=[h1])  # the commune's split
    schools.catchment_set(actor=admin, school=b, level=Level.PRIMARY, units=[h2])
    schools.catchment_set(actor=admin, school=c, level=Level.LOWER_SECONDARY, units=[y])
    last = schools.school_year_create(actor=admin, province=p, start_year=2024)
    year = schools.school_year_create(actor=admin, province=p, start_year=2025)
    schools.school_year_create(actor=admin, province=q, start_year=2025)
    year_q = q.school_years.get(start_year=2025)

    kids = {}

    def child(key, born, hamlet, sex="M"):
        kids[key] = Child.objects.create(
            full_name=key, name_folded=key, birth_year=born, sex=sex, commune=hamlet.parent, hamlet=hamlet
        )
        return kids[key]

    def enrol(key, school, yr, grade, on, kind="enrolled", insured=False):
        return students.enrolment_create(
            actor=admin,
            child=kids[key],
            school=school,
            year=yr,
            grade=grade,
            on=on,
            kind=kind,
            health_insurance=insured,
        )

    def event(enrolment, kind, on, reason=""):
        students.enrolment_record_event(actor=admin, enrolment=enrolment, kind=kind, on=on, reason=reason)

    for key, born, hamlet, sex in [
        ("c1", 2019, h1, "F"),
        ("c2", 2019, h1, "M"),
        ("c3", 2019, h1, "F"),
        ("c4", 2019, h2, "M"),
        ("c5", 2018, h2, "F"),
        ("c6", 2015, h1, "M"),
        ("c7", 2014, h1, "F"),
        ("c8", 2014, h3, "M"),
        ("c9", 2014, h3, "F"),
        ("c10", 2019, h2, "F"),
    ]:
        child(key, born, hamlet, sex)
    # 2024-2025: c6 and c7 at A (grades 3, 4) to the end; c8 completes grade 5 at B.
    enrol("c6", a, last, "3", D(2024, 9, 5))
    enrol("c7", a, last, "4", D(2024, 9, 5))
    e8 = enrol("c8", b, last, "5", D(2024, 9, 5))
    event(e8, "completed", D(2025, 5, 31))
    # 2025-2026 (count day 22/9/2025).
    enrol("c1", a, year, "1", D(2025, 9, 5), insured=True)
    e2 = enrol("c2", a, year, "1", D(2025, 9, 5))
    event(e2, "transferred_out", D(2025, 10, 10))
    enrol("c2", b, year, "1", D(2025, 10, 11), kind="transferred_in")  # a transfer within the commune
    enrol("c3", sz, year_q, "1", D(2025, 9, 5))  # schooled in another province
    e5 = enrol("c5", b, year, "2", D(2025, 9, 5))
    event(e5, "dropped_out", D(2025, 11, 1), reason="economic")
    event(e5, "returned", D(2026, 2, 15))  # a return
    enrol("c8", c, year, "6", D(2025, 9, 5))  # continued from grade 5
    e9 = enrol("c9", c, year, "6", D(2025, 9, 5))
    event(e9, "dropped_out", D(2025, 9, 15), reason="distance")  # before the count day
    enrol("c10", a, year, "1", D(2025, 9, 5))  # lives in B's catchment, schooled at A
    # c6: did not continue (no enrolment in 2025-2026); c7 moved away (the census says so): not counted.
    census = [
        ("c1", h1, "in_school", "1"),
        ("c2", h1, "in_school", "1"),
        ("c3", h1, "in_school", "1"),
        ("c4", h2, "not_in_school", ""),
        ("c10", h2, "in_school", "1"),
        ("c6", h1, "not_in_school", ""),
        ("c7", h1, "moved_away", ""),
    ]
    records = CensusRecord.objects.bulk_create(
        CensusRecord(child=kids[k], year=year, hamlet=h, status=s, grade=g, surveyed_on=D(2025, 8, 1))
        for k, h, s, g in census
    )
    from django.db import transaction

    with transaction.atomic():
        census_written([r.pk for r in records])
    return Province(p, x, y, h1, h2, h3, a, b, c, sz, year, last, kids)
