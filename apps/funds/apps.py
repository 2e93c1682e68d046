from pathlib import Path

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "apps.funds"
    label = "funds"
    verbose_name = _("Xã hội hóa giáo dục")

    def ready(self):
        from apps.core.daily import register as register_daily
        from apps.core.doctemplate import register_kind_dir
        from apps.funds import indicators, jobs, ledger, selectors, site
        from apps.funds.importers import DonationImporter
        from apps.imports.registry import register as register_import
        from apps.schools.selectors import register_year_data

        # Every migrate (and flush) ends with the ledger's triggers in place, whatever rebuilt the table.
        post_migrate.connect(ledger.after_migrate, sender=self, dispatch_uid="funds.ledger_triggers")
        site.register(self.name)
        # The thank-you letter is a document kind without a number (listed with the documents app's kinds).
        register_kind_dir(Path(__file__).parent / "kinds")
        register_import(DonationImporter())
        register_daily("funds.overdue_pledges", jobs.overdue_pledges)
        register_year_data(selectors.years_holding_funds)
        indicators.register_indicators()  # fund_progress, shown by the indicator engine's pages, export and API
