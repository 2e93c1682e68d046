"""Django set up in a subprocess of the quality checks: the copy's database (DATABASE_URL) and media folder."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dentruong.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.MEDIA_ROOT = os.environ["DENTRUONG_TEST_MEDIA_ROOT"]  # before any storage reads it
