from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ hệ thống vào một tệp lưu trữ OUT (.tar.gz): cơ sở dữ liệu (SQLite: API sao lưu trực tuyến; "
        "PostgreSQL: pg_dump) và các tệp đã lưu (MEDIA_ROOT). Trang web có thể tiếp tục chạy trong lúc sao lưu."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, help="tệp lưu trữ sẽ ghi, ví dụ /srv/backup/dentruong-2025-09-05.tar.gz")

    def handle(self, *args, out: Path, **options):
        if out.exists():
            raise CommandError(f"{out} đã tồn tại: chọn một tên khác (bản sao lưu cũ không bị ghi đè).")
        try:
            summary = backup(out)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã sao lưu vào {out}: {summary.tables} bảng, {summary.rows} dòng, {summary.files} tệp "
            f"({summary.bytes / 2**20:.1f} MB)."
        )
