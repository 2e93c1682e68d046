"""Django's `flush`, with the ledger's documented maintenance exception first (see `apps.funds.ledger`): the
append-only triggers would otherwise refuse the DELETE that empties `funds_entry` on SQLite. pytest-django's
transactional tests flush after each test through this command."""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import transaction

from apps.funds.ledger import clear_for_maintenance


class Command(FlushCommand):
    def handle(self, **options):
        database = options["database"]
        if options["interactive"]:
            answer = input(
                "This empties every table of the database, the append-only fund ledger included.\n"
                "Type 'yes' to continue, or 'no' to cancel: "
            )
            if answer != "yes":
                self.stdout.write("Flush cancelled.")
                return
            options["interactive"] = False
        with transaction.atomic(using=database):
            clear_for_maintenance(database)
        return super().handle(**options)
