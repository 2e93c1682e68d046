"""How the scope walk (`tests/test_scope_walk.py`) reaches this app's URL patterns."""

ROUTES = {
    "retention:list": ("GET", None, "student_reader"),
    "retention:rules": ("GET", None, "province_officer"),
}
