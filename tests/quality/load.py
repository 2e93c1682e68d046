"""The load scenario of `make check-long`: a fresh database with the demo data (SQLite in a temporary folder, or the
PostgreSQL that DATABASE_URL names), served on loopback (SQLite: the development server; PostgreSQL: gunicorn),
and locust (its own environment, var/locust-venv) headless for a fixed time with the cast browsing lists, a child's
page, exports and the API (tests/quality/locustfile.py), and two principals uploading a small roster and reading its
preview (the task worker runs beside the server and checks the files, as `make run` has it). Prints requests/s,
p50/p95/p99 and errors, and each group apart (pages, exports, API, imports); exits 1 on any error or a p95 over
LOAD_P95_MS.

The pages each member browses are read from the apps' scope routes (`apps/<app>/tests/scope_routes.py`: every GET
page or API list without an object in its address, and the child's page), kept when the member opens them with 200
(a page their role does not give, or that needs a query, 4xx, is left out; any other answer stops the run): a page
added later joins without an edit.

    .venv/bin/python tests/quality/load.py            # LOAD_USERS=50 LOAD_TIME=60s LOAD_P95_MS=…
"""

import csv
import json
import logging
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
USERS = int(os.environ.get("LOAD_USERS", "50"))
RUN_TIME = os.environ.get("LOAD_TIME", "60s")
# Absolute: locust runs in the served copy's folder, where a path relative to the caller's (the Makefile passes
# var/locust-venv/bin/locust) names nothing.
LOCUST = os.path.abspath(os.environ.get("LOCUST", str(ROOT / "var" / "locust-venv" / "bin" / "locust")))
IMPORTER = "hieutruong.tranam"  # a principal: the one of the cast who uploads rosters (locustfile's Importer)
MEMBERS = ["hieutruong.tranam", "giaovien.tranam", "giaovien.phudong", "xa.tralinh", "so.gddt", "khuyenhoc.tralinh"]
# The bounds on the 95th percentile, in ms: LOAD_P95_MS on the pages (lists, dashboards, the home page, the child's
# page), LOAD_P95_ALL_MS on every answer (the exports, which build workbooks, and the API included). With PostgreSQL
# and gunicorn the pages' bound is the issue's aim, 150 ms; the development server (SQLite) is not a production
# server and gets twice that. They hold on a quiet machine (README, "Load": 67 and 87 ms on 2 CPUs); on a machine
# busy with other work the run fails them, and LOAD_P95_MS / LOAD_P95_ALL_MS raise them to measure there.
POSTGRES = bool(os.environ.get("DATABASE_URL"))
P95_BOUND_MS = float(os.environ.get("LOAD_P95_MS", "150" if POSTGRES else "300"))
P95_ALL_BOUND_MS = float(os.environ.get("LOAD_P95_ALL_MS", "300"))
# gunicorn's sync workers, 2 × CPUs + 1 (gunicorn's own advice; 5 on this machine): while one waits on PostgreSQL
# another computes. Each closes its connection after the answer, so no keep-alive races a user's 1–3 s wait.
WORKERS = int(os.environ.get("LOAD_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
EXPORTS = ("export", "xlsx", "csv", "docx", "pdf")  # in the route's name: a file built for download


def group_of(name: str) -> str:
    """ "api", "exports", "imports" (the importers' uploads and previews, named "import:…" by the locustfile) or
    "pages" (lists, dashboards, the home page, the child's page) for a request's name."""
    if name.startswith("import:"):
        return "imports"
    if name.startswith("api:"):
        return "api"
    return "exports" if any(word in name for word in EXPORTS) else "pages"


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile, 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def plan(password: str) -> dict:
    """{username: {"pages": [[name, url]…], "api": [[name, url]…], "token": …}} for each member of the demo."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dentruong.settings")
    django.setup()
    logging.disable(logging.WARNING)  # the pages left out are logged as refused
    from django.conf import settings
    from django.test import Client

    from apps.accounts.models import User
    from apps.accounts.services import api_token_create

    members = {}
    for username in MEMBERS:
        user = User.objects.get(username=username)
        _token, secret = api_token_create(actor=user, name="load")
        client = Client()
        client.force_login(user)
        pages, exports, api = [], [], []
        for name, url in member_urls(user):
            is_api = name.startswith("api:")
            answer = client.get(url, headers={"Authorization": f"Bearer {secret}"} if is_api else {})
            if 400 <= answer.status_code < 500:  # not for this role, or needs more than an address (a query)
                continue
            if answer.status_code != 200:
                raise SystemExit(f"{username} {url}: {answer.status_code} before the load started")
            {"api": api, "exports": exports, "pages": pages}[group_of(name)].append([name, url])
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        members[username] = {"pages": pages, "exports": exports, "api": api, "token": secret, "session": session}
        print(f"  {username}: {len(pages)} pages, {len(exports)} exports, {len(api)} API lists")
    importer = User.objects.get(username=IMPORTER)
    return {
        "password": password,
        "members": members,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "import": roster_upload(importer, members[IMPORTER]["session"]),
    }


def member_urls(user) -> list[tuple[str, str]]:
    """(route name, address) of each page and API list `user` may be sent to: every GET route of the scope table
    without an object in its address (those whose address needs more than a name, as imports:new needs its kind, are
    left out), and the child's page and API record of the first child in the user's scope. Which of them the user
    opens with 200 is for the caller to try. Shared with bench/pages.py, so both measure the same pages."""
    from django.urls import NoReverseMatch, reverse

    from apps.students.models import Child
    from tests.test_scope_walk import ROUTES

    listed = [name for name, (method, kind, need) in ROUTES.items() if method == "GET" and kind is None]
    urls = []
    for name in listed:
        if ROUTES[name][2] in ("skip", "public") or name == "logout":
            continue
        try:
            urls.append((name, reverse(name)))
        except NoReverseMatch:
            continue
    child = Child.objects.restrict(user).order_by("pk").first()
    if child:
        urls += [("students:child", reverse("students:child", args=[child.pk]))]
        urls += [("api:get_child", reverse("api:get_child", args=[child.pk]))]
    return urls


def roster_upload(user, session: str) -> dict:
    """The importers' upload: a small class roster (the importers' tests' file, a few rows) for the principal's
    school and the current year, tried once here (the form must answer 302 to the job's page, as under load)."""
    import base64

    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from apps.core.scoping import MANAGE, VIEW
    from apps.schools.models import School, SchoolYear
    from apps.students.tests.test_importers import ROWS, roster

    school = School.objects.restrict(user, MANAGE).order_by("name").first()  # the form's preselected school
    years = SchoolYear.objects.restrict(user, VIEW).order_by("-start_year")  # the form's preselected year
    year = years.containing(timezone.localdate()).first() or years.first()
    url = reverse("imports:new", args=["students.roster"])
    data, content = {"school": school.pk, "year": year.pk}, roster(ROWS)
    client = Client()
    client.force_login(user)
    answer = client.post(url, {**data, "file": _named(content)})
    if answer.status_code != 302:
        raise SystemExit(f"{user.username} {url}: {answer.status_code} for the roster before the load started")
    return {"url": url, "data": data, "file": base64.b64encode(content).decode(), "session": session}


def _named(content: bytes):
    import io

    file = io.BytesIO(content)
    file.name = "danh-sach-lop.xlsx"
    return file


def serve(env: dict, port: int, vendor: str, log) -> subprocess.Popen:
    if vendor == "postgresql":
        # As the README's production section runs it: sync workers, which close each connection after its answer (a
        # threaded worker's 2 s keep-alive drops connections a client, waiting 1–3 s, reuses: errors of the test).
        # The database connections persist (CONN_MAX_AGE, with health checks: settings.py).
        command = [str(Path(sys.executable).with_name("gunicorn")), "dentruong.wsgi", "-b", f"127.0.0.1:{port}"]
        command += ["--workers", str(WORKERS), "--no-control-socket", "--access-logfile", "-"]
    else:
        command = [sys.executable, "manage.py", "runserver", "--noreload", "--nostatic", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5)  # noqa: S310 - loopback
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"the server stopped ({server.returncode}); see {log.name}") from None
            time.sleep(1)
    raise SystemExit("the server did not answer within 2 minutes")


def figures(prefix: Path, times: Path) -> dict:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    slow = sorted((r for r in rows if r["Name"] != "Aggregated"), key=lambda r: -float(r["95%"] or 0))[:5]
    with open(f"{prefix}_failures.csv", encoding="utf-8") as f:
        failures = [f"{r['Occurrences']}× {r['Name']}: {r['Error']}"[:300] for r in csv.DictReader(f)]
    groups = {"pages": [], "exports": [], "api": [], "imports": []}
    for name, ms, _failed in json.loads(times.read_text(encoding="utf-8")) if times.exists() else []:
        groups[group_of(name)].append(ms)
    return {"total": total, "slow": slow, "failures": failures, "groups": groups}


def main() -> int:
    if not Path(LOCUST).exists():
        raise SystemExit(f"{LOCUST} is missing: `make check-long` makes var/locust-venv from requirements-load.txt")
    work = Path(tempfile.mkdtemp(prefix="dentruong-load-"))
    env = {**os.environ, "DJANGO_DEBUG": "false", "DJANGO_SETTINGS_MODULE": "dentruong.settings"}
    if not env.get("DATABASE_URL"):
        env["SQLITE_PATH"] = str(work / "demo.sqlite3")
    os.environ.update(env)
    vendor = "postgresql" if env.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    started = time.monotonic()
    print(f"Load: the demo data on {vendor} ({work})")
    seeded = os.environ.get("LOAD_SEEDED_SQLITE")  # a copy of a database seeded before (to try the scenario again)
    if seeded and vendor == "sqlite":
        shutil.copyfile(seeded, env["SQLITE_PATH"])
    else:
        manage(env, "migrate", "--no-input")
        manage(env, "load_admin_units")
        manage(env, "seed_demo", "--province", os.environ.get("DEMO_PROVINCE", "48"))
    print(f"  seeded in {time.monotonic() - started:.0f} s")
    from django.conf import settings

    (work / "plan.json").write_text(json.dumps(plan(settings.DEMO_PASSWORD)), encoding="utf-8")
    port = free_port()
    with open(work / "server.log", "w") as log:
        server = serve(env, port, vendor, log)
        # The worker checks the uploaded rosters (without it the job's page shows "checking" forever).
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--no-reload"], cwd=ROOT, env=env, stdout=log, stderr=log
        )
        try:
            locust = [LOCUST, "-f", str(ROOT / "tests" / "quality" / "locustfile.py"), "--headless", "--only-summary"]
            locust += ["-u", str(USERS), "-r", str(max(1, USERS // 10)), "-t", RUN_TIME, "--stop-timeout", "10"]
            locust += ["--host", f"http://127.0.0.1:{port}", "--csv", str(work / "load"), "--loglevel", "WARNING"]
            times = {"LOAD_PLAN": str(work / "plan.json"), "LOAD_TIMES": str(work / "times.json")}
            load_before = os.getloadavg()[0]
            subprocess.run(locust, env={**env, **times}, cwd=work, check=False)
        finally:
            for process in (worker, server):
                process.terminate()
                process.wait(timeout=30)
    found = figures(work / "load", work / "times.json")
    load_after = os.getloadavg()[0]
    total = found["total"]
    errors = int(total["Failure Count"])
    p95 = float(total["95%"])
    server_kind = f"gunicorn ({WORKERS} sync workers)" if vendor == "postgresql" else "the development server"
    print(
        f"\nLoad ({vendor}, {server_kind}, {USERS} users, {RUN_TIME}): {total['Request Count']} requests, "
        f"{float(total['Requests/s']):.1f} requests/s, p50 {total['50%']} ms, p95 {total['95%']} ms, "
        f"p99 {total['99%']} ms, {errors} errors (bound: 0 errors, p95 ≤ {P95_ALL_BOUND_MS:.0f} ms); "
        f"load average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} CPUs"
    )
    labels = {"pages": "lists and dashboards", "exports": "exports", "api": "API", "imports": "imports"}
    for group, times in found["groups"].items():
        bound = f" (bound: p95 ≤ {P95_BOUND_MS:.0f} ms)" if group == "pages" else ""
        print(
            f"  {labels[group]}: {len(times)} requests, p50 {percentile(times, 50):.0f} ms, "
            f"p95 {percentile(times, 95):.0f} ms, p99 {percentile(times, 99):.0f} ms{bound}"
        )
    for row in found["slow"]:
        name, count = row["Name"], row["Request Count"]
        print(f"  slowest p95: {name}: p50 {row['50%']} ms, p95 {row['95%']} ms ({count} requests)")
    for line in found["failures"][:10]:
        print(f"  error: {line}")
    pages_p95 = percentile(found["groups"]["pages"], 95)
    if not found["groups"]["pages"]:
        print("Load: FAILED (no page's time was recorded)")
        return 1
    over = []
    if pages_p95 > P95_BOUND_MS:
        over.append(f"the pages' p95 {pages_p95:.0f} ms over {P95_BOUND_MS:.0f} ms")
    if p95 > P95_ALL_BOUND_MS:
        over.append(f"the p95 of every answer {p95:.0f} ms over {P95_ALL_BOUND_MS:.0f} ms")
    if errors or over:
        print("Load: FAILED" + (f" ({errors} errors)" if errors else "") + "".join(f" ({o})" for o in over))
        return 1
    print("Load: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
