"""The users' home tile: the accounts a manager holds that have no role now."""

from django.urls import reverse

from apps.accounts import services
from apps.accounts.site import users_tile


class TestUsersTile:
    def test_an_account_whose_role_was_revoked_needs_attention(self, cast, client_for):
        before = users_tile(cast.principal_a)["without_role"]
        assignment = cast.teacher_a.role_assignments.get(revoked_at__isnull=True)
        services.role_revoke(actor=cast.principal_a, assignment=assignment)
        assert users_tile(cast.principal_a)["without_role"] == before + 1
        page = client_for(cast.principal_a).get(reverse("home")).content.decode()
        assert f"{before + 1} tài khoản chưa có vai trò" in page

    def test_those_who_grant_no_roles_get_no_tile(self, cast):
        assert users_tile(cast.teacher_a) is None and users_tile(cast.partner) is None
