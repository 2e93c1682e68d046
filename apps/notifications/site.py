"""Notifications' place on the site: their routes (`apps.core.sections`). No menu entry: everyone signed in has
notifications, and the bell in the header (`templates/base.html`) leads to them."""

from apps.core import sections


def register(app: str) -> None:
    sections.register_routes(sections.Routes(app, "notifications/", "apps.notifications.urls"))
