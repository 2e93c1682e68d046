import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.notifications.models import Notification
from apps.notifications.tests.helpers import newcomer, note

LIST = reverse("notifications:list")


def bell(response) -> str:
    """The bell in the header, as the page shows it."""
    match = re.search(r'<ul class="site-bell">.*?</ul>', response.content.decode(), re.S)
    assert match, "the header has no bell"
    return match.group(0)


class TestBell:
    def test_it_shows_how_many_are_unread(self, cast, client_for):
        note(cast.teacher_a)
        note(cast.teacher_a)
        note(cast.teacher_a, read_at=timezone.now())
        note(cast.teacher_b)
        shown = bell(client_for(cast.teacher_a).get(reverse("home")))
        assert f'href="{LIST}"' in shown
        assert '<span class="badge">2</span>' in shown
        assert 'aria-label="Thông báo: 2 chưa đọc"' in shown

    def test_with_nothing_unread_it_shows_no_count(self, cast, client_for):
        note(cast.teacher_a, read_at=timezone.now())
        shown = bell(client_for(cast.teacher_a).get(reverse("home")))
        assert "Thông báo" in shown and "badge" not in shown and "aria-label" not in shown

    def test_an_anonymous_visitor_sees_no_bell(self, cast, client_for):
        assert 'class="site-bell"' not in client_for(cast.anonymous).get(reverse("login")).content.decode()


class TestList:
    def test_it_lists_only_the_users_own_marking_the_unread_in_words(self, cast, client_for):
        note(cast.teacher_a, title="Đã nhập xong tệp lop1a.xlsx")
        note(cast.teacher_a, title="Kế hoạch đã được duyệt", read_at=timezone.now())
        note(cast.teacher_b, title="Thông báo của trường B")
        page = client_for(cast.teacher_a).get(LIST).content.decode()
        assert "Đã nhập xong tệp lop1a.xlsx" in page and "Kế hoạch đã được duyệt" in page
        assert "Thông báo của trường B" not in page
        assert page.count('<span class="badge status-info">Chưa đọc</span>') == 1
        assert "1 thông báo chưa đọc." in page

    def test_a_user_with_no_role_sees_their_own(self, cast, client_for):
        user = newcomer()
        note(user, title="Chào mừng đến với Đến Trường")
        assert "Chào mừng đến với Đến Trường" in client_for(user).get(LIST).content.decode()

    def test_an_anonymous_visitor_is_sent_to_sign_in(self, cast, client_for):
        response = client_for(cast.anonymous).get(LIST)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    def test_it_takes_as_many_queries_for_thirty_as_for_three(self, cast, client_for):
        client = client_for(cast.teacher_a)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(LIST).status_code == 200
            return len(captured)

        for _ in range(3):
            note(cast.teacher_a)
        few = queries()
        for _ in range(27):
            note(cast.teacher_a)
        assert queries() == few


class TestMarkRead:
    def test_it_marks_it_read_and_opens_its_page(self, cast, client_for):
        notification = note(cast.teacher_a, url="/imports/42/")
        response = client_for(cast.teacher_a).post(reverse("notifications:read", args=[notification.pk]))
        assert response.status_code == 302 and response["Location"] == "/imports/42/"
        notification.refresh_from_db()
        assert notification.read_at is not None

    def test_another_users_notification_answers_404_and_stays_unread(self, cast, client_for):
        notification = note(cast.teacher_b)
        response = client_for(cast.admin).post(reverse("notifications:read", args=[notification.pk]))
        assert response.status_code == 404
        notification.refresh_from_db()
        assert notification.read_at is None

    def test_a_link_to_another_site_is_never_followed(self, cast, client_for):
        notification = note(cast.teacher_a)
        Notification.objects.filter(pk=notification.pk).update(url="//evil.example/")  # past the validation
        response = client_for(cast.teacher_a).post(reverse("notifications:read", args=[notification.pk]))
        assert response.status_code == 302 and response["Location"] == LIST

    def test_it_answers_only_to_post(self, cast, client_for):
        notification = note(cast.teacher_a)
        assert client_for(cast.teacher_a).get(reverse("notifications:read", args=[notification.pk])).status_code == 405
        notification.refresh_from_db()
        assert notification.read_at is None

    def test_marking_all_read_clears_the_bell_and_leaves_others_unread(self, cast, client_for):
        note(cast.teacher_a)
        note(cast.teacher_a)
        others = note(cast.teacher_b)
        client = client_for(cast.teacher_a)
        response = client.post(reverse("notifications:read_all"), follow=True)
        assert "Đã đánh dấu 2 thông báo là đã đọc." in response.content.decode()
        assert "badge" not in bell(response)
        others.refresh_from_db()
        assert others.read_at is None
