from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "apps.students"
    label = "students"
    verbose_name = _("Trẻ em và học sinh")

    def ready(self):
        from apps.imports.registry import register
        from apps.schools.selectors import register_year_data
        from apps.students import site
        from apps.students.absence_import import AbsenceImporter
        from apps.students.imports import CensusImporter, RosterImporter
        from apps.students.results_import import ResultImporter
        from apps.students.selectors import years_holding_records

        register(RosterImporter())
        register(AbsenceImporter())
        register(CensusImporter())
        register(ResultImporter())
        register_year_data(years_holding_records)
        site.register(self.name)
