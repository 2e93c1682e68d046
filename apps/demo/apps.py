from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "apps.demo"
    label = "demo"
    verbose_name = _("Dữ liệu mẫu")

    def ready(self):
        # One seed step per app whose data it writes, run in this order by `manage.py seed_demo`. They live here,
        # not in those apps: no app imports the demo.
        from apps.demo.seeds import (
            accounts,
            campaigns,
            funds,
            orgunits,
            plans,
            retention,
            schools,
            standards,
            students,
            targets,
        )
        from apps.demo.steps import register

        register("orgunits", orgunits.seed, order=10)  # hamlets, designations
        register("schools", schools.seed, order=20)  # schools and sites, organisations, school years
        register("accounts", accounts.seed, order=30)  # one user per role
        register("students", students.seed, order=40)  # children, enrolments of two years, census
        register("retention", retention.seed, order=50)  # 2024-2025's absences and results, this year's levels
        register("funds", funds.seed, order=60)  # seed 000's funds, a year of donations and payouts
        register("targets", targets.seed, order=70)  # seed 003's published targets and the annexes of 2025-2026
        register("plans", plans.seed, order=75)  # seed 000's socialisation plan of Trà Nam, with its parties
        register("campaigns", campaigns.seed, order=76)  # the city's Action Month 2025, Trà Linh's report filed
        register("standards", standards.seed, order=80)  # seed 004's national standard targets and roadmap
