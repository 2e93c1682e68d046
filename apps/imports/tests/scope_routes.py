"""How the scope walk (`tests/test_scope_walk.py`) reaches this app's URL patterns: (HTTP method, kind of object
in the URL or None, what the page needs). Each app declares its own; a new pattern fails the walk until it is
declared here."""

from django.urls import reverse

ROUTES = {
    "imports:list": ("GET", None, "signed_in"),
    "imports:new": ("GET", None, "grantor"),  # a roster: those who manage a school, the same people as grantors
    "imports:detail": ("GET", "import_job", "view"),
    "imports:confirm": ("POST", "import_job", "change"),
    "imports:revise": ("POST", "import_job", "change"),
    "imports:discard": ("POST", "import_job", "change"),
    "imports:rejected": ("GET", None, "skip"),  # a file of the job's own; tested in apps/imports/tests
    "api:list_imports": ("GET", None, "api"),
    "api:get_import": ("GET", "import_job", "view"),
    "api:create_import": ("POST", None, "skip"),  # a multipart upload; tested in apps/imports/tests/test_api.py
    "api:confirm_import": ("POST", "import_job", "skip"),  # answers 200/400, not a redirect; tested in test_api
    "api:revise_import": ("POST", "import_job", "skip"),  # a JSON body; tested in apps/imports/tests/test_api.py
    "api:discard_import": ("POST", "import_job", "skip"),  # answers 200/400; tested in apps/imports/tests
}

# The lists the content walk reads (`tests/test_scope_contents.py`): kind of object, how to narrow to one, its mark.
LISTS = {
    "imports:list": ("import_job", lambda o: {}, lambda o: reverse("imports:detail", args=[o.pk])),
    "api:list_imports": ("import_job", lambda o: {}, lambda o: ("id", o.pk)),
}
