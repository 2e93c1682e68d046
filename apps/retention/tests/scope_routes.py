"""How the scope walk (`tests/test_scope_walk.py`) reaches this app's URL patterns."""

from django.urls import reverse

from apps.students.models import Enrolment


def _mentorship(cast):
    """A mentorship of a pupil of teacher A's class 1A by the province officer (who only reads the enrolment)."""
    import datetime

    from apps.retention.models import Mentorship

    enrolment = Enrolment.objects.filter(school=cast.school_a, class_group__name="1A").first()
    found, _created = Mentorship.objects.get_or_create(
        enrolment=enrolment,
        mentor=cast.principal_a,
        defaults={"starts_on": datetime.date(2025, 9, 5), "assigned_by": cast.principal_a},
    )
    return found


def _peer_pair(cast):
    import datetime

    from apps.retention.models import PeerPair

    first, second = Enrolment.objects.filter(school=cast.school_a, class_group__name="1A").order_by("pk")[:2]
    found, _created = PeerPair.objects.get_or_create(
        enrolment=first, helper=second, defaults={"starts_on": datetime.date(2025, 9, 5)}
    )
    return found


# The enrolment's writers (C), its readers (V), the others (H): as for the enrolment's notes and visits.
_RECORD_RULES = {
    "admin": "C",
    "province_officer": "V",
    "commune_officer": "C",
    "principal_a": "C",
    "teacher_a": "C",
    "teacher_b": "H",
    "partner": "H",
}

ROUTES = {
    "retention:list": ("GET", None, "student_reader"),
    "retention:rules": ("GET", None, "province_officer"),
    "retention:overdue": ("GET", None, "student_reader"),
    "retention:visit_new": ("GET", "record", "change"),
    "retention:note_new": ("POST", "record", "change"),
    "retention:mentor_new": ("POST", "record", "change"),
    "retention:mentors": ("GET", None, "student_reader"),
    "retention:mentorship": ("GET", "mentorship", "view"),
    "retention:mentorship_note_new": ("POST", "mentorship", "change"),
    "retention:mentorship_end": ("POST", "mentorship", "change"),
    "retention:peer_pairs": ("GET", "class", "view"),
    "retention:peer_pair_end": ("POST", "peer_pair", "change"),
    "api:list_flags": ("GET", None, "student_reader"),
    "api:enrolment_flags": ("GET", "record", "view"),
    "api:list_mentorships": ("GET", None, "api"),
    "api:create_mentorship": ("POST", None, "skip"),  # JSON bodies: tested in apps/retention/tests/test_api.py
    "api:end_mentorship": ("POST", "mentorship", "skip"),
    "api:list_mentor_notes": ("GET", "mentorship", "view"),
    "api:create_mentor_note": ("POST", "mentorship", "skip"),
    "api:list_visits": ("GET", None, "api"),
    "api:create_visit": ("POST", None, "skip"),
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
OBJECTS["mentorship"] = {"mentorship_a": (_mentorship, _RECORD_RULES)}
OBJECTS["peer_pair"] = {"peer_pair_a": (_peer_pair, _RECORD_RULES)}


# Dropout cases and the hotline (issue 17).
def _case(cast):
    """A case of the child in teacher A's class 1A (opened as a dropout would open it)."""
    from apps.retention.models import DropoutCase

    enrolment = Enrolment.objects.filter(school=cast.school_a, class_group__name="1A").select_related("child").first()
    case = DropoutCase.objects.filter(child=enrolment.child).exclude(status="closed").first()
    return case or DropoutCase.objects.create(
        child=enrolment.child,
        enrolment=enrolment,
        commune_id=enrolment.child.commune_id,
        year=enrolment.year,
        source="dropout",
        opened_on=enrolment.year.starts_on,
    )


def _report(cast):
    """A hotline report for commune A."""
    from apps.retention.models import HotlineReport

    return HotlineReport.objects.get_or_create(
        code="WALKWALK22", defaults={"commune": cast.commune_a, "child_text": "—"}
    )[0]


ROUTES.update(
    {
        "retention:cases": ("GET", None, "student_reader"),
        "retention:case": ("GET", "case", "view"),
        "retention:case_update": ("POST", "case", "change"),
        "retention:case_intervention": ("POST", "case", "change"),
        "retention:case_follow_up": ("POST", "case", "change"),
        "retention:case_close": ("POST", "case", "change"),
        "retention:case_confirm": ("POST", "case", "change"),
        "retention:case_link": ("POST", "case", "change"),
        "retention:hotline": ("GET", None, "public"),
        "retention:hotline_status": ("GET", None, "public"),
        "retention:hotline_intake": ("GET", None, "officer"),
        "retention:hotline_reports": ("GET", None, "officer"),
        "retention:hotline_report": ("GET", "hotline_report", "view"),
        "retention:hotline_accept": ("POST", "hotline_report", "change"),
        "retention:hotline_close": ("POST", "hotline_report", "change"),
        "retention:hotline_number": ("GET", None, "officer"),
    }
)
OBJECTS.update(
    {
        "case": {
            "case_a": (
                _case,
                {
                    "admin": "C",
                    "province_officer": "C",
                    "commune_officer": "C",
                    "principal_a": "C",
                    "teacher_a": "V",
                    "teacher_b": "H",
                    "partner": "H",
                },
            )
        },
        "hotline_report": {
            "report_a": (
                _report,
                {
                    "admin": "C",
                    "province_officer": "C",
                    "commune_officer": "C",
                    "principal_a": "H",
                    "teacher_a": "H",
                    "teacher_b": "H",
                    "partner": "H",
                },
            )
        },
    }
)

ROUTES.update(
    {
        "retention:out_of_school": ("GET", None, "officer"),
        "retention:child_merge": ("POST", "census_child", "change"),
        "retention:child_case": ("POST", "census_child", "change"),
    }
)
ROUTES.update(
    {
        "retention:phase1": ("GET", None, "student_reader"),
        "retention:steering_new": ("POST", "census_child", "change"),
    }
)


# A child as the out-of-school list and the phase-1 lists write about them (a merge, a case, a steering): changed
# by the officers of the commune where they live and by the managers of a school enrolling them
# (`students.ChildQuerySet`), read by their teacher.
OBJECTS["census_child"] = {
    "census_child_a": (
        lambda cast: Enrolment.objects.filter(school=cast.school_a, class_group__name="1A").first().child,
        {
            "admin": "C",
            "province_officer": "C",
            "commune_officer": "C",
            "principal_a": "C",
            "teacher_a": "V",
            "teacher_b": "H",
            "partner": "H",
        },
    )
}


def _partner_case(cast):
    """An open case owned by the partner's organisation: of another pupil of 1A living in the same commune as the
    child of `case_a`."""
    from apps.retention.models import DropoutCase

    first = Enrolment.objects.filter(school=cast.school_a, class_group__name="1A").select_related("child").first()
    enrolment = (
        Enrolment.objects.filter(school=cast.school_a, class_group__name="1A", child__commune=first.child.commune_id)
        .exclude(child=first.child)
        .select_related("child")
        .order_by("pk")
        .first()
    )
    case = DropoutCase.objects.filter(child=enrolment.child).exclude(status="closed").first()
    if case is None:
        case = DropoutCase.objects.create(
            child=enrolment.child,
            enrolment=enrolment,
            commune_id=enrolment.child.commune_id,
            year=enrolment.year,
            source="dropout",
            opened_on=enrolment.year.starts_on,
        )
    DropoutCase.objects.filter(pk=case.pk).update(owner_organisation=cast.organisation, owner_user=None)
    return DropoutCase.objects.get(pk=case.pk)


# The cases' API (the same scope as the pages); an organisation's officers hold their open cases.
ROUTES.update({"api:list_cases": ("GET", None, "api"), "api:get_case": ("GET", "case", "view")})
OBJECTS["case"]["case_partner"] = (
    _partner_case,
    {
        "admin": "C",
        "province_officer": "C",
        "commune_officer": "C",
        "principal_a": "C",
        "teacher_a": "V",
        "teacher_b": "H",
        "partner": "C",
    },
)

LISTS = {
    "retention:cases": (
        "case",
        lambda o: {"commune": o.commune_id, "status": "all"},
        lambda o: reverse("retention:case", args=[o.pk]),
    ),
    "api:list_cases": ("case", lambda o: {"commune": o.commune_id, "status": "all"}, lambda o: ("id", o.pk)),
}
