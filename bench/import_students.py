"""Benchmark: import a province's roster export (200,000 rows, about 100 schools, a school column) end to end,
next to a floor measured in the same run on the same database.

    .venv/bin/python bench/import_students.py [--rows N] [--schools N]      # SQLite (a fresh file in /tmp)
    DATABASE_URL=postgres://... .venv/bin/python bench/import_students.py   # PostgreSQL (a fresh database)
    make bench                                                              # both, PostgreSQL thrown away after

Each step runs in its own process, so its peak memory (maximum resident set) is its own:
  floor     python-calamine reads the file; the same rows go into the same tables (children, enrolments, their
            events, one audit event) by raw `executemany` (SQLite) or `COPY` (PostgreSQL): no checks at all;
  orm       the same rows through Django's `bulk_create` (for reference);
  import    `plan_roster` + `apply_roster`: every check, matching, the batched writes — what users run;
  reimport  the same file again: matches everything, changes nothing.
The tables are emptied between steps (not timed). Ratios are to the floor. The aim: import and re-import ≤ 2×
floor, their peak memory (over all processes) within 10% of the floor's own, re-import cheaper than import.
"""

import argparse
import datetime
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dentruong.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")  # as in production: no query log (every step runs so)

FAMILY = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương".split()
MIDDLE = {"M": "Văn Minh Quốc Đức Hữu Công Thành Anh".split(), "F": "Thị Ngọc Thu Thanh Kim Mỹ Bảo Phương".split()}
GIVEN = {
    "M": "An Bình Cường Dũng Đạt Hải Hiếu Hùng Khang Khoa Long Minh Nam Phúc Quân Sơn Tài Thắng Trí Tuấn Vinh".split(),
    "F": "Anh Chi Diệp Giang Hà Hạnh Hoa Hương Lan Linh Mai My Ngân Nhi Oanh Phương Quỳnh Thảo Trang Vy Yến".split(),
}
HEADER = [
    "STT",
    "Mã trường",
    "Tên trường",
    "Mã học sinh",
    "Mã định danh Bộ GD&ĐT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Số định danh cá nhân",
    "Lớp",
    "Thôn/xóm",
    "Xã/Phường",
    "Tỉnh/Thành phố",
    "Hộ nghèo",
    "Trạng thái",
    "Họ tên cha",
    "Họ tên mẹ",
    "Số điện thoại liên hệ",
]
TABLES = ["students_enrolmentevent", "students_guardian", "students_enrolment", "students_classgroup", "students_child"]


def django_setup():
    import django

    django.setup()


def cpu_seconds() -> float:
    """The CPU time (user and system) of this process, of the children it waited for and, on a PostgreSQL server of
    this machine, of the step's server process: on a shared machine the wall time of a step depends on the others'
    load, its CPU time much less (the server's background writers and autovacuum are not in it)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + _server_cpu()


def _server_cpu() -> float:
    """The CPU time of this connection's PostgreSQL backend when the server runs here (`/proc`), else 0."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return 0.0
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime and stime, in clock ticks


def peak_mb() -> float:
    """The step's peak over all its processes: its own maximum resident set, plus the largest of any child it
    waited for (a reader forked for an .xls or .ods file) — an upper bound, as if both peaked at once."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


# ---- set-up: schema, the province's units, 100 schools, a school year, the file --------------------------------


def setup(args) -> None:
    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_admin_units", province="48", verbosity=0)
    from apps.accounts.models import User
    from apps.core.text import fold
    from apps.orgunits.models import OrgUnit
    from apps.schools.models import Level, School, SchoolYear
    from apps.schools.services import managing_unit, school_year_create

    admin = User.objects.filter(username="bench").first() or User.objects.create_superuser("bench", password=None)
    province = OrgUnit.objects.current().get(level=OrgUnit.Level.PROVINCE, code="48")
    if not SchoolYear.objects.filter(province=province, start_year=2025).exists():
        school_year_create(actor=admin, province=province, start_year=2025)
    communes = list(OrgUnit.objects.current().filter(parent=province).order_by("code"))
    rng = random.Random(48)
    schools = []
    for n in range(args.schools):
        commune = communes[n % len(communes)]
        levels = Level.PRIMARY if n % 2 == 0 else Level.LOWER_SECONDARY
        kind = "Tiểu học" if levels == Level.PRIMARY else "THCS"
        name = f"Trường {kind} Số {n + 1} {commune.name}"
        schools.append(
            School(
                moet_code=f"48{n + 900000:06d}",
                name=name,
                name_folded=fold(name),
                levels=levels,
                location=commune,
                managed_by=managing_unit(location=commune, levels=levels),
            )
        )
    School.objects.bulk_create(schools, ignore_conflicts=True)
    old = _old_addresses(communes)
    Path(args.file).write_bytes(
        _workbook(args.rows, list(School.objects.filter(moet_code__startswith="489")), old, rng)
    )


def _old_addresses(communes) -> dict[int, list[str]]:
    """For each of today's communes, the pre-2025 addresses ("xã, huyện, tỉnh") that name only it."""
    from apps.orgunits.models import OrgUnitSuccession

    links = OrgUnitSuccession.objects.filter(successor__in=communes).select_related(
        "predecessor__parent__parent", "predecessor"
    )
    successors: dict[int, set[int]] = {}
    for link in OrgUnitSuccession.objects.filter(predecessor__in=[k.predecessor_id for k in links]):
        successors.setdefault(link.predecessor_id, set()).add(link.successor_id)
    old: dict[int, list[str]] = {}
    for link in links:
        unit = link.predecessor
        district = unit.parent
        if len(successors.get(unit.pk, ())) == 1 and district is not None and district.parent is not None:
            old.setdefault(link.successor_id, []).append(f"{unit.name}, {district.name}, {district.parent.name}")
    return old


def _workbook(rows: int, schools, old, rng) -> bytes:
    """A province export as the sector database gives it: title rows, a merged group heading over a two-row
    header, date cells mixed with text dates and bare years, IDs as numbers (lost leading zeros), "x" marks,
    current and pre-2025 addresses, a signature under the table."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("Danh sach")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write(0, 0, "SỞ GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ ĐÀ NẴNG")
    sheet.write(1, 0, "DANH SÁCH HỌC SINH NĂM HỌC 2025 - 2026")
    sheet.merge_range(3, 16, 3, 18, "Thông tin cha mẹ")
    sheet.write_row(4, 0, HEADER)
    per_school = -(-rows // len(schools))
    pid_serial = 0
    for i in range(rows):
        school = schools[i // per_school]
        primary = school.levels == 4  # Level.PRIMARY
        grade = rng.randint(1, 5) if primary else rng.randint(6, 9)
        year = 2025 - (grade + 5)
        sex = rng.choice("MF")
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
        born = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        pid_serial += 1
        pid = f"048{2 + (sex == 'F')}{year % 100:02d}{pid_serial:06d}" if rng.random() < 0.7 else ""
        residence = school.location
        address = rng.choice(old[residence.pk]) if residence.pk in old and rng.random() < 0.3 else None
        status = "Thôi học" if rng.random() < 0.01 else ("Chuyển đến" if rng.random() < 0.02 else "Đang học")
        r = 5 + i
        sheet.write_number(r, 0, i + 1)
        sheet.write_string(r, 1, school.moet_code)
        sheet.write_string(r, 2, school.name)
        sheet.write_string(r, 3, f"HS{i + 1:07d}")
        sheet.write_string(r, 4, f"{4800000000 + i}" if rng.random() < 0.5 else "")
        sheet.write_string(r, 5, name)
        kind = rng.random()
        if kind < 0.8:
            sheet.write_datetime(r, 6, datetime.datetime.combine(born, datetime.time()), date_format)
        elif kind < 0.97:
            sheet.write_string(r, 6, born.strftime("%d/%m/%Y"))
        else:
            sheet.write_string(r, 6, str(year))
        sheet.write_string(r, 7, "Nam" if sex == "M" else "Nữ")
        sheet.write_string(r, 8, "Kinh" if rng.random() < 0.9 else "Cơ Tu")
        if pid:
            sheet.write_number(r, 9, int(pid))  # the leading zero is lost, as in real exports
        sheet.write_string(r, 10, f"{grade}/{rng.randint(1, 8)}")
        sheet.write_string(r, 11, f"Thôn {rng.randint(1, 9)}")
        if address:
            sheet.write_string(r, 12, address)
        else:
            sheet.write_string(r, 12, residence.name)
            sheet.write_string(r, 13, "Đà Nẵng")
        sheet.write_string(r, 14, "x" if rng.random() < 0.05 else "")
        sheet.write_string(r, 15, status)
        sheet.write_string(r, 16, f"{name.split()[0]} Văn {rng.choice(GIVEN['M'])}")
        sheet.write_string(r, 17, f"{rng.choice(FAMILY)} Thị {rng.choice(GIVEN['F'])}")
        sheet.write_string(r, 18, f"09{rng.randint(10_000_000, 99_999_999)}")
    sheet.write(6 + rows, 14, "Người lập biểu")
    book.close()
    return buffer.getvalue()


# ---- the steps ---------------------------------------------------------------------------------------------------


def _context():
    from apps.accounts.models import User
    from apps.schools.models import School, SchoolYear

    year = SchoolYear.objects.get(province__code="48", start_year=2025)
    return User.objects.get(username="bench"), year, {s.moet_code: s for s in School.objects.all()}


def _timed_count_refresh() -> list:
    """Time the indicator engine's count refresh (its after-write hook) inside the import's write."""
    from apps.indicators import counts
    from apps.students import hooks

    spent = [0.0]

    def timed(ids):
        start = time.perf_counter()
        counts.on_enrolments(ids)
        spent[0] += time.perf_counter() - start

    hooks.remove(counts.on_enrolments)
    hooks.after_enrolments(timed)
    return spent


def step_import(args) -> dict:
    django_setup()
    from apps.students.importers import apply_roster, plan_roster

    actor, year, _schools = _context()
    refresh = _timed_count_refresh()
    start, cpu = time.perf_counter(), cpu_seconds()
    data = Path(args.file).read_bytes()
    plan = plan_roster(actor=actor, filename="tinh-48.xlsx", data=data, year=year)
    planned = time.perf_counter() - start
    if plan.errors or plan.questions:
        return {"error": f"{len(plan.errors)} errors, {len(plan.questions)} questions: {plan.errors[:3]}"}
    result = apply_roster(actor=actor, plan=plan)
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": cpu_seconds() - cpu,
        "check_seconds": planned,
        "refresh_seconds": refresh[0],
        "rows": len(plan.rows),
        "children": result.created_children,
        "enrolments": result.created_enrolments,
        "events": result.events,
        "updated": result.updated,
    }


def _raw_rows():
    """The file as python-calamine gives it, each data row as the values to insert (no checks)."""
    from python_calamine import CalamineWorkbook

    from apps.core.text import fold

    sheet = CalamineWorkbook.from_path(ARGS.file).get_sheet_by_index(0).to_python(skip_empty_area=False)
    for row in sheet[5:]:
        if not row[5]:
            continue
        born = row[6]
        if isinstance(born, datetime.datetime):
            born = born.date()
        if isinstance(born, str):
            born = datetime.datetime.strptime(born, "%d/%m/%Y").date() if "/" in born else None
        year = born.year if born else int(row[6])
        grade = row[10].split("/")[0]
        yield (row[1], row[3], row[5], fold(row[5]), born, year, row[7], row[9], row[4], grade)


def step_floor(args) -> dict:
    django_setup()
    from django.db import connection, transaction

    actor, year, schools = _context()
    communes = {code: s.location_id for code, s in schools.items()}
    ids = {code: s.pk for code, s in schools.items()}
    start, cpu = time.perf_counter(), cpu_seconds()
    children, enrolments, events = [], [], []
    now = datetime.datetime.now(datetime.UTC)
    for n, (moet, code, name, folded, born, by, sex, pid, lid, grade) in enumerate(_raw_rows(), start=1):
        pid = f"{int(pid):012d}" if pid else None
        children.append(
            (n, name, folded, born, by, "M" if sex == "Nam" else "F", "01", pid, lid or None, communes[moet], now)
        )
        enrolments.append((n, n, ids[moet], year.pk, grade, code))
        events.append((n, "enrolled", year.opening_day, actor.pk, now))
    child_cols = (
        "id, full_name, name_folded, birth_date, birth_year, sex, ethnicity, personal_id, learner_id, commune_id, "
        "created_at"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        defaults = {
            "students_child": (
                child_cols + ", address_as_written, poor, near_poor, orphan, disability, remote_area, consent",
                lambda r: (*r, "", False, False, False, False, False, "public_duty"),
                children,
            ),
            "students_enrolment": (  # start_year and ongoing: the columns the schema requires, as constants
                "id, child_id, school_id, year_id, grade, student_code, health_insurance, start_year, ongoing",
                lambda r: (*r, False, year.start_year, True),
                enrolments,
            ),
            "students_enrolmentevent": (
                "enrolment_id, kind, on, recorded_by_id, recorded_at, reason, reason_text, other_school",
                lambda r: (*r, "", "", ""),
                events,
            ),
        }
        for table, (columns, full, rows) in defaults.items():
            columns = ", ".join(connection.ops.quote_name(c.strip()) for c in columns.split(","))
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(full(row))
            else:
                marks = ", ".join(["%s"] * len(columns.split(",")))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", [full(r) for r in rows])
        if connection.vendor == "postgresql":
            for table in ("students_child", "students_enrolment"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        from apps.core.audit import audit_record
        from apps.core.models import AuditEvent

        audit_record(actor=actor, action="bench.floor", kind=AuditEvent.Kind.BULK, object_type="students.enrolment")
    return {"seconds": time.perf_counter() - start, "cpu_seconds": cpu_seconds() - cpu, "rows": len(children)}


def step_orm(args) -> dict:
    django_setup()
    from django.db import transaction

    from apps.core.audit import audit_record
    from apps.core.models import AuditEvent
    from apps.students.models import Child, Enrolment, EnrolmentEvent

    actor, year, schools = _context()
    start, cpu = time.perf_counter(), cpu_seconds()
    rows = list(_raw_rows())
    with transaction.atomic():
        children = [
            Child(
                full_name=name,
                name_folded=folded,
                birth_date=born,
                birth_year=by,
                sex="M" if sex == "Nam" else "F",
                personal_id=f"{int(pid):012d}" if pid else None,
                learner_id=lid or None,
                commune_id=schools[moet].location_id,
            )
            for moet, _code, name, folded, born, by, sex, pid, lid, _grade in rows
        ]
        Child.objects.bulk_create(children, batch_size=1000)
        enrolments = [
            Enrolment(
                child=child, school=schools[r[0]], year=year, grade=r[9], student_code=r[1], start_year=year.start_year
            )
            for child, r in zip(children, rows, strict=True)
        ]
        Enrolment.objects.bulk_create(enrolments, batch_size=1000)
        EnrolmentEvent.objects.bulk_create(
            [EnrolmentEvent(enrolment=e, kind="enrolled", on=year.opening_day, recorded_by=actor) for e in enrolments],
            batch_size=1000,
        )
        audit_record(actor=actor, action="bench.orm", kind=AuditEvent.Kind.BULK, object_type="students.enrolment")
    return {"seconds": time.perf_counter() - start, "cpu_seconds": cpu_seconds() - cpu, "rows": len(rows)}


def step_empty(args) -> dict:
    django_setup()
    from django.db import connection

    from apps.retention.models import DropoutCase

    with connection.cursor() as cursor:
        # The import opens a dropout case for each child whose status is "dropped out" (retention's hook).
        cursor.execute(f"DELETE FROM {DropoutCase._meta.db_table}")
        for table in TABLES:
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute("DELETE FROM core_auditevent WHERE action LIKE 'bench.%%' OR action = 'students.roster_import'")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
    return {}


STEPS = {"floor": step_floor, "orm": step_orm, "import": step_import, "reimport": step_import, "empty": step_empty}


def run_step(name: str, args) -> dict:
    command = [sys.executable, __file__, "--step", name, "--file", args.file, "--rows", str(args.rows)]
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--schools", type=int, default=100)
    parser.add_argument("--no-orm", action="store_true", help="leave out the bulk_create reference (a quicker run)")
    parser.add_argument("--step", choices=[*STEPS, "setup"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = ARGS = parser.parse_args()
    if args.step:
        if args.step == "setup":
            setup(args)
            print(json.dumps({}))
            return
        result = STEPS[args.step](args)
        result["peak_mb"] = peak_mb()
        print(json.dumps(result))
        return
    work = Path(tempfile.mkdtemp(prefix="dentruong-bench-"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    else:
        _fresh_postgres_database()
    os.environ.setdefault("IMPORT_MAX_ROWS", str(max(args.rows, 300_000)))
    args.file = str(work / "tinh-48.xlsx")
    vendor = "PostgreSQL" if os.environ["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"Generating {args.rows:,} rows for {args.schools} schools; database: {vendor}", flush=True)
    run_step("setup", args)
    print(f"File: {Path(args.file).stat().st_size / 1e6:.1f} MB", flush=True)
    results = {}
    for name in ("floor", "import", "reimport") if args.no_orm else ("floor", "orm", "import", "reimport"):
        if name != "reimport":
            run_step("empty", args)
        results[name] = run_step(name, args)
        if "error" in results[name]:
            sys.exit(f"{name}: {results[name]['error']}")
        r = results[name]
        print(
            f"  {name:<9} {r['seconds']:7.1f} s  cpu {r['cpu_seconds']:6.1f} s  peak {r['peak_mb']:6.0f} MB", flush=True
        )
    floor, floor_cpu = results["floor"]["seconds"], results["floor"]["cpu_seconds"]
    load = os.getloadavg()[0]
    print(f"\n{vendor}, {args.rows:,} rows ({results['import']['rows']:,} imported); load average {load:.1f}")
    print(f"{'step':<10}{'seconds':>9}{'× floor':>9}{'cpu s':>9}{'× floor':>9}{'peak MB':>9}")
    for name, r in results.items():
        cpu = r["cpu_seconds"]
        print(
            f"{name:<10}{r['seconds']:>9.1f}{r['seconds'] / floor:>9.2f}{cpu:>9.1f}{cpu / floor_cpu:>9.2f}"
            f"{r['peak_mb']:>9.0f}"
        )
    first, again = results["import"], results["reimport"]
    print(
        f"\nimport: check {first['check_seconds']:.1f} s, write {first['seconds'] - first['check_seconds']:.1f} s "
        f"(of which the count refresh {first['refresh_seconds']:.1f} s); "
        f"{first['children']:,} children, {first['enrolments']:,} enrolments, {first['events']:,} status events"
    )
    print(f"reimport changed: {again['children'] + again['enrolments'] + again['events'] + again['updated']} records")
    ceiling = results["floor"]["peak_mb"] * 1.1
    print(
        "aims: import and re-import ≤ 2× floor: {} (in CPU time: {}); their peaks within 10% of the floor's "
        "({:.0f} MB): {}; re-import cheaper: {}".format(
            "yes" if max(first["seconds"], again["seconds"]) <= 2 * floor else "no",
            "yes" if max(first["cpu_seconds"], again["cpu_seconds"]) <= 2 * floor_cpu else "no",
            ceiling,
            "yes" if max(first["peak_mb"], again["peak_mb"]) <= ceiling else "no",
            "yes" if again["seconds"] < first["seconds"] else "no",
        )
    )
    run_step("empty", args)


def _fresh_postgres_database() -> None:
    """Point DATABASE_URL at a new database beside the one given, so the benchmark never touches real data."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    base, _sep, _name = url.rpartition("/")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS dentruong_bench")
        conn.execute("CREATE DATABASE dentruong_bench")
    os.environ["DATABASE_URL"] = f"{base}/dentruong_bench"


ARGS = None

if __name__ == "__main__":
    main()
