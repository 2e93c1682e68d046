"""How the scope walk (`tests/test_scope_walk.py`) reaches this app's URL patterns: (HTTP method, kind of object in
the URL or None, what the page needs). The targets' pages open for whoever governs a unit or staffs a school — the
walk's "student_reader" set (officers, principal, teachers), a partner officer gets 403 —; the pages of one annex,
publishing and reopening follow rules the walk's matrix cannot say (a principal reads the annex they cannot approve,
a province officer reads a commune school's annex it does not approve) and are tested in
apps/targets/tests/test_views.py."""

ROUTES = {
    "targets:index": ("GET", None, "student_reader"),
    "targets:late": ("GET", None, "student_reader"),
    "targets:publish": ("GET", "unit", "skip"),
    "targets:results_export": ("GET", "unit", "skip"),
    "targets:annex_start": ("POST", "school", "skip"),
    "targets:annex_reopen": ("POST", "school", "skip"),
    "targets:annex": ("GET", None, "skip"),
    "targets:annex_submit": ("POST", None, "skip"),
    "targets:annex_approve": ("POST", None, "skip"),
    "targets:annex_return": ("POST", None, "skip"),
    "targets:annex_export": ("GET", None, "skip"),
    "api:list_targets": ("GET", None, "api"),
    "api:list_registrations": ("GET", None, "api"),
}

LISTS = {}
