from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "apps.funds"
    label = "funds"
    verbose_name = _("Xã hội hóa giáo dục")

    def ready(self):
        from apps.funds import ledger, site

        # Every migrate (and flush) ends with the ledger's triggers in place, whatever rebuilt the table.
        post_migrate.connect(ledger.after_migrate, sender=self, dispatch_uid="funds.ledger_triggers")
        site.register(self.name)
