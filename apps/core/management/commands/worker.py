"""`manage.py worker`: django-tasks-db's `db_worker` with a heartbeat, which first reaps the tasks a dead worker
left running (`apps.core.workers`). Run this, not `db_worker`, so that no task is lost to a killed worker."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorker

from apps.core.workers import Heartbeat, reap


class Command(DbWorker):
    help = (
        "Chạy tiến trình xử lý tác vụ nền (db_worker của django-tasks-db) có nhịp tim; khi khởi động, thu hồi các "
        "tác vụ mà một tiến trình đã dừng bỏ dở (xem reap_tasks)."
    )

    def handle(self, *args, **options):
        # With --reload the first process only watches the files and restarts a child, which does the work.
        if options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            return super().handle(*args, **options)
        reaped = reap()
        if reaped.requeued or reaped.failed:
            self.stdout.write(
                f"Tác vụ bị bỏ dở: {len(reaped.requeued)} xếp hàng chạy lại, {len(reaped.failed)} đánh dấu thất bại."
            )
        heartbeat = Heartbeat(options["worker_id"]).start()
        try:
            return super().handle(*args, **options)
        finally:
            heartbeat.stop()
