"""Backup and restore (`manage.py backup OUT`, `manage.py restore IN`): a round trip gives back every table's rows
and every stored file exactly (counts and checksums), undoing what changed after the backup, with the fund ledger's
append-only triggers in place. On SQLite, and on PostgreSQL when DATABASE_URL names one (.ci/run's second pass)."""

import json

import pytest

pytestmark = pytest.mark.django_db  # the session's test database, of which the subprocesses get a copy


def manage(copy, *args) -> str:
    """The real command, in a process of its own, on the copy (its database and its MEDIA_ROOT)."""
    return copy.run("manage_copy.py", *args, timeout=600)


def step(copy, name) -> dict:
    return json.loads(copy.run("backup_steps.py", name).strip().splitlines()[-1])


def test_a_round_trip_gives_back_every_table_and_every_stored_file(database_copy, tmp_path):
    files = step(database_copy, "populate")
    assert any(name.startswith("imports/") for name in files) and len(files) >= 3
    before = step(database_copy, "fingerprint")
    archive = tmp_path / "sao-luu.tar.gz"
    out = manage(database_copy, "backup", str(archive))
    assert "Đã sao lưu" in out and archive.is_file()

    step(database_copy, "mutate")
    changed = step(database_copy, "fingerprint")
    assert changed["tables"] != before["tables"] and changed["files"] != before["files"]

    out = manage(database_copy, "restore", str(archive), "--yes")
    after = step(database_copy, "fingerprint")
    assert after["files"] == before["files"]
    tables = before["tables"].keys() | after["tables"].keys()
    differ = {t for t in tables if before["tables"].get(t) != after["tables"].get(t)}
    assert not differ, f"tables that differ after the restore: {sorted(differ)}"
    ledger = step(database_copy, "ledger")
    assert ledger == {"triggers": ["funds_entry_no_delete", "funds_entry_no_update"], "update_refused": True}
    rows = sum(count for count, _sum in before["tables"].values())
    print(
        f"\nbackup round trip ({database_copy.vendor}): {len(before['tables'])} tables, {rows} rows, "
        f"{len(before['files'])} stored files identical after restore; {out.strip()}"
    )
