"""The subprocess of tests/quality/test_crash_safety.py, one step per run:

prepare ROWS       upload a roster of ROWS new children for school A, check it, confirm it (the write is queued)
worker [MARKER]    run the task worker (`manage.py worker --batch`); with MARKER, stall inside the import's
                   write transaction once its rows are written, after writing MARKER (the test then kills it)
state              print the job's status, the rows and the tasks as JSON
"""

import json
import sys
import time
from pathlib import Path

from subprocess_setup import setup

setup()

from django.core.management import call_command

CODE = "KT"  # the student codes of the rows this file writes


def rows(n: int) -> list[list]:
    given = "An Bình Cường Dũng Giang Hà Hải Khoa Lan Linh Mai Minh Nam Ngân Phúc Quân Sơn Trang Vy Yến".split()
    return [
        [f"{CODE}{i:05d}", f"Lò Văn {given[i % 20]} {given[i // 20 % 20]} {given[i // 400 % 20]}", "", "2018", "Nam",
         "Kinh", "2B", "", "", "", "", "", "", ""]
        for i in range(n)
    ]  # fmt: skip


def state() -> dict:
    from django_tasks_db.models import DBTaskResult

    from apps.core.models import WorkerHeartbeat
    from apps.imports.models import ImportJob
    from apps.students.models import Child, Enrolment

    job = ImportJob.objects.filter(filename="crash.xlsx").order_by("-pk").first()
    return {
        "job": job.status if job else None,
        "children": Child.objects.filter(full_name__startswith="Lò Văn").count(),
        "enrolments": Enrolment.objects.filter(student_code__startswith=CODE).count(),
        "tasks": sorted(
            [t.task_path.rsplit(".", 1)[1], t.status, len(t.worker_ids)] for t in DBTaskResult.objects.all()
        ),
        "heartbeats": WorkerHeartbeat.objects.count(),
    }


def prepare(n: int) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.accounts.models import User
    from apps.imports import services, tasks
    from apps.schools.models import School, SchoolYear
    from apps.students.tests.test_importers import roster

    principal = User.objects.get(username="hieutruong.tranam")
    school = School.objects.get(moet_code="48095002")
    year = SchoolYear.objects.get(province__code="48", start_year=2025)
    upload = SimpleUploadedFile("crash.xlsx", roster(rows(n)))
    job = services.import_start(
        actor=principal, kind="students.roster", upload=upload, cleaned={"school": school, "year": year}
    )
    tasks.check_import.call(job.pk)  # the check, here; its queued task then finds nothing to do
    job.refresh_from_db()
    if job.summary.get("error_count") or job.summary.get("question_count") or job.summary.get("rows") != n:
        raise SystemExit(f"the file does not check clean: {job.status} {job.failure} {job.summary.get('errors')}")
    services.import_confirm(actor=principal, job=job)
    return state()


def worker(marker: str | None) -> None:
    if marker:
        from apps.students import hooks
        from apps.students.models import Child

        def stall(ids):
            written = Child.objects.filter(full_name__startswith="Lò Văn").count()  # seen inside the write
            Path(marker).write_text(json.dumps({"enrolments": len(ids), "children": written}))
            time.sleep(600)

        hooks.after_enrolments(stall)
    call_command("worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)


if __name__ == "__main__":
    step = sys.argv[1]
    if step == "prepare":
        print(json.dumps(prepare(int(sys.argv[2]))))
    elif step == "worker":
        worker(sys.argv[2] if len(sys.argv) > 2 else None)
    elif step == "state":
        print(json.dumps(state()))
    else:
        raise SystemExit(f"unknown step {step!r}")
