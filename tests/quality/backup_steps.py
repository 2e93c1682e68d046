"""The subprocess of tests/quality/test_backup.py, one step per run (on the copy's database and media folder):

populate     store files as the apps do: a real upload (a roster checked by the import layer, with its
             rejected rows), and files under the documents' and attachments' folders
fingerprint  print every table's row count and checksum, and every stored file's, as JSON
mutate       change rows and files after the backup (so that a restore has something to undo)
ledger       print the ledger's triggers and whether an UPDATE of an entry is refused
"""

import hashlib
import json
import sys

from subprocess_setup import setup

setup()

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction

from apps.core.backup import stored_files, table_names


def fingerprint() -> dict:
    tables = {}
    with connection.cursor() as cursor:
        for table in table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            tables[table] = [len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()]
    return {"tables": tables, "files": stored_files()}


def populate() -> dict:
    from import_crash import prepare

    prepare(30)  # an uploaded roster, kept under imports/
    default_storage.save("documents/2025/quyet-dinh-số-12.pdf", ContentFile(b"%PDF-1.4 " + bytes(range(256)) * 40))
    default_storage.save("attachments/2025/biên bản họp.docx", ContentFile(b"PK\x03\x04 " + b"\x00\xff" * 5000))
    return stored_files()


def mutate() -> None:
    from django.utils import timezone

    from apps.core.models import WorkerHeartbeat
    from apps.students.models import Child

    with transaction.atomic():
        child = Child.objects.order_by("pk").first()
        child.full_name = "Đã sửa sau sao lưu"
        child.save(update_fields=["full_name"])
        now = timezone.now()
        WorkerHeartbeat.objects.create(worker_id="after", host="h", pid=1, started_at=now, beat_at=now)
    default_storage.delete(sorted(stored_files())[0])
    default_storage.save("documents/2025/mới.pdf", ContentFile(b"new"))


def ledger() -> dict:
    from apps.funds import ledger as funds_ledger
    from apps.funds.models import Entry

    entry = Entry.objects.order_by("pk").first()
    try:
        with transaction.atomic():
            Entry.objects.filter(pk=entry.pk).update(reason="sửa trái phép")
        refused = False
    except DatabaseError:
        refused = True
    return {"triggers": sorted(funds_ledger.installed_triggers()), "update_refused": refused}


if __name__ == "__main__":
    step = sys.argv[1]
    result = {"populate": populate, "fingerprint": fingerprint, "mutate": mutate, "ledger": ledger}[step]()
    print(json.dumps(result))
