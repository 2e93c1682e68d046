"""Backup and restore of the whole system: the database and the stored files (MEDIA_ROOT: uploaded imports and
their rejected rows, attachments, issued documents), in one archive (`manage.py backup OUT`, `manage.py restore IN`).

The archive is a gzipped tar:
    manifest.json        what it holds: the database's vendor, each table's row count, each file's SHA-256
    database/db.sqlite3  SQLite: a consistent copy made by SQLite's online backup API (the site may keep running)
    database/db.pgdump   PostgreSQL: `pg_dump --format=custom` of a snapshot, the counts read in the same snapshot
    media/…              the stored files

A restore checks the archive first (every file against its checksum), then replaces the database in one step
(SQLite: the backup API again; PostgreSQL: the schema dropped and the dump loaded in one transaction by psql, so a
failed restore leaves the database as it was), puts the stored files in place (the old ones moved aside), runs
`migrate` (an older archive is brought up to the code's schema, and every app's post-migrate work runs: the fund
ledger's append-only triggers are recreated), and finally compares each table's row count with the manifest's.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on, with the reason for the operator."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def stored_files(root: Path | None = None) -> dict[str, str]:
    """{path under MEDIA_ROOT: SHA-256} of every stored file (symbolic links are not followed)."""
    root = media_root() if root is None else root
    found = {}
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                found[path.relative_to(root).as_posix()] = _sha256(path)
    return found


def table_names(cursor=None) -> list[str]:
    """Every table of the database (Django's, the apps', the task queue's), sorted."""
    with connection.cursor() as own:
        return sorted(connection.introspection.table_names(cursor or own))


def row_counts(cursor) -> dict[str, int]:
    counts = {}
    for table in table_names(cursor):
        cursor.execute(
            f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}"
        )  # a table name from introspection, quoted
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env() -> dict:
    """libpq's environment for pg_dump and psql (the password never on a command line)."""
    conf = connection.settings_dict
    env = {**os.environ, "PGDATABASE": conf["NAME"]}
    for key, var in (("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST"), ("PORT", "PGPORT")):
        if conf.get(key):
            env[var] = str(conf[key])
    return env


def _pg_tool(name: str) -> str:
    """A PostgreSQL client program: from PG_BIN when set (one matching the server's version), else the PATH."""
    folder = os.environ.get("PG_BIN", "")
    path = os.path.join(folder, name) if folder else shutil.which(name)
    if not path or not os.path.exists(path):
        raise BackupError(f"Cần chương trình {name} để sao lưu PostgreSQL: cài postgresql-client (hoặc đặt PG_BIN).")
    return path


# ---- backup ----------------------------------------------------------------------------------------------------


@dataclass
class Summary:
    tables: int
    rows: int
    files: int
    bytes: int


def backup(out: Path) -> Summary:
    """Write the archive `out` (through a temporary file beside it, renamed when complete)."""
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="dentruong-backup-") as work:
        work = Path(work)
        if connection.vendor == "sqlite":
            dump, counts = work / "db.sqlite3", _sqlite_backup(work / "db.sqlite3")
        elif connection.vendor == "postgresql":
            dump, counts = work / "db.pgdump", _pg_backup(work / "db.pgdump")
        else:
            raise BackupError(f"Không sao lưu được cơ sở dữ liệu loại {connection.vendor}.")
        files = stored_files()
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "vendor": connection.vendor,
            "database": {"name": f"database/{dump.name}", "sha256": _sha256(dump)},
            "tables": counts,
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
        partial = out.with_name(out.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(work / MANIFEST, arcname=MANIFEST)
                archive.add(dump, arcname=manifest["database"]["name"])
                for name in files:
                    archive.add(media_root() / name, arcname=f"media/{name}", recursive=False)
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)  # an archive left half-written is never taken for a backup
    return Summary(len(counts), sum(counts.values()), len(files), out.stat().st_size)


def _sqlite_backup(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # a consistent copy, pages taken while the site runs
    finally:
        copy.close()
    copy = sqlite3.connect(target)
    try:
        names = [n for (n,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            name: copy.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # a name from sqlite_master
            for name in sorted(n for n in names if not n.startswith("sqlite_"))
        }
    finally:
        copy.close()


def _pg_backup(target: Path) -> dict[str, int]:
    """pg_dump of a snapshot this transaction exports, and the counts read in that same snapshot."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = row_counts(cursor)
        command = [_pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={target}"]
        done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
        if done.returncode:
            raise BackupError(f"pg_dump bị lỗi: {done.stderr.strip()}")
    return counts


# ---- restore ---------------------------------------------------------------------------------------------------


def read_archive(archive_path: Path, work: Path) -> dict:
    """Unpack the archive into `work` (no path may leave it: tarfile's "data" filter) and check every member
    against the manifest; the manifest."""
    try:
        with tarfile.open(archive_path, "r:*") as archive:
            archive.extractall(work, filter="data")
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, tarfile.TarError, ValueError, KeyError) as exc:
        raise BackupError(f"Tệp {archive_path} không phải bản sao lưu đọc được: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Tệp {archive_path}: định dạng {manifest.get('format')!r}, phiên bản này đọc {FORMAT}.")
    dump = work / manifest["database"]["name"]
    if not dump.is_file() or _sha256(dump) != manifest["database"]["sha256"]:
        raise BackupError(f"Tệp {archive_path}: bản sao cơ sở dữ liệu bị thiếu hoặc hỏng; không có gì thay đổi.")
    found = stored_files(work / "media")
    if found != manifest["files"]:
        bad = sorted(set(found.items()) ^ set(manifest["files"].items()))[:5]
        raise BackupError(
            f"Tệp {archive_path}: thiếu hoặc hỏng các tệp đã lưu {[name for name, _ in bad]}; không có gì thay đổi."
        )
    return manifest


def restore(archive_path: Path) -> Summary:
    """Replace the database and the stored files with the archive's (see the module's docstring)."""
    with tempfile.TemporaryDirectory(prefix="dentruong-restore-") as work:
        work = Path(work)
        manifest = read_archive(Path(archive_path), work)
        if manifest["vendor"] != connection.vendor:
            raise BackupError(f"Bản sao lưu là của {manifest['vendor']}, còn trang này dùng {connection.vendor}.")
        dump = work / manifest["database"]["name"]
        if connection.vendor == "sqlite":
            _sqlite_restore(dump)
        else:
            _pg_restore(dump)
        _media_restore(work / "media")
    call_command("migrate", interactive=False, verbosity=0)  # post-migrate: the ledger's triggers, among others
    with connection.cursor() as cursor:
        counts = row_counts(cursor)
    differ = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if differ:
        raise BackupError(f"Sau khi khôi phục, số dòng khác với bản sao lưu (bảng: (sao lưu, hiện có)): {differ}")
    return Summary(len(counts), sum(counts.values()), len(manifest["files"]), Path(archive_path).stat().st_size)


def _sqlite_restore(dump: Path) -> None:
    connections.close_all()
    source, live = sqlite3.connect(dump), sqlite3.connect(connection.settings_dict["NAME"])
    try:
        source.backup(live)  # the whole database at once, under SQLite's lock
    finally:
        source.close()
        live.close()


def _pg_restore(dump: Path) -> None:
    """The schema emptied and the dump loaded in one transaction: all of it, or nothing changed."""
    script = subprocess.run(
        [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(dump)],
        capture_output=True,
        env=_pg_env(),
    )
    if script.returncode:
        raise BackupError(f"pg_restore bị lỗi: {script.stderr.decode(errors='replace').strip()}")
    sql = b"DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n" + script.stdout
    connections.close_all()
    done = subprocess.run(
        [_pg_tool("psql"), "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1", "-f", "-"],
        input=sql,
        capture_output=True,
        env=_pg_env(),
    )
    if done.returncode:
        raise BackupError(
            f"psql không nạp được bản sao (không có gì thay đổi): {done.stderr.decode(errors='replace').strip()}"
        )


def _media_restore(source: Path) -> None:
    """The archive's files in MEDIA_ROOT; what was there before is moved aside (MEDIA_ROOT.before-restore-…)."""
    root = media_root()
    if root.exists() and any(root.iterdir()):
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        root.rename(root.with_name(f"{root.name}.before-restore-{stamp}"))
    root.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, root, dirs_exist_ok=True)
