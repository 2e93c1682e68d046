"""How the scope walk (`tests/test_scope_walk.py`) reaches this app's URL patterns: (HTTP method, kind of object
in the URL or None, what the page needs). The pages whose rule the walk's matrix cannot say (a unit page takes
only provinces and communes; lists behind a number refuse partner officers; administrators' thresholds) are
"skip" here and tested in apps/indicators/tests/test_views.py."""

ROUTES = {
    "indicators:index": ("GET", None, "skip"),
    "indicators:unit": ("GET", "unit", "skip"),
    "indicators:unit_export": ("GET", "unit", "skip"),
    "indicators:unit_census": ("GET", "unit", "skip"),
    "indicators:unit_census_export": ("GET", "unit", "skip"),
    "indicators:unit_breakdown_export": ("GET", "unit", "skip"),
    "indicators:unit_headcount_export": ("GET", "unit", "skip"),
    "indicators:school": ("GET", "school", "view"),
    "indicators:school_export": ("GET", "school", "view"),
    "indicators:school_breakdown_export": ("GET", "school", "view"),
    "indicators:school_headcount_export": ("GET", "school", "view"),
    "indicators:school_grades_export": ("GET", "school", "view"),
    "indicators:school_students": ("GET", "school", "skip"),
    "indicators:school_students_export": ("GET", "school", "skip"),
    "indicators:snapshots": ("GET", None, "signed_in"),
    "indicators:snapshot_take": ("POST", "year", "skip"),
    "indicators:snapshot_school": ("GET", "school", "skip"),
    "indicators:snapshot_school_export": ("GET", "school", "skip"),
    "indicators:snapshot_amend": ("GET", "year", "skip"),
    "indicators:universal": ("GET", "unit", "skip"),
    "indicators:universal_export": ("GET", "unit", "skip"),
    "indicators:attest": ("POST", "unit", "skip"),
    "indicators:thresholds": ("GET", None, "skip"),
    "indicators:threshold_edit": ("GET", None, "skip"),
    "api:list_values": ("GET", None, "api"),
    "api:list_snapshots": ("GET", None, "api"),
    "api:get_universal": ("GET", None, "skip"),
}

# The lists behind a number are reached through a school and a measure, not a search: their scope is tested in
# apps/indicators/tests/test_views.py.
LISTS = {}
