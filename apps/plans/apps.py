from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "apps.plans"
    label = "plans"
    verbose_name = _("Kế hoạch")

    def ready(self):
        from apps.core import daily
        from apps.plans import jobs, links, site

        links.register()
        site.register(self.name)
        daily.register("plans.reminders", jobs.reminders)
        from apps.plans import campaign_site

        campaign_site.register(self.name)
        self.ready_meetings_reports()

    def ready_meetings_reports(self):
        """Meetings and periodic reports: the minutes' document kind, the parents' meetings job, the decisions'
        tasks seen by those who see the meeting."""
        from pathlib import Path

        from apps.core import daily, scoping
        from apps.core.doctemplate import register_kind_dir
        from apps.plans import meeting_jobs, meeting_selectors

        register_kind_dir(Path(__file__).parent / "doc_kinds")
        daily.register("plans.parents_meetings", meeting_jobs.parents_meetings)
        scoping.contribute("plans.task", meeting_selectors.task_terms)
