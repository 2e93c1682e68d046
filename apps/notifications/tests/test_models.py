import pytest
from django.core.exceptions import ValidationError

from apps.notifications.models import Notification, is_local_path
from apps.notifications.tests.helpers import newcomer, note


class TestLocalPath:
    @pytest.mark.parametrize("url", ["/", "/imports/42/", "/students/?page=2#list"])
    def test_a_path_of_this_site_is_local(self, url):
        assert is_local_path(url)

    @pytest.mark.parametrize(
        "url",
        [
            "",
            "http://evil.example",
            "https://evil.example/imports/",
            "//evil.example/imports/",
            "/\\evil.example",
            "javascript:alert(1)",
            "imports/42/",
            "/imports/\n42/",
            "/imports/ 42/",
        ],
    )
    def test_another_site_a_scheme_or_a_broken_path_is_not(self, url):
        assert not is_local_path(url)


class TestNotification:
    def test_a_link_to_another_site_fails_validation(self, cast):
        notification = Notification(
            recipient=cast.teacher_a, kind="imports.done", title="Xong", url="http://evil.example"
        )
        with pytest.raises(ValidationError) as caught:
            notification.full_clean()
        assert "url" in caught.value.message_dict

    def test_a_local_link_and_no_link_both_pass(self, cast):
        Notification(recipient=cast.teacher_a, kind="imports.done", title="Xong", url="/imports/").full_clean()
        Notification(recipient=cast.teacher_a, kind="imports.done", title="Xong", url="").full_clean()

    @pytest.mark.parametrize("kind", ["imports", "Imports.Done", "imports.done!", ".done"])
    def test_a_kind_is_a_dotted_lowercase_code(self, cast, kind):
        with pytest.raises(ValidationError) as caught:
            Notification(recipient=cast.teacher_a, kind=kind, title="Xong").full_clean()
        assert "kind" in caught.value.message_dict


class TestScope:
    def test_restrict_shows_a_user_only_their_own(self, cast):
        own, other = note(cast.teacher_a), note(cast.teacher_b)
        seen = set(Notification.objects.restrict(cast.teacher_a, "change"))
        assert own in seen and other not in seen

    def test_restrict_alone_would_hide_a_roleless_users_own_notifications(self, cast):
        # Why the selectors filter by recipient themselves (see selectors.own): an empty scope reaches nothing.
        user = newcomer()
        note(user)
        assert not Notification.objects.restrict(user).exists()
