"""How the scope walk (`tests/test_scope_walk.py`) reaches this app's URL patterns: (HTTP method, kind of object
in the URL or None, what the page needs). Each app declares its own; a new pattern fails the walk until it is
declared here."""

ROUTES = {
    "orgunits:tree": ("GET", None, "signed_in"),
    "orgunits:search": ("GET", None, "signed_in"),
    "orgunits:detail": ("GET", "unit", "view"),
    "orgunits:children": ("GET", "unit", "view"),
    "orgunits:hamlet_create": ("POST", "unit", "change"),
    "orgunits:hamlet_import": ("POST", "unit", "change"),
    "orgunits:hamlet_update": ("POST", "unit", "change"),
    "orgunits:hamlet_retire": ("POST", "hamlet", "change"),
    "orgunits:hamlet_restore": ("POST", "hamlet", "change"),
    "api:list_orgunits": ("GET", None, "api"),
    "api:resolve": ("GET", None, "api"),
    "api:get_orgunit": ("GET", "unit", "view"),
}
