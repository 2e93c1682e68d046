"""The retention app's place on the site: its menu entry, the teacher's home tile, its routes."""

from django.utils.translation import gettext_lazy as _

from apps.core import sections
from apps.students.site import may_open_students


def may_open_retention(user) -> bool:
    """Who reads the students' records: those who govern units and the schools' staff."""
    return may_open_students(user)


def may_open_rules(user) -> bool:
    from apps.retention.selectors import editable_provinces

    return user.is_authenticated and editable_provinces(user).exists()


def visits_tile(user) -> dict | None:
    """First on the home page of a homeroom teacher, a principal or a mentor: the students whose visit is due."""
    from apps.core.scoping import scope_for
    from apps.retention.models import Mentorship
    from apps.retention.selectors import overdue_visits

    scope = scope_for(user)
    if not (scope.staff_school_ids or Mentorship.objects.filter(mentor_id=user.pk, ends_on__isnull=True).exists()):
        return None
    rows = overdue_visits(user, limit=6)
    return {"rows": rows[:5], "more": len(rows) > 5}


def child_panel(user, child) -> dict | None:
    """The child page's part: the risk level with its reasons and history, the home visits, the teacher's notes."""
    from apps.core.scoping import VIEW
    from apps.retention import services
    from apps.retention.forms import MentorForm, NoteForm
    from apps.retention.models import Mentorship, RiskFlag, TeacherNote
    from apps.retention.selectors import visits_of_child

    enrolments = [e for e in getattr(child, "visible_enrolments", []) if e.ongoing]
    flags = list(RiskFlag.objects.restrict(user, VIEW).filter(enrolment__child=child).order_by("-computed_at", "-pk"))
    visits = visits_of_child(user, child)
    if not (enrolments or flags or visits):
        return None
    current = next((f for f in flags if f.current and f.enrolment_id in {e.pk for e in enrolments}), None)

    def may(check, e) -> bool:
        try:
            check(user, e.pk)
        except Exception:  # noqa: BLE001 - Http404 / PermissionDenied: the button is not shown
            return False
        return True

    writable = [e for e in enrolments if may(services.writable_enrolment, e)]  # asked once per enrolment
    return {
        "current": current,
        "history": [f for f in flags if f is not current],
        "visits": visits,
        # Whoever may write an enrolment's records may log its visits; the others only as its mentor.
        "visitable": [e for e in enrolments if e in writable or may(services.visitable_enrolment, e)],
        "writable": writable,
        "notes": list(TeacherNote.objects.restrict(user, VIEW).filter(enrolment__child=child)),
        "note_form": NoteForm(),
        "mentor_forms": [(e, MentorForm(school=e.school, prefix=f"m{e.pk}")) for e in writable],
        "mentorships": list(
            Mentorship.objects.restrict(user, VIEW)
            .filter(enrolment__child=child)
            .select_related("mentor")
            .order_by("-starts_on")
        ),
    }


def register(app: str) -> None:
    from apps.students.site import register_child_panel

    register_child_panel("retention", "retention/partials/child_panel.html", child_panel, order=50)
    sections.register_tile(sections.Tile(app, "visits", "retention/partials/home_tile.html", visits_tile, order=1))
    sections.register_section(
        sections.Section(app, "retention", _("Nguy cơ bỏ học"), "retention:list", may_open_retention, order=35)
    )
    sections.register_section(
        sections.Section(app, "mentors", _("Đỡ đầu"), "retention:mentors", may_open_retention, order=37)
    )
    sections.register_section(
        sections.Section(app, "retention_rules", _("Quy tắc cảnh báo sớm"), "retention:rules", may_open_rules, order=36)
    )
    sections.register_routes(
        sections.Routes(app, "retention/", "apps.retention.urls", "/retention", "apps.retention.api.router")
    )


def may_open_hotline(user) -> bool:
    from apps.retention.hotline_views import may_take_reports

    return may_take_reports(user)


def register_cases(app: str) -> None:
    """Dropout cases and the hotline's reports in the menu (issue 17)."""
    sections.register_section(
        sections.Section(app, "cases", _("Vận động trẻ bỏ học"), "retention:cases", may_open_retention, order=38)
    )
    sections.register_section(
        sections.Section(
            app, "hotline", _("Tin báo đường dây nóng"), "retention:hotline_reports", may_open_hotline, order=39
        )
    )
    sections.register_section(
        sections.Section(
            app, "out_of_school", _("Trẻ ngoài nhà trường"), "retention:out_of_school", may_open_hotline, order=40
        )
    )
    sections.register_section(
        sections.Section(app, "phase1", _("Giai đoạn 1: huy động"), "retention:phase1", may_open_retention, order=41)
    )
