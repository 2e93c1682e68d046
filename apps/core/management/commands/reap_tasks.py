from django.core.management.base import BaseCommand

from apps.core.workers import reap


class Command(BaseCommand):
    help = (
        "Thu hồi các tác vụ nền đang ở trạng thái “đang chạy” mà tiến trình xử lý đã dừng: xếp hàng chạy lại, "
        "hoặc đánh dấu thất bại sau số lần thử tối đa (TASK_MAX_ATTEMPTS). Cũng là việc hằng ngày core.tasks_reap; "
        "`manage.py worker` chạy nó mỗi khi khởi động."
    )

    def handle(self, *args, **options):
        reaped = reap()
        self.stdout.write(
            f"Tác vụ bị bỏ dở: {len(reaped.requeued)} được xếp hàng chạy lại, {len(reaped.failed)} đánh dấu thất bại."
        )
