"""The project's apps' modules of one name (`apps.<app>.services`, `apps.<app>.tests.scope_routes`), for the
checks that walk every app (a missing module is skipped; one that fails to import is an error)."""

import importlib

from django.apps import apps


def app_modules(name: str) -> list:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        try:
            found.append(importlib.import_module(f"{config.name}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise
    return found
