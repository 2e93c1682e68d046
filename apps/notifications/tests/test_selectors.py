import datetime

from django.utils import timezone

from apps.notifications import selectors
from apps.notifications.tests.helpers import newcomer, note


class TestUnreadCount:
    def test_it_counts_the_users_own_unread_notifications(self, cast):
        note(cast.teacher_a)
        note(cast.teacher_a)
        note(cast.teacher_a, read_at=timezone.now())
        note(cast.teacher_b)
        assert selectors.unread_count(cast.teacher_a) == 2

    def test_a_user_with_no_role_still_counts_their_own(self, cast):
        user = newcomer()
        note(user)
        assert selectors.unread_count(user) == 1

    def test_an_anonymous_visitor_has_none(self, cast):
        note(cast.teacher_a)
        assert selectors.unread_count(cast.anonymous) == 0


class TestNotificationList:
    def test_it_lists_the_users_own_newest_first(self, cast):
        old = note(cast.teacher_a, title="Cũ")
        new = note(cast.teacher_a, title="Mới")
        note(cast.teacher_b, title="Của người khác")
        old.created_at = timezone.now() - datetime.timedelta(days=2)
        old.save(update_fields=["created_at"])
        assert [n.title for n in selectors.notification_list(cast.teacher_a)] == [new.title, old.title]

    def test_a_system_administrator_sees_only_their_own_too(self, cast):
        note(cast.teacher_a, title="Của giáo viên")
        mine = note(cast.admin, title="Của quản trị")
        assert list(selectors.notification_list(cast.admin)) == [mine]

    def test_a_deactivated_account_sees_none(self, cast):
        user = newcomer()
        note(user)
        user.is_active = False
        assert not selectors.notification_list(user).exists()
