"""How the scope walk (`tests/test_scope_walk.py`) reaches this app's URL patterns. The walk's matrix has no column
for issuing bodies: a body's own pages (its register, issuing, paper entries, downloads) are walked by
`apps/documents/tests/test_views.py` against each member of the cast, so they are declared "skip" here; the list
of bodies and the API's list are walked."""

ROUTES = {
    "documents:list": ("GET", None, "signed_in"),
    "documents:body_create": ("GET", None, "skip"),  # test_views: who may open a body
    "documents:register": ("GET", None, "skip"),
    "documents:issue": ("GET", None, "skip"),
    "documents:paper": ("GET", None, "skip"),
    "documents:attach": ("POST", None, "skip"),  # test_attachments
    "documents:docx": ("GET", None, "skip"),
    "documents:pdf": ("GET", None, "skip"),  # test_pdf
    "documents:pdf_make": ("POST", None, "skip"),
    "documents:attachment": ("GET", None, "skip"),  # test_attachments
    "api:list_issuing_bodies": ("GET", None, "api"),
    "api:list_register": ("GET", None, "skip"),
}

LISTS = {}
