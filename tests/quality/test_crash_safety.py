"""Crash safety: an import whose worker is killed (SIGKILL) halfway through its write leaves no row, and the next
worker, at its start, finds the task its dead predecessor left running and runs it again to the end. Real
processes on a real database file (SQLite) or database (PostgreSQL, when DATABASE_URL names one)."""

import json
import signal
import subprocess
import time

import pytest

pytestmark = pytest.mark.django_db  # the session's test database, of which the subprocesses get a copy

ROWS = 120


def wait_for(path, process, seconds=180):
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, f"the worker ended before the write: {process.communicate()}"
        assert time.monotonic() < deadline, "the worker never reached the import's write"
        time.sleep(0.1)
    time.sleep(0.2)  # the marker is written whole
    return json.loads(path.read_text())


def test_an_import_killed_in_its_write_leaves_no_rows_and_the_next_worker_completes_it(database_copy, tmp_path):
    before = json.loads(database_copy.run("import_crash.py", "state"))
    assert before["children"] == before["enrolments"] == 0
    prepared = json.loads(database_copy.run("import_crash.py", "prepare", str(ROWS)))
    assert prepared["job"] == "importing" and ["run_import", "READY", 0] in prepared["tasks"]

    marker = tmp_path / "in-the-write"
    worker = database_copy.popen(
        "import_crash.py", "worker", str(marker), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        inside = wait_for(marker, worker)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.communicate(timeout=30)  # reaped: its process id is gone
    assert inside["children"] == ROWS and inside["enrolments"] >= ROWS  # killed with the rows written, uncommitted

    killed = json.loads(database_copy.run("import_crash.py", "state"))
    assert killed["children"] == killed["enrolments"] == 0  # nothing of the half-done write
    assert killed["job"] == "importing" and ["run_import", "RUNNING", 1] in killed["tasks"]
    assert killed["heartbeats"] == 1  # the dead worker's, left behind

    database_copy.run("import_crash.py", "worker")  # a new worker: reaps at its start, then runs the task again
    after = json.loads(database_copy.run("import_crash.py", "state"))
    assert after["job"] == "done" and after["children"] == after["enrolments"] == ROWS
    assert ["run_import", "SUCCESSFUL", 2] in after["tasks"]  # the second claim finished it
    assert after["heartbeats"] == 0
    vendor = database_copy.vendor
    print(f"\ncrash safety ({vendor}): killed in the write with {ROWS} rows written, 0 kept; re-run wrote {ROWS}")
