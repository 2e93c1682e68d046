from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "apps.indicators"
    label = "indicators"
    verbose_name = _("Chỉ số")

    def ready(self):
        from apps.core import daily
        from apps.indicators import counts, definitions, site, snapshots
        from apps.students.hooks import after_census, after_enrolments

        after_enrolments(counts.on_enrolments)
        after_census(counts.on_census)
        definitions.register_all()
        daily.register(snapshots.DAILY_JOB, snapshots.daily_snapshot)
        site.register(self.name)
