from django.core.management.base import BaseCommand, CommandError

from apps.orgunits.loader import load_admin_units


class Command(BaseCommand):
    help = "Nạp tỉnh, xã hiện hành và đơn vị trước 2025 (kèm quan hệ kế thừa) từ gói vietnam-provinces."

    def add_arguments(self, parser):
        parser.add_argument("--province", metavar="CODE", help="chỉ nạp một tỉnh (mã hiện hành, ví dụ 48)")

    def handle(self, *args, province=None, **options):
        code = f"{int(province):02d}" if province and province.isdigit() else province
        try:
            result = load_admin_units(province_code=code)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        c = result.counts
        self.stdout.write(
            f"{c['provinces']} tỉnh/thành phố, {c['communes']} xã/phường/đặc khu hiện hành; "
            f"{c['legacy_provinces']} tỉnh, {c['legacy_districts']} huyện, {c['legacy_communes']} xã trước 2025; "
            f"{c['successions']} quan hệ kế thừa."
        )
        if result.changed:
            self.stdout.write(
                f"Đã thêm {result.created}, cập nhật {result.updated} đơn vị; thêm {result.successions_created}, "
                f"cập nhật {result.successions_updated} quan hệ kế thừa."
            )
        else:
            self.stdout.write("Không có gì thay đổi.")
