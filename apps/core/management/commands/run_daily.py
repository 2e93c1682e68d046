import argparse
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.core import daily


def a_day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ: {text!r} (dạng YYYY-MM-DD)") from None


def counts(result: dict) -> str:
    return ", ".join(f"{key}={value}" for key, value in result.items()) or "không có gì thay đổi"


class Command(BaseCommand):
    help = (
        "Chạy các việc hằng ngày mà các ứng dụng đã đăng ký, cho một ngày (mặc định: hôm nay, giờ Việt Nam). "
        "Chạy lại trong cùng ngày không làm lại việc đã xong; việc bị lỗi được chạy lại."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", type=a_day, metavar="YYYY-MM-DD", help="ngày cần chạy (mặc định: hôm nay)")

    def handle(self, *args, on=None, **options):
        today = timezone.localdate()
        if on is not None and on > today:  # a day to come would be marked done before it came
            raise CommandError(f"Không chạy việc hằng ngày cho một ngày chưa tới ({on:%d/%m/%Y}).")
        on = on or today
        outcomes = daily.run(on)
        if not outcomes:
            self.stdout.write("Chưa có việc hằng ngày nào được đăng ký.")
        for outcome in outcomes:
            if outcome.status == daily.RAN:
                self.stdout.write(f"{outcome.job}: đã chạy cho ngày {on:%d/%m/%Y} ({counts(outcome.result)}).")
            elif outcome.status == daily.ALREADY_DONE:
                self.stdout.write(f"{outcome.job}: đã chạy xong cho ngày {on:%d/%m/%Y} từ trước, bỏ qua.")
            else:
                self.stdout.write(f"{outcome.job}: lỗi khi chạy cho ngày {on:%d/%m/%Y}: {outcome.failure}")
        if failed := sum(outcome.status == daily.FAILED for outcome in outcomes):
            raise CommandError(f"{failed} việc hằng ngày bị lỗi; chạy lại lệnh để thử lại.")
