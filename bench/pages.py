"""The CPU cost of each page of the load scenario (tests/quality/load.py), one request at a time: the ranking to
work from when a page is slow under load on a CPU-bound machine.

A fresh database gets the demo data (`migrate`, `load_admin_units`, `seed_demo`; SQLite in a temporary folder, or
the PostgreSQL that DATABASE_URL names), then for each member of load.py's MEMBERS and each page load.py would
have them visit (the scope routes' GET pages without an object in their address, and the child's page; those the
member opens with 200) the page is requested with Django's test client `--runs` times (after one warm-up). It
prints, slowest first, the median CPU time per request: this process's (`time.process_time`) and, on PostgreSQL,
the server backend's (its /proc/<pg_backend_pid()>/schedstat, or /proc/<pid>/stat's 10 ms ticks), with the
number of queries, and the total over all pages. CPU time rather than wall time: on a shared machine the wall time
is the others' load.

    .venv/bin/python bench/pages.py [--runs 5] [--top 15] [--all] [--seeded FILE.sqlite3] [--keep FILE.sqlite3]
    PGPORT=55443 scripts/with-postgres.sh .venv/bin/python bench/pages.py

--all adds the exports and the API lists (left out by default: the pages are what the load bound is about);
--keep copies the seeded SQLite file there and --seeded starts from such a copy (to compare before and after a
change without seeding again); --only NAME keeps the routes whose name contains NAME; --profile prints a cProfile
of the slowest page's requests.
"""

import argparse
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


TICK = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int | None) -> float:
    """Seconds of CPU the PostgreSQL backend `pid` has used (0 without one: SQLite runs in this process)."""
    if pid is None:
        return 0.0
    try:
        ns = int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
        if ns:
            return ns / 1e9
    except (OSError, ValueError, IndexError):
        pass
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--all", action="store_true", help="the exports and the API lists too")
    parser.add_argument("--seeded", help="a SQLite file seeded before (copied, not changed)")
    parser.add_argument("--keep", help="copy the seeded SQLite file here")
    parser.add_argument("--only", help="only the routes whose name contains this")
    parser.add_argument("--profile", action="store_true", help="a cProfile of the slowest page")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="dentruong-pages-"))
    env = {**os.environ, "DJANGO_DEBUG": "false", "DJANGO_SETTINGS_MODULE": "dentruong.settings"}
    postgres = env.get("DATABASE_URL", "").startswith("postgres")
    if not postgres:
        env["SQLITE_PATH"] = str(work / "demo.sqlite3")
    os.environ.update(env)
    started = time.monotonic()
    if args.seeded and not postgres:
        shutil.copyfile(args.seeded, env["SQLITE_PATH"])
        manage(env, "migrate", "--no-input")
    else:
        manage(env, "migrate", "--no-input")
        manage(env, "load_admin_units")
        manage(env, "seed_demo", "--province", os.environ.get("DEMO_PROVINCE", "48"))
        if args.keep and not postgres:
            shutil.copyfile(env["SQLITE_PATH"], args.keep)
    print(f"{'PostgreSQL' if postgres else 'SQLite'}: seeded in {time.monotonic() - started:.0f} s")

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.accounts.models import User
    from apps.accounts.services import api_token_create
    from tests.quality.load import MEMBERS, group_of, member_urls

    settings.DATABASES["default"]["CONN_MAX_AGE"] = None  # one backend for the whole run: its CPU is read by pid
    connection.settings_dict["CONN_MAX_AGE"] = None
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    def backend_pid() -> int | None:
        if not postgres:
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    rows = []  # (cpu ms, own ms, backend ms, queries, member, name)
    profiled = {}
    for username in MEMBERS:
        user = User.objects.get(username=username)
        _token, secret = api_token_create(actor=user, name="pages")
        client = Client()
        client.force_login(user)
        for name, url in member_urls(user):
            if not args.all and group_of(name) != "pages":
                continue
            if args.only and args.only not in name:
                continue
            headers = {"Authorization": f"Bearer {secret}"} if name.startswith("api:") else {}
            answer = client.get(url, headers=headers)  # the warm-up; and is it this member's page at all?
            if answer.status_code != 200:
                continue
            own, server, counts = [], [], []
            for _ in range(args.runs):
                pid = backend_pid()
                before, before_server = time.process_time(), backend_cpu(pid)
                with CaptureQueriesContext(connection) as queries:
                    client.get(url, headers=headers)
                own.append(time.process_time() - before)
                server.append(backend_cpu(pid) - before_server)
                counts.append(len(queries))
            total = [a + b for a, b in zip(own, server, strict=True)]
            rows.append(
                (
                    statistics.median(total) * 1000,
                    statistics.median(own) * 1000,
                    statistics.median(server) * 1000,
                    max(counts),
                    username,
                    name,
                )
            )
            profiled[(username, name)] = (client, url, headers)
    rows.sort(reverse=True)
    print(f"\n{'CPU ms':>8} {'app ms':>8} {'db ms':>7} {'queries':>7}  member / page  (median of {args.runs})")
    for cpu, own, server, count, username, name in rows[: args.top]:
        print(f"{cpu:8.1f} {own:8.1f} {server:7.1f} {count:7d}  {username} {name}")
    print(
        f"{sum(r[0] for r in rows):8.1f} {sum(r[1] for r in rows):8.1f} {sum(r[2] for r in rows):7.1f} "
        f"{sum(r[3] for r in rows):7d}  total over {len(rows)} pages"
    )
    if args.profile and rows:
        import cProfile
        import pstats

        client, url, headers = profiled[(rows[0][4], rows[0][5])]
        profile = cProfile.Profile(time.process_time)  # CPU, not the wall: others share the machine
        profile.enable()
        for _ in range(args.runs):
            client.get(url, headers=headers)
        profile.disable()
        print(f"\nProfile of {rows[0][4]} {url} ×{args.runs}")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
