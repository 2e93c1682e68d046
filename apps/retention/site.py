"""The retention app's place on the site: its menu entry, the teacher's home tile, its routes."""

from django.utils.translation import gettext_lazy as _

from apps.core import sections
from apps.students.site import may_open_students


def may_open_retention(user) -> bool:
    """Who reads the students' records: those who govern units and the schools' staff."""
    return may_open_students(user)


def may_open_rules(user) -> bool:
    from apps.retention.selectors import editable_provinces

    return user.is_authenticated and editable_provinces(user).exists()


def register(app: str) -> None:
    sections.register_section(
        sections.Section(app, "retention", _("Nguy cơ bỏ học"), "retention:list", may_open_retention, order=35)
    )
    sections.register_section(
        sections.Section(app, "retention_rules", _("Quy tắc cảnh báo sớm"), "retention:rules", may_open_rules, order=36)
    )
    sections.register_routes(sections.Routes(app, "retention/", "apps.retention.urls"))
