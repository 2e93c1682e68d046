from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "apps.retention"
    label = "retention"
    verbose_name = _("Giữ trẻ ở lại trường")

    def ready(self):
        from apps.core.daily import register as register_daily
        from apps.retention import indicators, jobs, mentors, site
        from apps.students.hooks import after_records

        after_records(jobs.after_records)  # absences and results saved: their students' levels recomputed
        register_daily("retention.recompute", jobs.daily_recompute)
        mentors.register_contributions()  # a mentor sees their mentee while assigned
        site.register(self.name)
        indicators.register_indicators()
        from apps.retention import cases
        from apps.students.hooks import after_enrolments

        after_enrolments(cases.open_for_dropouts)  # a dropout recorded on any path opens a case
        cases.register_contributions()  # an organisation owning an open case sees its child
        site.register_cases(self.name)
