from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "apps.students"
    label = "students"
    verbose_name = _("Trẻ em và học sinh")

    def ready(self):
        from apps.imports.registry import register
        from apps.students.imports import CensusImporter, RosterImporter

        register(RosterImporter())
        register(CensusImporter())
