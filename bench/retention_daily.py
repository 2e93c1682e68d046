"""Benchmark of the early warning's daily job: 200,000 students with 2,000,000 absence rows (`--students N`, ten
absences each on average: `--absences M`), semester results, notes and circumstances, on SQLite or PostgreSQL.

    .venv/bin/python bench/retention_daily.py [--students N] [--absences M]     # SQLite (a fresh file in /tmp)
    DATABASE_URL=postgres://... .venv/bin/python bench/retention_daily.py      # PostgreSQL (a fresh database)

It prints, next to the floor measured in the same run on the same database:
  floor     a hand-written grouped SQL of the same rolling window (unexcused absences per enrolment in the 30 days
            up to the day) joined to the ongoing enrolments of the year under way: what no implementation can skip;
  daily     `retention.jobs.daily_recompute(day)` — every signal of every ongoing student, the levels, the flags
            written for those whose level or reasons changed (the first run writes many);
  again     the same job on the same day's data again: nothing changed, nothing written;
  next day  the job the day after, against that day's floor: the daily job as it runs every day (a day leaves the
            window: where only a count of absences changes the flag in force is brought up to date, where the level,
            score or signals change a new flag is written, the old one kept);
  writing   the first run's flags alone, the values already worked out, inserted again into the emptied table by one
            INSERT…SELECT and their keys checked: what a first run adds to the floor however it reads, so that
            floor + writing is about as low as a first run can go on this schema.
Each step is timed three times, the floor's as the jobs' (a job's earlier runs rolled back after their foreign-key
checks, so that each starts from the same data), and the best kept. The aim: each ≤ 2× the floor. It also prints the
ratios of the CPU time, steadier than the wall clock when the machine is busy: the process's on SQLite (SQLite runs
in the process), the process's plus the backend's on a PostgreSQL running on this machine (read from /proc).
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dentruong.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")

CHUNK = 20_000
D = datetime.date
DAY = D(2025, 11, 28)  # the day the job runs for
NEXT = DAY + datetime.timedelta(days=1)  # and the day after: the daily job as it runs every day

INSERT_ABSENCE = (
    'INSERT INTO students_absence (enrolment_id, "on", excused, recorded_by_id, recorded_at) '
    "VALUES (%s, %s, %s, %s, %s)"
)
FLOOR_SQL = """
SELECT e.id, COUNT(a.id)
FROM students_enrolment e
JOIN students_absence a ON a.enrolment_id = e.id AND a.excused = %s AND a."on" >= %s AND a."on" <= %s
WHERE e.year_id = %s AND e.ongoing = %s
GROUP BY e.id
"""


CPU = {}  # the CPU time of each timed step: the process's, plus the PostgreSQL backend's when /proc shows it
BACKEND = {}  # the path of the PostgreSQL backend's /proc stat file, once known ("" when not readable)


def backend_stat() -> str:
    """The /proc stat file of this connection's PostgreSQL backend when the server runs on this machine and it can be
    read, else "" (SQLite runs in the process: nothing to add)."""
    if "path" not in BACKEND:
        from django.db import connection

        BACKEND["path"] = ""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                path = f"/proc/{cursor.fetchone()[0]}/stat"
            if os.access(path, os.R_OK):
                BACKEND["path"] = path
    return BACKEND["path"]


def cpu_now() -> float:
    """The process's CPU time, plus the backend's (user + system, from its /proc stat) on PostgreSQL."""
    path, cpu = backend_stat(), time.process_time()
    if path:
        fields = Path(path).read_text().rsplit(")", 1)[1].split()
        cpu += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return cpu


def timed(fn, *args, **kwargs):
    start, cpu = time.perf_counter(), cpu_now()
    result = fn(*args, **kwargs)
    CPU[fn.__name__] = min(CPU.get(fn.__name__, 1e9), cpu_now() - cpu)
    return time.perf_counter() - start, result


RUNS = 3  # each step is timed this many times, the floor's as the jobs', and the best kept


class Undone(Exception):
    """Raised to roll back a trial run of a job, with what it returned."""


def best(fn, *, job: bool = False):
    """(the best wall time of RUNS runs of `fn`, what the last returned); the best CPU time goes to CPU. A job runs in
    a transaction of its own each time, so that its writes and their foreign-key checks are timed: every run but the
    last is rolled back after those checks (what its commit would have done), so each starts from the same data, and
    the last commits. On PostgreSQL the flags' table is vacuumed and analysed after each run (untimed)."""
    from django.db import connection, transaction

    walls, result = [], None
    for n in range(RUNS):
        keep = n == RUNS - 1

        def run():
            try:
                with transaction.atomic():
                    done = fn()
                    if not keep:
                        if connection.vendor == "postgresql":
                            with connection.cursor() as cursor:
                                # the checks a commit would run (the rollback puts the setting back, a savepoint's too)
                                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                        raise Undone(done)
            except Undone as undone:
                return undone.args[0]
            return done

        run.__name__ = fn.__name__
        wall, result = timed(run) if job else timed(fn)
        walls.append(wall)
        if job and connection.vendor == "postgresql" and not connection.in_atomic_block:
            # What autovacuum does within a minute of such a write: left to it, the next run's plan (the flags in
            # force hashed in one batch or spilled in several) depended on whether it had got there first.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE retention_riskflag")
    return min(walls), result


def make_province(schools: int):
    from apps.accounts.models import User
    from apps.orgunits.models import OrgUnit
    from apps.schools import services
    from apps.schools.models import Level, School

    admin = User.objects.filter(username="bench").first() or User.objects.create_superuser("bench", password=None)

    def unit(type_, name, code="", parent=None):
        u = OrgUnit.objects.create(
            type=type_, level=OrgUnit.LEVEL_OF_TYPE[type_], code=code, name=name, name_folded=name.lower(),
            parent=parent, path="/",
        )  # fmt: skip
        u.path = f"{parent.path if parent else '/'}{u.pk}/"
        u.save(update_fields=["path"])
        return u

    province = unit("province", "Tỉnh Đo Đạc", "99")
    communes = [unit("commune", f"Xã Số {c + 1}", f"99{c:03d}", province) for c in range(max(2, schools // 10))]
    School.objects.bulk_create(
        School(
            moet_code=f"99{n:06d}",
            name=f"Trường {n + 1}",
            name_folded=f"truong {n + 1}",
            levels=Level.PRIMARY if n % 2 == 0 else Level.LOWER_SECONDARY,
            location=communes[n % len(communes)],
            managed_by=communes[n % len(communes)],
        )  # fmt: skip
        for n in range(schools)
    )
    made = list(School.objects.filter(moet_code__startswith="99").order_by("moet_code"))
    year = services.school_year_create(actor=admin, province=province, start_year=2025)
    return made, year


def load(students: int, absences: int, schools, year) -> None:
    """Children, ongoing enrolments, their events, absences over the autumn (a tenth of the students absent often),
    semester I results for none yet and a teacher's note for one in fifty."""
    from django.db import connection, transaction

    from apps.accounts.models import User
    from apps.retention.models import TeacherNote
    from apps.students.models import Child, Enrolment, EnrolmentEvent

    rng = random.Random(16)
    admin = User.objects.get(username="bench")
    autumn = [D(2025, 9, 8) + datetime.timedelta(days=d) for d in range(82)]
    autumn = [d for d in autumn if d.weekday() != 6]
    per_student = absences / students
    done = 0
    while done < students:
        n = min(CHUNK, students - done)
        with transaction.atomic():
            children = Child.objects.bulk_create(
                [
                    Child(
                        full_name=f"HS {done + i}",
                        name_folded=f"hs {done + i}",
                        birth_year=2015 - rng.randint(0, 5),
                        sex="MF"[i % 2],
                        commune_id=schools[(done + i) % len(schools)].location_id,
                        poor=i % 13 == 0,
                        orphan=i % 97 == 0,
                        disability=i % 61 == 0,
                    )  # fmt: skip
                    for i in range(n)
                ],
                batch_size=5000,
            )
            enrolments = Enrolment.objects.bulk_create(
                [
                    Enrolment(
                        child=c,
                        school=schools[(done + i) % len(schools)],
                        year=year,
                        grade=str(
                            rng.randint(1, 5) if schools[(done + i) % len(schools)].levels == 4 else rng.randint(6, 9)
                        ),
                        start_year=2025,
                        ongoing=True,
                    )  # fmt: skip
                    for i, c in enumerate(children)
                ],
                batch_size=5000,
            )
            EnrolmentEvent.objects.bulk_create(
                [EnrolmentEvent(enrolment=e, kind="enrolled", on=D(2025, 9, 5)) for e in enrolments], batch_size=5000
            )
            rows = []
            now = datetime.datetime(2025, 11, 28, 12, tzinfo=datetime.UTC)
            for e in enrolments:
                often = rng.random() < 0.1
                k = min(len(autumn), max(0, int(rng.gauss(per_student * (4 if often else 0.67), 2))))
                for day in rng.sample(autumn, k):
                    rows.append((e.pk, day, rng.random() < 0.4, admin.pk, now))
            with connection.cursor() as cursor:  # the absences by plain executemany: the load is not what is measured
                cursor.executemany(INSERT_ABSENCE, rows)
            TeacherNote.objects.bulk_create(
                [
                    TeacherNote(
                        enrolment=e, text="…", family_difficulty=True, written_by=admin, written_on=D(2025, 10, 1)
                    )
                    for e in enrolments[::50]
                ]
            )
        done += n


def analyse(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200_000)
    parser.add_argument("--absences", type=int, default=None)
    args = parser.parse_args()
    absences = args.absences if args.absences is not None else args.students * 10
    # SQLite's database is a file of its own (about 325 MB at full size), removed when the run ends
    with tempfile.TemporaryDirectory(prefix="dentruong-bench-retention-") as work:
        if not os.environ.get("DATABASE_URL"):
            os.environ["DATABASE_URL"] = f"sqlite:///{Path(work) / 'bench.sqlite3'}"
        else:
            _fresh_postgres_database()
        vendor = "PostgreSQL" if os.environ["DATABASE_URL"].startswith("postgres") else "SQLite"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        measure(args.students, absences, vendor)
        connections.close_all()


def measure(students: int, absences: int, vendor: str) -> None:
    """Load the province into the database set up, time the floor and the job, print the ratios."""
    from django.db import connection

    from apps.retention.jobs import daily_recompute
    from apps.students.records import Absence

    schools, year = make_province(max(10, students // 2000))
    print(f"{vendor}: {students:,} students in {len(schools)} schools, ~{absences:,} absence rows", flush=True)
    load_s, _ = timed(load, students, absences, schools, year)
    analyse(connection)
    print(f"  load      {load_s:8.1f} s  ({Absence.objects.count():,} absence rows)", flush=True)

    def floor(day=DAY):
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [False, day - datetime.timedelta(days=29), day, year.pk, True])
            return len(cursor.fetchall())

    def floor_next():
        return floor(NEXT)

    floor_s, grouped = best(floor)  # warm, as the jobs run warm after their first time
    print(f"  floor     {floor_s:8.2f} s  ({grouped:,} students with an unexcused day in the window)", flush=True)

    def daily():
        return daily_recompute(DAY)

    def again():
        return daily_recompute(DAY)

    def next_day():
        return daily_recompute(NEXT)

    daily_s, result = best(daily, job=True)
    print(f"  daily     {daily_s:8.2f} s  {daily_s / floor_s:5.1f}× floor  ({result})", flush=True)
    writing_s, written = best(first_run_writes(year.pk), job=True)
    print(f"  writing   {writing_s:8.2f} s  {writing_s / floor_s:5.1f}× floor  ({written:,} flags)", flush=True)
    again_s, result = best(again, job=True)
    print(f"  again     {again_s:8.2f} s  {again_s / floor_s:5.1f}× floor  ({result})", flush=True)
    next_floor_s, _ = best(floor_next)
    next_s, result = best(next_day, job=True)
    print(
        f"  next day  {next_s:8.2f} s  {next_s / next_floor_s:5.1f}× that day's floor {next_floor_s:.2f} s  ({result})"
    )
    print(
        f"ratio daily/floor {daily_s / floor_s:.1f}, again/floor {again_s / floor_s:.1f}, "
        f"next day/floor {next_s / next_floor_s:.1f} (aim ≤ 2)"
    )
    print(
        f"bound daily ≥ floor + writing = {1 + writing_s / floor_s:.1f}× floor, "
        f"daily/(floor + writing) {daily_s / (floor_s + writing_s):.1f}"
    )
    # CPU time does not count the waits of a busy machine: SQLite's runs in the process; PostgreSQL's is the process's
    # and the backend's (when the server runs here)
    if vendor == "SQLite" or backend_stat():
        cpu_floor = max(CPU["floor"], 1e-9)
        print(f"cpu   floor {CPU['floor']:.3f} s, daily/floor {CPU['daily'] / cpu_floor:.1f}", end="")
        print(f", again/floor {CPU['again'] / cpu_floor:.1f}", end="")
        print(f", next day/floor {CPU['next_day'] / max(CPU['floor_next'], 1e-9):.1f}")


def first_run_writes(year):
    """The first run's writes alone, as a job for `best` (the bench's `writing`): its flags (left by its committed
    run: the flags in force of the year's enrolments) put aside and deleted (untimed, the table vacuumed on
    PostgreSQL), then the same rows inserted again by one INSERT…SELECT with the values already worked out (on
    PostgreSQL their keys checked by `best`). The last run commits: the table is left as the first run left it. The
    job returns the number of flags written."""
    from django.db import connection

    from apps.retention.models import RiskFlag
    from apps.retention.services import FLAG_COLUMNS

    qn = connection.ops.quote_name
    flags = qn(RiskFlag._meta.db_table)
    columns = ", ".join(qn(c) for c in FLAG_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_written")
        of_year = f"{qn('current')} AND {qn('enrolment_id')} IN (SELECT id FROM students_enrolment WHERE year_id = %s)"
        cursor.execute(f"CREATE TEMPORARY TABLE bench_written AS SELECT {columns} FROM {flags} WHERE {of_year}", [year])
        cursor.execute(f"DELETE FROM {flags} WHERE {of_year}", [year])
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute(f"VACUUM ANALYZE {flags}")
        cursor.execute("SELECT COUNT(*) FROM bench_written")
        (n,) = cursor.fetchone()

    def writing():
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {flags} ({columns}) SELECT {columns} FROM bench_written ORDER BY 1")
        return n

    return writing


def _fresh_postgres_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    base, _sep, _name = url.rpartition("/")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS dentruong_bench_retention")
        conn.execute("CREATE DATABASE dentruong_bench_retention")
    os.environ["DATABASE_URL"] = f"{base}/dentruong_bench_retention"


if __name__ == "__main__":
    main()
