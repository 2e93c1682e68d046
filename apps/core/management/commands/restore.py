from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Khôi phục toàn bộ hệ thống từ tệp lưu trữ IN do `backup` tạo: THAY THẾ cơ sở dữ liệu và các tệp đã lưu "
        "(thư mục tệp cũ được đổi tên, giữ lại bên cạnh). Dừng máy chủ web và tiến trình tác vụ nền trước."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, metavar="IN", help="tệp lưu trữ do `manage.py backup` tạo")
        parser.add_argument("--yes", action="store_true", help="không hỏi lại (dùng trong kịch bản)")

    def handle(self, *args, archive: Path, yes: bool, **options):
        if not archive.is_file():
            raise CommandError(f"Không tìm thấy tệp {archive}.")
        if not yes:
            answer = input(
                "Khôi phục sẽ THAY THẾ toàn bộ dữ liệu hiện có bằng dữ liệu trong bản sao lưu.\nGõ 'yes' để tiếp tục: "
            )
            if answer != "yes":
                self.stdout.write("Đã hủy, không có gì thay đổi.")
                return
        try:
            summary = restore(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã khôi phục từ {archive}: {summary.tables} bảng, {summary.rows} dòng, {summary.files} tệp; "
            "số dòng của mọi bảng khớp với bản sao lưu."
        )
