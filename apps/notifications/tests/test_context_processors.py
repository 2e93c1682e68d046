from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from apps.notifications.context_processors import notifications
from apps.notifications.tests.helpers import note


class TestNotificationsContext:
    def test_the_count_costs_nothing_until_a_page_shows_it(self, cast):
        note(cast.teacher_a)
        request = RequestFactory().get("/")
        request.user = cast.teacher_a
        with CaptureQueriesContext(connection) as captured:
            context = notifications(request)
        assert len(captured) == 0
        assert str(context["unread_notifications"]) == "1"

    def test_an_anonymous_visitor_gets_no_count(self, cast):
        request = RequestFactory().get("/")
        request.user = cast.anonymous
        assert notifications(request) == {}
