"""An app made up for the tests: it joins the menu, the home page and the URLs by registering, and edits no
project file (`apps/core/tests/test_sections.py`)."""

from django.apps import AppConfig


def may_open_ledger(user) -> bool:
    return user.is_authenticated and user.username == "xa.tralinh"


def ledger_tile(user) -> dict | None:
    return {"pages": 7} if may_open_ledger(user) else None


class RegistrationAppConfig(AppConfig):
    name = "tests.registration_app"
    label = "registration_app"

    def ready(self):
        from apps.core import sections

        sections.register_section(
            sections.Section(self.name, "ledger", "Sổ vàng", "registration_app:index", may_open_ledger)
        )
        sections.register_tile(sections.Tile(self.name, "ledger", "registration_app/tile.html", ledger_tile))
        sections.register_routes(sections.Routes(self.name, "so-vang/", "tests.registration_app.urls"))
