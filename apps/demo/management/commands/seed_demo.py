"""Demo data: part of one real province (real commune codes from vietnam-provinces), with hamlets, schools
across levels with satellite sites, partner organisations, school years and one user per role, and the children
of school year 2025-2026 — the census of every hamlet, the schools' rosters in classes and what happened during
the year — with their year before, 2024-2025 (completions, dropouts, transfers).

Each app's part is a seed step registered in `DemoConfig.ready()` (`apps.demo.steps`); this command runs them
in order inside one transaction. Idempotent: everything is looked up by its natural key first, so a second run
adds nothing. What the demo holds is in `apps.demo.spec`, the children in `apps.demo.population`."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.accounts.models import Role
from apps.demo import steps
from apps.demo.seeds import accounts, orgunits, students
from apps.demo.spec import DEMO
from apps.orgunits.models import OrgUnit

__all__ = ["DEMO", "Command"]


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (một phần một tỉnh thật) và một tài khoản cho mỗi vai trò. Chạy lại không tạo trùng."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="48", help="mã tỉnh hiện hành (mặc định 48, Đà Nẵng)")

    def handle(self, *args, province, **options):
        if province not in DEMO:
            raise CommandError(f"Chưa có dữ liệu mẫu cho tỉnh {province}; có: {', '.join(DEMO)}.")
        if not OrgUnit.objects.current().filter(level=OrgUnit.Level.PROVINCE, code=province).exists():
            call_command("load_admin_units", province=province, stdout=self.stdout)
        spec = DEMO[province]
        password = settings.DEMO_PASSWORD
        with transaction.atomic():
            admin = accounts.admin_user(password)
            steps.run(steps.Context(admin=admin, province=province, spec=spec, password=password))
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng. Tài khoản (mật khẩu chung: %s):" % password))
        for username, _name, role, _kind, key in [("admin", "", Role.SYSTEM_ADMIN, "", "")] + spec["users"]:
            self.stdout.write(f"  {username:<20} {Role(role).label}")

    # Two pieces apps/students/tests/test_hooks.py drives on their own: a commune's hamlets, and one year's
    # children written in bulk (without the year before).

    def _hamlets(self, admin, code, names):
        return orgunits.hamlets(admin, code, names)

    def _students(self, admin, year, spec, hamlets) -> None:
        students.write(admin, year=year, spec=spec, hamlets=hamlets)
