"""How the scope walk (`tests/test_scope_walk.py`) reaches this app's URL patterns: (HTTP method, kind of object
in the URL or None, what the page needs). Each app declares its own; a new pattern fails the walk until it is
declared here."""

ROUTES = {
    "notifications:list": ("GET", None, "signed_in"),  # each their own; contents tested in apps/notifications
    "notifications:read": ("POST", None, "skip"),  # one's own notification only; tested in apps/notifications
    "notifications:read_all": ("POST", None, "skip"),  # one's own only; tested in apps/notifications/tests
}
