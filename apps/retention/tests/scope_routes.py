"""How the scope walk (`tests/test_scope_walk.py`) reaches this app's URL patterns."""

from apps.students.models import Enrolment

ROUTES = {
    "retention:list": ("GET", None, "student_reader"),
    "retention:rules": ("GET", None, "province_officer"),
    "retention:overdue": ("GET", None, "student_reader"),
    "retention:visit_new": ("GET", "record", "change"),
    "retention:note_new": ("POST", "record", "change"),
    "retention:mentor_new": ("POST", "record", "change"),
    "retention:mentors": ("GET", None, "student_reader"),
}

# An enrolment's records (notes, visits) as the walk sees them: the enrolment of teacher A's class 1A, whose
# homeroom teacher writes them (C) though they only read the enrolment itself (V).
OBJECTS = {
    "record": {
        "record_a": (
            lambda cast: Enrolment.objects.filter(school=cast.school_a, class_group__name="1A").first(),
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
