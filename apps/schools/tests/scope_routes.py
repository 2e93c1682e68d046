"""How the scope walk (`tests/test_scope_walk.py`) reaches this app's URL patterns: (HTTP method, kind of object
in the URL or None, what the page needs). Each app declares its own; a new pattern fails the walk until it is
declared here."""

from django.urls import reverse

ROUTES = {
    "schools:unit_organisation_create": ("POST", "unit", "change"),
    "schools:list": ("GET", None, "signed_in"),
    "schools:detail": ("GET", "school", "view"),
    "schools:edit": ("GET", "school", "change"),
    "schools:catchment": ("GET", "school", "change"),
    "schools:create": ("GET", None, "school_creator"),
    "schools:site_create": ("POST", "school", "change"),
    "schools:organisation_create": ("POST", "school", "manage"),
    "schools:years": ("GET", None, "signed_in"),
    "schools:year_create": ("GET", None, "province_officer"),
    "schools:year_edit": ("GET", "year", "change"),
    "api:list_schools": ("GET", None, "api"),
    "api:get_school": ("GET", "school", "view"),
}

# The lists the content walk reads (`tests/test_scope_contents.py`): kind of object, how to narrow to one, its mark.
LISTS = {
    "schools:list": ("school", lambda o: {"q": o.moet_code}, lambda o: reverse("schools:detail", args=[o.pk])),
    "api:list_schools": ("school", lambda o: {"q": o.moet_code}, lambda o: ("moet_code", o.moet_code)),
}
