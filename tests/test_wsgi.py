"""The WSGI module the production server loads in each worker does the one-off work of a first request (importing
every view, building the URL resolver) while the worker boots."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_loading_the_application_imports_the_views():
    views = ("apps.students.views", "apps.funds.views")
    probe = f"import sys, dentruong.wsgi; print(all(m in sys.modules for m in {views!r}))"
    answer = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert answer.stdout.strip() == "True", answer.stderr
