"""How the scope walk (`tests/test_scope_walk.py`) reaches this app's URL patterns: (HTTP method, kind of object
in the URL or None, what the page needs). Each app declares its own; a new pattern fails the walk until it is
declared here."""

from django.urls import reverse

ROUTES = {
    "accounts:user_list": ("GET", None, "signed_in"),
    "accounts:user_create": ("GET", None, "grantor"),
    "accounts:user_detail": ("GET", "user", "view"),
    "accounts:role_grant": ("POST", "user", "view"),
    "accounts:role_revoke": ("POST", "assignment", "manage"),
    "accounts:tokens": ("GET", None, "signed_in"),
    "accounts:token_revoke": ("POST", None, "skip"),  # a user's own tokens only; tested in test_api
    "accounts:token_renew": ("POST", None, "skip"),  # a user's own tokens only; tested in test_tokens
}

# The lists the content walk reads (`tests/test_scope_contents.py`): kind of object, how to narrow to one, its mark.
LISTS = {
    "accounts:user_list": ("user", lambda o: {}, lambda o: reverse("accounts:user_detail", args=[o.pk])),
}
