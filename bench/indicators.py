"""Benchmark of the indicator engine: a province of 2,000,000 students in 1,000 schools over 100 communes, with a
census to match (`--rows N` for a quick run: N students, N/2000 schools, a tenth as many communes).

    .venv/bin/python bench/indicators.py [--rows N]                          # SQLite (a fresh file in /tmp)
    DATABASE_URL=postgres://... .venv/bin/python bench/indicators.py         # PostgreSQL (a fresh database)
    make bench-indicators                                                    # both, PostgreSQL thrown away after

It prints, each next to its floor or reference measured in the same run on the same database:
  load      the generated rows bulk-inserted in chunks (children, enrolments of two years, events, census);
  rebuild   `counts.rebuild()` (what `manage.py rebuild_counts` runs) against a hand-written `INSERT … SELECT` of
            the same per-period counts in the same database (the floor: it computes enrolled, insured, transfers
            and dropouts per period, not the did-not-continue measures nor the census, so it favours the floor);
  refresh   the after-write hook for one school's whole roster (what a roster import of that school runs), and for
            the whole province's at once (what a province-wide import adds to its write);
  figures   every indicator for the province and its communes (one level of drill-down): median of 5 warm runs,
            against DuckDB computing enrolled, insured, dropouts and the census figures of the same rows exported
            to Parquet (for reference);
  queries   the number of queries of `figures` for N rows and for 2N rows.
Aims: rebuild ≤ 2× the floor; province figures ≤ 300 ms; one school's refresh ≤ 1 s; the same query count for
N and 2N.
"""

import argparse
import datetime
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dentruong.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")

CHUNK = 20_000
PER_SCHOOL = 2_000
D = datetime.date


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


CPU: dict[str, list[float]] = {}  # the CPU time of this process (not PostgreSQL's) of each timed call, by name


def timed(fn, *args, **kwargs):
    """(wall seconds, result); the call's CPU time is kept in CPU[fn.__name__]: on a shared machine the wall time
    depends on the others' load, the CPU time much less (on PostgreSQL the server's share is not in it)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    CPU.setdefault(fn.__name__, []).append(time.process_time() - cpu)
    return time.perf_counter() - start, result


def cpu(name: str) -> float:
    """The median CPU time of the calls timed under `name` (warm ones only where a first call was left out)."""
    runs = CPU[name]
    return statistics.median(runs[1:] if len(runs) > 1 else runs)


# ---- the province --------------------------------------------------------------------------------------------------


def make_province(schools: int):
    from apps.accounts.models import User
    from apps.orgunits.models import OrgUnit
    from apps.schools import services
    from apps.schools.models import Catchment, Level, School

    admin = User.objects.filter(username="bench").first() or User.objects.create_superuser("bench", password=None)

    def unit(type_, name, code="", parent=None):
        u = OrgUnit.objects.create(
            type=type_,
            level=OrgUnit.LEVEL_OF_TYPE[type_],
            code=code,
            name=name,
            name_folded=name.lower(),
            parent=parent,
            path="/",
        )
        u.path = f"{parent.path if parent else '/'}{u.pk}/"
        u.save(update_fields=["path"])
        return u

    province = unit("province", "Tỉnh Đo Đạc", "99")
    communes, hamlets = [], {}
    for c in range(max(2, schools // 10)):
        commune = unit("commune", f"Xã Số {c + 1}", f"99{c:03d}", province)
        communes.append(commune)
        hamlets[commune.pk] = [unit("hamlet", f"Thôn {h + 1}", "", commune) for h in range(6)]
    school_rows = []
    for n in range(schools):
        commune = communes[n % len(communes)]
        levels = Level.PRIMARY if n % 2 == 0 else Level.LOWER_SECONDARY
        school_rows.append(
            School(
                moet_code=f"99{n:06d}",
                name=f"Trường {n + 1}",
                name_folded=f"truong {n + 1}",
                levels=levels,
                location=commune,
                managed_by=commune,
            )
        )
    School.objects.bulk_create(school_rows)
    made = list(School.objects.filter(moet_code__startswith="99").order_by("moet_code"))
    Catchment.objects.bulk_create(Catchment(school=s, level=s.levels, unit=s.location) for s in made)
    last = services.school_year_create(actor=admin, province=province, start_year=2024)
    year = services.school_year_create(actor=admin, province=province, start_year=2025)
    return province, communes, hamlets, made, last, year


def load(rows: int, schools, hamlets, last, year, *, seed: int, offset: int = 0) -> None:
    """`rows` students spread over the schools, with last year's enrolment for most, events and the census, in
    chunks of CHUNK, each one transaction, inserted at the driver's speed (`core.bulk.insert`: Django's
    `bulk_create` builds a model instance per row, several times the insert's own cost at 2,000,000 rows)."""
    from django.db import transaction

    from apps.core.bulk import insert
    from apps.students.models import CensusRecord, Child, Enrolment, EnrolmentEvent

    rng = random.Random(seed)
    per_school = max(1, rows // len(schools))
    done = 0
    while done < rows:
        n = min(CHUNK, rows - done)
        specs = []
        for i in range(n):
            k = offset + done + i
            school = schools[(done + i) // per_school % len(schools)]
            primary = school.levels == 4
            grade = rng.randint(1, 5) if primary else rng.randint(6, 9)
            born = 2025 - (grade + 5) - (1 if rng.random() < 0.05 else 0)
            hamlet = rng.choice(hamlets[school.location_id])
            r = rng.random()
            later = "dropped_out" if r < 0.02 else ("transferred_out" if r < 0.03 else None)
            specs.append((k, school, grade, born, hamlet, later))
        with transaction.atomic():
            child_ids = insert(
                Child,
                ("full_name", "name_folded", "birth_year", "sex", "ethnicity", "commune_id", "hamlet_id", "poor"),
                [
                    (f"HS {k}", f"hs {k}", born, "MF"[k % 2], "01" if k % 10 else "30", h.parent_id, h.pk, k % 13 == 0)
                    for k, _s, _g, born, h, _l in specs
                ],
                ids=True,
            )
            fields = ("child_id", "school_id", "year_id", "grade", "start_year", "ongoing", "health_insurance")
            enrolment_ids = insert(
                Enrolment,
                fields,
                [
                    (c, s.pk, year.pk, str(g), 2025, later is None, k % 10 != 0)
                    for c, (k, s, g, _b, _h, later) in zip(child_ids, specs, strict=True)
                ],
                ids=True,
            )
            before = [
                (c, s.pk, last.pk, str(g - 1), 2024, False, False)
                for c, (k, s, g, _b, _h, _l) in zip(child_ids, specs, strict=True)
                if g not in (1, 6) and k % 5
            ]
            last_ids = insert(Enrolment, fields, before, ids=True)
            events = []
            for e, (*_spec, later) in zip(enrolment_ids, specs, strict=True):
                events.append((e, "enrolled", D(2025, 9, 5), ""))
                if later == "dropped_out":
                    events.append((e, later, D(2025, 11, 3), "economic"))
                elif later:
                    events.append((e, later, D(2026, 1, 5), ""))
            for e, (_c, _s, _y, grade, *_rest) in zip(last_ids, before, strict=True):
                events.append((e, "enrolled", D(2024, 9, 5), ""))
                events.append((e, "completed" if grade in ("5", "9") else "enrolled", D(2025, 5, 31), ""))
            insert(EnrolmentEvent, ("enrolment_id", "kind", "on", "reason"), events)
            insert(
                CensusRecord,
                ("child_id", "year_id", "hamlet_id", "status", "grade", "surveyed_on"),
                [
                    (c, year.pk, s[4].pk, "in_school", str(s[2]), D(2025, 8, 1))
                    for c, s in zip(child_ids, specs, strict=True)
                ],
            )
        done += n


# ---- the floor: the same per-period counts by one INSERT … SELECT per period ---------------------------------------


FLOOR_SQL = """
INSERT INTO indicators_enrolmentcount (school_id, year_id, grade, sex, ethnicity, circumstances, period, enrolled,
  insured, transfers_in, transfers_out, transfers_in_after_count, transfers_out_after_count, dropouts,
  dropouts_after_count, returned, continuing, not_continued, grade9_completers, grade9_not_grade10)
SELECT e.school_id, e.year_id, e.grade, c.sex, c.ethnicity,
  (CASE WHEN c.poor THEN 1 ELSE 0 END) + (CASE WHEN c.near_poor THEN 2 ELSE 0 END)
  + (CASE WHEN c.orphan THEN 4 ELSE 0 END) + (CASE WHEN c.disability THEN 8 ELSE 0 END)
  + (CASE WHEN c.remote_area THEN 16 ELSE 0 END),
  %s,
  SUM(CASE WHEN e.kind IN ('enrolled', 'transferred_in', 'returned', 'repeating') THEN 1 ELSE 0 END),
  SUM(CASE WHEN e.kind IN ('enrolled', 'transferred_in', 'returned', 'repeating') AND e.health_insurance
      THEN 1 ELSE 0 END),
  SUM(CASE WHEN EXISTS (SELECT 1 FROM students_enrolmentevent v WHERE v.enrolment_id = e.id
      AND v.kind = 'transferred_in' AND v."on" BETWEEN %s AND %s) THEN 1 ELSE 0 END),
  SUM(CASE WHEN EXISTS (SELECT 1 FROM students_enrolmentevent v WHERE v.enrolment_id = e.id
      AND v.kind = 'transferred_out' AND v."on" BETWEEN %s AND %s) THEN 1 ELSE 0 END),
  0, 0,
  SUM(CASE WHEN EXISTS (SELECT 1 FROM students_enrolmentevent v WHERE v.enrolment_id = e.id
      AND v.kind = 'dropped_out' AND v."on" BETWEEN %s AND %s) THEN 1 ELSE 0 END),
  0, 0, 0, 0, 0, 0
FROM (SELECT e.id, e.school_id, e.year_id, e.grade, e.child_id, e.health_insurance,
        (SELECT v.kind FROM students_enrolmentevent v WHERE v.enrolment_id = e.id AND v."on" <= %s
         ORDER BY v."on" DESC, v.id DESC LIMIT 1) AS kind
      FROM students_enrolment e WHERE e.year_id = %s) e
JOIN students_child c ON c.id = e.child_id
GROUP BY e.school_id, e.year_id, e.grade, c.sex, c.ethnicity, c.poor, c.near_poor, c.orphan, c.disability,
  c.remote_area
"""


def floor_rebuild(years) -> None:
    """The same per-period counts in one statement per period and year: the status at the window's end is the latest
    event on or before it (a correlated subquery), the rest EXISTS tests."""
    from django.db import connection, transaction

    from apps.indicators import counts
    from apps.indicators.models import EnrolmentCount

    with transaction.atomic(), connection.cursor() as cursor:
        EnrolmentCount.objects.all().delete()
        for year in years:
            cal = counts.calendar(year)
            for period, (a, b) in cal.windows.items():
                sql = FLOOR_SQL
                # Placeholders in the text's order: the period, the three windows, the status day, the year.
                cursor.execute(sql, [str(period), a, b, a, b, a, b, b, year.pk])


# ---- DuckDB, for reference -----------------------------------------------------------------------------------------


def duckdb_reference(work: Path, year, communes) -> tuple[float, dict]:
    """Export the rows to Parquet (through CSV: no pyarrow here) and compute the province's and each commune's
    enrolled, insured and dropouts at the year's end and the census of 6-year-olds in grade 1."""
    import csv

    import duckdb
    from django.db import connection

    tables = {
        "enrolment": "SELECT e.id, e.school_id, s.location_id, e.year_id, e.grade, e.health_insurance "
        "FROM students_enrolment e JOIN schools_school s ON s.id = e.school_id",
        "event": 'SELECT enrolment_id, kind, "on", id FROM students_enrolmentevent',
        "census": "SELECT r.year_id, h.parent_id, c.birth_year, r.grade, r.status FROM students_censusrecord r "
        "JOIN students_child c ON c.id = r.child_id JOIN orgunits_orgunit h ON h.id = r.hamlet_id",
    }
    db = duckdb.connect()
    for name, sql in tables.items():
        path = work / f"{name}.csv"
        with connection.cursor() as cursor, open(path, "w", newline="") as f:
            cursor.execute(sql)
            writer = csv.writer(f)
            writer.writerow([c[0] for c in cursor.description])
            while batch := cursor.fetchmany(50_000):
                writer.writerows(batch)
        db.execute(f"COPY (SELECT * FROM read_csv_auto('{path}')) TO '{work / name}.parquet' (FORMAT parquet)")
    end, count_day = year.ends_on, year.count_on
    sql = f"""
    WITH status AS (
      SELECT e.id, e.location_id, e.health_insurance,
        (SELECT kind FROM '{work}/event.parquet' v WHERE v.enrolment_id = e.id AND v."on" <= DATE '{end}'
         ORDER BY v."on" DESC, v.id DESC LIMIT 1) AS kind,
        EXISTS (SELECT 1 FROM '{work}/event.parquet' v WHERE v.enrolment_id = e.id AND v.kind = 'dropped_out'
         AND v."on" > DATE '{count_day}') AS dropped
      FROM '{work}/enrolment.parquet' e WHERE e.year_id = {year.pk})
    SELECT location_id,
      SUM(CASE WHEN kind IN ('enrolled','transferred_in','returned','repeating') THEN 1 ELSE 0 END),
      SUM(CASE WHEN kind IN ('enrolled','transferred_in','returned','repeating') AND health_insurance
          THEN 1 ELSE 0 END),
      SUM(CASE WHEN dropped THEN 1 ELSE 0 END)
    FROM status GROUP BY location_id
    """
    census_sql = f"""
    SELECT parent_id, COUNT(*), SUM(CASE WHEN grade = 1 THEN 1 ELSE 0 END)
    FROM '{work}/census.parquet' WHERE year_id = {year.pk} AND {year.start_year} - birth_year = 6
      AND status NOT IN ('exempt_disability', 'moved_away', 'deceased')
    GROUP BY parent_id
    """
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        enrolled = db.execute(sql).fetchall()
        census = db.execute(census_sql).fetchall()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), {"enrolled": enrolled, "census": census}


def analyse(connection) -> None:
    """Fresh planner statistics after a bulk load, as autovacuum gives them in production."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# ---- main ----------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dentruong-bench-indicators-"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    else:
        _fresh_postgres_database()
    vendor = "PostgreSQL" if os.environ["DATABASE_URL"].startswith("postgres") else "SQLite"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from apps.indicators import counts, selectors
    from apps.indicators.registry import Target
    from apps.students.models import Enrolment

    call_command("migrate", verbosity=0)
    schools_n = max(10, args.rows // PER_SCHOOL)
    print(
        f"{vendor}: {args.rows:,} students in {schools_n} schools over {max(2, schools_n // 10)} communes", flush=True
    )
    province, communes, hamlets, schools, last, year = make_province(schools_n)
    load_s, _ = timed(load, args.rows, schools, hamlets, last, year, seed=1)
    analyse(connection)
    print(f"  load      {load_s:8.1f} s   (cpu {cpu('load'):.1f} s)", flush=True)

    floor_s, _ = timed(floor_rebuild, [last, year])
    rebuild_s, result = timed(counts.rebuild)
    print(f"  floor     {floor_s:8.1f} s   (INSERT … SELECT; cpu {cpu('floor_rebuild'):.1f} s)", flush=True)
    print(
        f"  rebuild   {rebuild_s:8.1f} s   {rebuild_s / floor_s:5.2f} × floor   ({result['rows']:,} rows; "
        f"cpu {cpu('rebuild'):.1f} s)",
        flush=True,
    )

    one = schools[0]
    ids = list(Enrolment.objects.filter(school=one, year=year).values_list("pk", flat=True))

    def refresh():
        with transaction.atomic():
            counts.on_enrolments(ids)

    cold_s, _ = timed(refresh)
    refresh_s = statistics.median(timed(refresh)[0] for _ in range(3))
    print(
        f"  refresh   {refresh_s:8.2f} s   one school's roster ({len(ids):,} enrolments), median of 3 warm runs; "
        f"first run {cold_s:.2f} s; cpu {cpu('refresh'):.2f} s",
        flush=True,
    )

    every = list(Enrolment.objects.filter(year=year).values_list("pk", flat=True))

    def refresh_all():
        with transaction.atomic():
            counts.on_enrolments(every)

    all_s, _ = timed(refresh_all)
    print(
        f"  refresh   {all_s:8.2f} s   the whole province's roster at once ({len(every):,} enrolments: what a "
        f"province-wide import adds to its write; cpu {cpu('refresh_all'):.1f} s)",
        flush=True,
    )

    targets = [Target(unit=province), *(Target(unit=c) for c in communes)]

    def figures():
        return selectors.figures(targets, year=year, period="Y", on=D(2026, 7, 1))

    figures()  # warm
    runs = [timed(figures)[0] for _ in range(5)]
    figures_s = statistics.median(runs)
    duck_s, _duck = duckdb_reference(work, year, communes)
    print(
        f"  figures   {figures_s * 1000:8.0f} ms  median of 5; DuckDB on Parquet {duck_s * 1000:.0f} ms "
        f"({figures_s / duck_s:.1f} ×); cpu {cpu('figures') * 1000:.0f} ms",
        flush=True,
    )

    with CaptureQueriesContext(connection) as ctx:
        figures()
    queries_n = len(ctx)
    load(args.rows, schools, hamlets, last, year, seed=2, offset=args.rows)
    analyse(connection)
    counts.rebuild()
    with CaptureQueriesContext(connection) as ctx:
        figures()
    queries_2n = len(ctx)
    print(f"  queries   {queries_n} for N rows, {queries_2n} for 2N rows", flush=True)
    print(f"  peak      {peak_mb():8.0f} MB; load average {os.getloadavg()[0]:.1f}")
    print(
        "\n{}: rebuild {:.2f}× floor (aim ≤ 2): {}; province figures {:.0f} ms (aim ≤ 300): {}; one school's refresh "
        "{:.2f} s (aim ≤ 1): {}; queries N/2N {}/{}: {}".format(
            vendor,
            rebuild_s / floor_s,
            "yes" if rebuild_s <= 2 * floor_s else "no",
            figures_s * 1000,
            "yes" if figures_s <= 0.3 else "no",
            refresh_s,
            "yes" if refresh_s <= 1 else "no",
            queries_n,
            queries_2n,
            "yes" if queries_n == queries_2n else "no",
        )
    )


def _fresh_postgres_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    base, _sep, _name = url.rpartition("/")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS dentruong_bench_indicators")
        conn.execute("CREATE DATABASE dentruong_bench_indicators")
    os.environ["DATABASE_URL"] = f"{base}/dentruong_bench_indicators"


if __name__ == "__main__":
    main()
