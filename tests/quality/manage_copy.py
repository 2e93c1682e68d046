"""`manage.py` for the quality checks' subprocesses: the copy's database and media folder (see subprocess_setup)."""

import sys

from subprocess_setup import setup

setup()

from django.core.management import execute_from_command_line

execute_from_command_line(["manage.py", *sys.argv[1:]])
