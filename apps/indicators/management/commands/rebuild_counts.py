from django.core.management.base import BaseCommand

from apps.indicators import counts


class Command(BaseCommand):
    help = "Rewrite every count table of the indicators from the enrolments and the census."

    def handle(self, *args, **options):
        result = counts.rebuild()
        for key, value in result.items():
            self.stdout.write(f"{key}\t{value}")
