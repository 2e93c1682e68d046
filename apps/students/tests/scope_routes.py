"""How the scope walk (`tests/test_scope_walk.py`) reaches this app's URL patterns: (HTTP method, kind of object
in the URL or None, what the page needs). Each app declares its own; a new pattern fails the walk until it is
declared here."""

from django.urls import reverse

from apps.students.models import ClassGroup

ROUTES = {
    "students:list": ("GET", None, "student_reader"),
    "students:child": ("GET", "child", "view"),
    "students:enrolment_event": ("POST", "enrolment", "change"),
    "students:export": ("GET", None, "student_reader"),
    "students:census": ("GET", None, "officer"),
    "students:census_hamlet": ("GET", "hamlet", "change"),
    "students:classes": ("GET", None, "student_reader"),
    "students:absences": ("GET", "class", "view"),
    "students:absence_cell": ("POST", "class", "change"),  # the homeroom teacher writes; the enrolment stays V
    "students:results": ("GET", "class", "view"),
    "api:list_enrolments": ("GET", None, "student_reader"),
    "api:get_child": ("GET", "child", "view"),
    "api:students_list_imports": ("GET", None, "api"),  # the aliases of the imports' first home
    "api:students_get_import": ("GET", "import_job", "view"),
    "api:students_create_import": ("POST", None, "skip"),  # tested in apps/students/tests/test_api.py
    "api:students_confirm_import": ("POST", "import_job", "skip"),
    "api:list_class_absences": ("GET", "class", "view"),
    "api:write_class_absences": ("POST", "class", "skip"),  # a JSON body; tested in apps/students/tests/test_api.py
    "api:list_class_results": ("GET", "class", "view"),
    "api:write_class_results": ("POST", "class", "skip"),  # a JSON body; tested in apps/students/tests/test_api.py
}

# The lists the content walk reads (`tests/test_scope_contents.py`): kind of object, how to narrow to one, its mark.
LISTS = {
    "students:list": ("child", lambda o: {"q": o.full_name}, lambda o: reverse("students:child", args=[o.pk])),
    "students:export": ("child", lambda o: {"q": o.full_name}, lambda o: o.full_name),
    "api:list_enrolments": ("child", lambda o: {"q": o.full_name}, lambda o: ("child_id", o.pk)),
}

# The objects this app adds to the walk: kind → {label: (find it in the cast, each member's rule)}. Teacher A is the
# homeroom teacher of class 1A: they write its register (C) though they only read its enrolments (V).
OBJECTS = {
    "class": {
        "class_a": (
            lambda cast: ClassGroup.objects.get(school=cast.school_a, name="1A", year__start_year=2025),
            {
                "admin": "C",
                "province_officer": "V",
                "commune_officer": "C",
                "principal_a": "C",
                "teacher_a": "C",
                "teacher_b": "H",
                "partner": "H",
            },
        )
    }
}
