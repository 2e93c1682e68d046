"""The backup archive's checks (`apps.core.backup.read_archive`): a restore refuses a damaged archive before it
touches anything. (The round trip itself, in real processes: tests/quality/test_backup.py.)"""

import hashlib
import io
import json
import tarfile

import pytest

from apps.core.backup import FORMAT, BackupError, read_archive


def archive(path, *, files: dict[str, bytes], manifest_files: dict | None = None, extra: dict | None = None):
    dump = b"SQLite format 3\x00 fake"
    manifest = {
        "format": FORMAT,
        "vendor": "sqlite",
        "database": {"name": "database/db.sqlite3", "sha256": hashlib.sha256(dump).hexdigest()},
        "tables": {},
        "files": manifest_files
        if manifest_files is not None
        else {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }
    members = {"manifest.json": json.dumps(manifest).encode(), "database/db.sqlite3": dump, **(extra or {})}
    members |= {f"media/{name}": data for name, data in files.items()}
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_sound_archive_is_read_with_its_files(tmp_path):
    path = archive(tmp_path / "a.tar.gz", files={"imports/2025/ds.xlsx": b"PK..", "documents/qd số 1.pdf": b"%PDF"})
    (tmp_path / "out").mkdir()
    manifest = read_archive(path, tmp_path / "out")
    assert set(manifest["files"]) == {"imports/2025/ds.xlsx", "documents/qd số 1.pdf"}
    assert (tmp_path / "out" / "media" / "documents" / "qd số 1.pdf").read_bytes() == b"%PDF"


def test_a_stored_file_changed_in_the_archive_is_refused_by_name(tmp_path):
    claimed = {"imports/ds.xlsx": "0" * 64}
    path = archive(tmp_path / "a.tar.gz", files={"imports/ds.xlsx": b"changed"}, manifest_files=claimed)
    (tmp_path / "out").mkdir()
    with pytest.raises(BackupError, match="imports/ds.xlsx"):
        read_archive(path, tmp_path / "out")


def test_a_member_that_would_leave_the_folder_is_refused(tmp_path):
    path = archive(tmp_path / "a.tar.gz", files={}, extra={"../../evil.py": b"x"})
    (tmp_path / "out").mkdir()
    with pytest.raises(BackupError, match="không phải bản sao lưu"):
        read_archive(path, tmp_path / "out")
    assert not (tmp_path / "evil.py").exists()


def test_a_file_that_is_no_archive_is_refused(tmp_path):
    path = tmp_path / "a.tar.gz"
    path.write_bytes(b"not a tar")
    with pytest.raises(BackupError, match="không phải bản sao lưu"):
        read_archive(path, tmp_path)
