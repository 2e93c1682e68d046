"""Recreate the ledger's append-only triggers (`apps.funds.ledger`). `migrate` does this after every run; this command
is the remedy the system check `funds.E001` names when a trigger went missing (it runs without the system checks,
which would refuse while one is missing)."""

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from apps.funds import ledger


class Command(BaseCommand):
    help = "Recreate the append-only triggers of the fund ledger (funds_entry)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        if not ledger.install_triggers(database):
            self.stdout.write("The ledger's table does not exist yet: run migrate.")
            return
        self.stdout.write(f"Ledger triggers installed: {', '.join(sorted(ledger.installed_triggers(database)))}")
