"""What the quality checks share: a copy of the session's test database (the demo data, committed) that a
subprocess may write to and be killed in, on SQLite or on the PostgreSQL that DATABASE_URL names."""

import os
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

ROOT = Path(settings.BASE_DIR)


@dataclass
class Copy:
    """A database of its own (and a media folder) for subprocesses: `run(script, *args)` runs a Python script of
    this folder with DATABASE_URL pointing at the copy."""

    url: str
    media: Path
    vendor: str

    def env(self, **extra) -> dict:
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "DENTRUONG_TEST_MEDIA_ROOT": str(self.media),
            "DJANGO_DEBUG": "false",
            **extra,
        }

    def popen(self, script: str, *args: str, **kwargs) -> subprocess.Popen:
        command = [sys.executable, str(Path(__file__).with_name(script)), *args]
        return subprocess.Popen(command, cwd=ROOT, env=self.env(), **kwargs)

    def run(self, script: str, *args: str, timeout: float = 300) -> str:
        process = self.popen(script, *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = process.communicate(timeout=timeout)
        assert process.returncode == 0, f"{script} {' '.join(args)} failed:\n{out}\n{err}"
        return out


def copy_database(target_dir: Path) -> tuple[str, callable]:
    """(DATABASE_URL of a copy of the test database, a function that drops it)."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        path = target_dir / "copy.sqlite3"
        source, copy = sqlite3.connect(name), sqlite3.connect(path)
        with copy:
            source.backup(copy)
        source.close()
        copy.close()
        return f"sqlite:///{path}", lambda: None
    if connection.vendor != "postgresql":
        pytest.skip(f"no copy for {connection.vendor}")
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params["dbname"] = "postgres"
    copy = f"quality_{uuid.uuid4().hex[:12]}"
    connections.close_all()  # a template database must have no session
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    url = f"{os.environ['DATABASE_URL'].rpartition('/')[0]}/{copy}"  # the server the tests run on

    def drop():
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')

    return url, drop


@pytest.fixture(scope="module")
def database_copy(django_db_setup, django_db_blocker):
    """A copy of the session's database (demo data included) for the subprocesses of one module's tests; dropped
    afterwards. Module-scoped, so that it is made before a test's own transaction begins (a PostgreSQL template
    must have no session); the tests that use it are marked `django_db`, which has the test database made."""
    work = Path(tempfile.mkdtemp(prefix="dentruong-quality-"))
    with django_db_blocker.unblock():
        url, drop = copy_database(work)
    (work / "media").mkdir()
    try:
        yield Copy(url=url, media=work / "media", vendor=connection.vendor)
    finally:
        with django_db_blocker.unblock():
            drop()
