import sys

from django.core.management.base import BaseCommand

from apps.orgunits.resolver import resolve


class Command(BaseCommand):
    help = (
        "Tìm đơn vị hành chính hiện hành từ một địa chỉ viết theo cách cũ hoặc mới. In 'MÃ<TAB>Tên, Tỉnh'; "
        "mã thoát 1 khi không tìm thấy, 3 khi có nhiều khả năng (in danh sách ứng viên)."
    )

    def add_arguments(self, parser):
        parser.add_argument("text", help='ví dụ "xã Trà Nam, huyện Nam Trà My, tỉnh Quảng Nam"')

    def handle(self, *args, text, **options):
        result = resolve(text)
        for unit in result.units:
            self.stdout.write(f"{unit.code}\t{unit.full_name()}")
        if result.status == "unknown":
            self.stderr.write(f"Không tìm thấy đơn vị hành chính nào khớp với “{text}”.")
            sys.exit(1)
        if result.status == "ambiguous":
            self.stderr.write(
                f"“{text}” khớp với {len(result.units)} đơn vị hiện hành; hãy ghi rõ thêm huyện, tỉnh hoặc thôn."
            )
            sys.exit(3)
