"""Static checks run by `make test`: ruff with the bandit-derived security rules (S; the reviewed exceptions are
listed with their reasons in pyproject.toml), formatting, and no model change without its migration. (`check
--deploy` in production mode: tests/test_security.py::TestProductionSettings.)"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SOURCES = ("apps", "tests", "bench")


def ruff() -> str:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if found is None:
        pytest.fail("ruff is missing: make install-dev (requirements-dev.txt pins it)")
    return found


def run(*command, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, **kwargs)


def test_ruff_with_the_security_rules_finds_nothing():
    done = run(ruff(), "check", "--output-format", "concise", *SOURCES)
    findings = [line for line in done.stdout.splitlines() if line.count(":") >= 3]
    print(f"\nruff (E, F, W, I, S): {len(findings)} findings")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_security_rules_are_on_and_catch_what_they_should(tmp_path):
    """The config really selects S: a shell call and SQL built from input are refused in app code."""
    bad = tmp_path / "probe.py"
    bad.write_text(
        "import subprocess\n\n\ndef run(name, cursor):\n"
        '    subprocess.run(f"ls {name}", shell=True)\n'
        "    cursor.execute(f\"SELECT * FROM t WHERE name = '{name}'\")\n"
    )
    done = run(ruff(), "check", "--config", str(ROOT / "pyproject.toml"), "--output-format", "concise", str(bad))
    assert "S602" in done.stdout and "S608" in done.stdout, done.stdout + done.stderr


def test_the_code_is_formatted():
    done = run(ruff(), "format", "--check", *SOURCES)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_model_change_has_its_migration(tmp_path):
    env = {**os.environ, "SQLITE_PATH": str(tmp_path / "db.sqlite3")}  # never the developer's database
    done = run(sys.executable, "manage.py", "makemigrations", "--check", "--dry-run", env=env)
    assert done.returncode == 0, f"a model changed without its migration (makemigrations):\n{done.stdout}{done.stderr}"
