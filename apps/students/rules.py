"""The rules of children and enrolments that every path applies (the services, the importers, the pages, later
the casework): the household circumstances a child's record holds, the events an enrolment opens with, which
status may follow which, what a status read from a roster means, and that a child has at most one ongoing
enrolment per school year. Plain functions over plain values; the unscoped existence check is
`selectors.enrolled_anywhere`."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.students.models import EnrolmentEvent

Kind = EnrolmentEvent.Kind

# The household circumstances on a child's record (fields of `Child`), as pages, filters and imports name them.
CIRCUMSTANCES = {
    "poor": gettext_lazy("Hộ nghèo"),
    "near_poor": gettext_lazy("Hộ cận nghèo"),
    "orphan": gettext_lazy("Mồ côi"),
    "disability": gettext_lazy("Khuyết tật"),
    "remote_area": gettext_lazy("Vùng đặc biệt khó khăn"),
}
# The events an enrolment may open with (a child enrolled, transferred in, or repeating the grade).
OPENING = (Kind.ENROLLED, Kind.TRANSFERRED_IN, Kind.REPEATING)
# A child whose last enrolment ended in a dropout or in not continuing after the summer may come back in a new
# enrolment that opens as a return (the casework's "returned to school").
ENDED_OUT = (Kind.DROPPED_OUT, Kind.NOT_CONTINUED)


def may_open_with(kind: str, last_status: str | None) -> bool:
    """Whether a new enrolment may open with `kind`, given the status the child's latest earlier enrolment ended
    with (None: no earlier enrolment)."""
    return kind in OPENING or (kind == Kind.RETURNED and last_status in ENDED_OUT)


# What may follow the current status: a dropout can return, a transfer out ends the enrolment, and so on.
FOLLOWS = {
    Kind.ENROLLED: {Kind.TRANSFERRED_OUT, Kind.DROPPED_OUT, Kind.COMPLETED, Kind.REPEATING, Kind.NOT_CONTINUED},
    Kind.TRANSFERRED_IN: {Kind.TRANSFERRED_OUT, Kind.DROPPED_OUT, Kind.COMPLETED, Kind.REPEATING},
    Kind.RETURNED: {Kind.TRANSFERRED_OUT, Kind.DROPPED_OUT, Kind.COMPLETED, Kind.REPEATING},
    Kind.REPEATING: {Kind.TRANSFERRED_OUT, Kind.DROPPED_OUT, Kind.COMPLETED},
    Kind.DROPPED_OUT: {Kind.RETURNED, Kind.TRANSFERRED_OUT},
    Kind.TRANSFERRED_OUT: {Kind.TRANSFERRED_IN},
    Kind.COMPLETED: set(),
    Kind.NOT_CONTINUED: {Kind.RETURNED},
}


# The statuses of an enrolment the child is still at: at most one per child and school year (enforced by the
# database through `Enrolment.ongoing`).
ONGOING = frozenset({Kind.ENROLLED, Kind.TRANSFERRED_IN, Kind.RETURNED, Kind.REPEATING})


def is_ongoing(status: str | None) -> bool:
    return status in ONGOING


def elsewhere_message() -> str:
    """Why a child ongoing at another school this year cannot be enrolled here (naming nothing of that school)."""
    return _("đang học tại trường khác trong năm học này: trường đó cần ghi nhận chuyển đi trước")


def cannot_follow(new: str, old: str) -> str:
    return _("Không thể ghi “%(new)s” sau “%(old)s”.") % {"new": Kind(new).label, "old": Kind(old).label}


def roster_transition(current: str | None, listed: str) -> str | None:
    """The event that a status read from a roster makes of an enrolment's current status, or None when the two
    agree: "Đang học" after a dropout is a return, after a transfer out a transfer back in. A status that cannot
    follow the current one raises ValueError (the same rule as `enrolment_record_event`)."""
    if current is None or listed == current:
        return None
    if listed in (Kind.ENROLLED, Kind.TRANSFERRED_IN):
        if current in ONGOING:
            return None
        if current in (Kind.DROPPED_OUT, Kind.NOT_CONTINUED):
            return Kind.RETURNED
        if current == Kind.TRANSFERRED_OUT:
            return Kind.TRANSFERRED_IN
    elif listed in FOLLOWS[current]:
        return listed
    raise ValueError(cannot_follow(listed, current))
