"""Mentors (cán bộ, giáo viên đỡ đầu) and peer pairs (Đôi bạn cùng tiến). While a mentorship lasts the mentor sees
the child and their enrolment (a scope contribution to the students' models, registered from the app's config; the
child's page logs every read); when it ends, the sight ends."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import RoleAssignment
from apps.core.audit import audit_record
from apps.core.scoping import NOTHING, VIEW, contribute
from apps.retention.models import Level, MentorNote, Mentorship, PeerPair, RiskFlag
from apps.retention.rules import rules_for
from apps.retention.services import writable_enrolment
from apps.schools.models import School
from apps.students.models import Enrolment


def in_force(on: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_on__lte": on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on})
    )


def _mentored(scope):
    return Mentorship.objects.filter(in_force(timezone.localdate()), mentor_id=scope.user_id)


def mentee_enrolments(scope, action):
    """The contribution to `students.Enrolment`: a mentor sees the enrolment they mentor, while it lasts."""
    if action != VIEW or scope.user_id is None:
        return NOTHING
    return Q(pk__in=_mentored(scope).values("enrolment"))


def mentee_children(scope, action):
    """The contribution to `students.Child`: a mentor sees the child they mentor, while it lasts."""
    if action != VIEW or scope.user_id is None:
        return NOTHING
    return Q(pk__in=_mentored(scope).values("enrolment__child"))


def register_contributions() -> None:
    contribute("students.enrolment", mentee_enrolments)
    contribute("students.child", mentee_children)


def may_mentor(user, school: School) -> bool:
    """A teacher or principal of the school, or an officer of a unit above it (today's roles)."""
    held = RoleAssignment.objects.active().filter(user=user)
    if held.filter(school=school).exists():
        return True
    paths = [p for p in held.exclude(org_unit=None).values_list("org_unit__path", flat=True)]
    return any(school.location.path.startswith(p) for p in paths)


def at_risk_or_disadvantaged(enrolment: Enrolment) -> bool:
    child = enrolment.child
    if child.poor or child.near_poor or child.orphan or child.disability or child.remote_area:
        return True
    return RiskFlag.objects.filter(enrolment=enrolment, current=True, level__in=(Level.MEDIUM, Level.HIGH)).exists()


@transaction.atomic
def mentor_assign(*, actor, enrolment: Enrolment, mentor, starts_on: datetime.date | None = None) -> Mentorship:
    """A mentor for an at-risk or disadvantaged student, assigned by those who write the student's records (the
    school's managers, the homeroom teacher); a mentor takes at most the province's limit (two by default) at once."""
    enrolment = writable_enrolment(actor, enrolment.pk)
    starts_on = starts_on or timezone.localdate()
    if not getattr(mentor, "is_active", False) or not may_mentor(mentor, enrolment.school):
        raise ValidationError({"mentor": _("Người đỡ đầu phải là giáo viên, cán bộ của trường hoặc của địa phương.")})
    if not at_risk_or_disadvantaged(enrolment):
        raise ValidationError(_("Chỉ phân công đỡ đầu học sinh có nguy cơ bỏ học hoặc có hoàn cảnh khó khăn."))
    # One mentor's assignments are counted under a lock on the mentor's row: two at once cannot both pass.
    type(mentor).objects.select_for_update().filter(pk=mentor.pk).first()
    limit = rules_for(enrolment.year.province_id).mentor_limit
    current = Mentorship.objects.filter(in_force(starts_on), mentor=mentor).count()
    if current >= limit:
        raise ValidationError(
            {"mentor": _("%(m)s đã đỡ đầu %(n)s học sinh (tối đa %(l)s).") % {"m": mentor, "n": current, "l": limit}}
        )
    if Mentorship.objects.filter(enrolment=enrolment, mentor=mentor, ends_on__isnull=True).exists():
        raise ValidationError({"mentor": _("%(m)s đang đỡ đầu em này.") % {"m": mentor}})
    mentorship = Mentorship(enrolment=enrolment, mentor=mentor, starts_on=starts_on, assigned_by=actor)
    mentorship.full_clean()
    mentorship.save()
    audit_record(
        actor=actor,
        action="retention.mentor_assign",
        obj=mentorship,
        org_unit=enrolment.school.managed_by_id,
        object_repr=f"#{enrolment.pk}",
        changes={"mentor": mentor.pk, "starts_on": starts_on.isoformat()},
    )
    return mentorship


@transaction.atomic
def mentor_end(*, actor, mentorship: Mentorship, ends_on: datetime.date | None = None) -> Mentorship:
    """The mentorship ends (and with it the mentor's sight of the child)."""
    enrolment = writable_enrolment(actor, mentorship.enrolment_id)
    ends_on = ends_on or timezone.localdate()
    if ends_on < mentorship.starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc trước ngày bắt đầu.")})
    Mentorship.objects.filter(pk=mentorship.pk).update(ends_on=ends_on)
    mentorship.ends_on = ends_on
    audit_record(
        actor=actor,
        action="retention.mentor_end",
        obj=mentorship,
        org_unit=enrolment.school.managed_by_id,
        object_repr=f"#{enrolment.pk}",
        changes={"ends_on": ends_on.isoformat()},
    )
    return mentorship


@transaction.atomic
def mentor_note_add(*, actor, mentorship: Mentorship, text: str, on: datetime.date | None = None) -> MentorNote:
    """A dated note of the mentor, while the mentorship lasts."""
    on = on or timezone.localdate()
    if mentorship.mentor_id != actor.pk or not Mentorship.objects.filter(in_force(on), pk=mentorship.pk).exists():
        raise ValidationError(_("Chỉ người đang đỡ đầu em ghi chú đỡ đầu."))
    note = MentorNote(mentorship=mentorship, on=on, text=text.strip())
    note.full_clean()
    note.save()
    audit_record(actor=actor, action="retention.mentor_note", obj=mentorship, object_repr=f"#{mentorship.enrolment_id}")
    return note


@transaction.atomic
def peer_pair_create(*, actor, enrolment: Enrolment, helper: Enrolment, starts_on: datetime.date | None = None):
    """Đôi bạn cùng tiến: `helper` (a strong student) helps `enrolment` (a struggling one) of the same class."""
    enrolment = writable_enrolment(actor, enrolment.pk)
    helper = writable_enrolment(actor, helper.pk)
    if enrolment.pk == helper.pk:
        raise ValidationError(_("Đôi bạn gồm hai học sinh khác nhau."))
    if enrolment.class_group_id is None or enrolment.class_group_id != helper.class_group_id:
        raise ValidationError(_("Đôi bạn cùng tiến là hai học sinh cùng lớp."))
    pair = PeerPair(enrolment=enrolment, helper=helper, starts_on=starts_on or timezone.localdate())
    pair.full_clean()
    pair.save()
    audit_record(
        actor=actor,
        action="retention.peer_pair",
        obj=pair,
        org_unit=enrolment.school.managed_by_id,
        object_repr=f"#{enrolment.pk}",
        changes={"helper": helper.pk},
    )
    return pair


def mentor_candidates(school: School):
    """Who may mentor a student of `school`: its teachers and principal today."""
    from django.contrib.auth import get_user_model

    staff = RoleAssignment.objects.active().filter(school=school).values("user")
    return get_user_model().objects.filter(pk__in=staff, is_active=True).order_by("full_name", "username")


def mentorship_for(user, pk: int, action: str = VIEW) -> Mentorship:
    """A mentorship the user sees (its mentor, those who see the enrolment): 404 otherwise; with `change`, 403
    for those who may not write the enrolment's records."""
    from django.http import Http404

    from apps.core.scoping import get_scoped_or_404

    mentorship = get_scoped_or_404(
        Mentorship.objects.select_related(
            "mentor", "enrolment__child", "enrolment__class_group", "enrolment__school", "enrolment__year"
        ),
        user,
        action,
        pk=pk,
    )
    # A mentor sees the mentorship through the child, while it lasts: once it has ended, it is gone from their sight.
    if not Enrolment.objects.restrict(user, VIEW).filter(pk=mentorship.enrolment_id).exists():
        raise Http404
    return mentorship


def mentorship_page(user, mentorship: Mentorship) -> dict:
    """The mentorship's page: the notes, whether the user may write one (the mentor while it lasts) or end it (the
    enrolment's writers while it lasts). Logged as a read of the child's record."""
    from apps.core.models import AuditEvent
    from apps.core.scoping import CHANGE

    today = timezone.localdate()
    lasting = mentorship.ends_on is None or mentorship.ends_on >= today
    audit_record(
        actor=user,
        action="retention.mentee_read",
        kind=AuditEvent.Kind.READ,
        obj=mentorship,
        org_unit=mentorship.enrolment.school.managed_by_id,
        object_repr=f"#{mentorship.enrolment_id}",
    )
    return {
        "mentorship": mentorship,
        "notes": list(mentorship.notes.all()),
        "lasting": lasting,
        "may_note": lasting and mentorship.mentor_id == user.pk and mentorship.starts_on <= today,
        "may_end": lasting and Mentorship.objects.restrict(user, CHANGE).filter(pk=mentorship.pk).exists(),
    }


@transaction.atomic
def peer_pair_end(*, actor, pair: PeerPair, ends_on: datetime.date | None = None) -> PeerPair:
    """The pair's help ends (kept, with its dates)."""
    enrolment = writable_enrolment(actor, pair.enrolment_id)
    ends_on = ends_on or timezone.localdate()
    if pair.ends_on is not None:
        raise ValidationError(_("Đôi bạn này đã kết thúc."))
    if ends_on < pair.starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc trước ngày bắt đầu.")})
    PeerPair.objects.filter(pk=pair.pk).update(ends_on=ends_on)
    pair.ends_on = ends_on
    audit_record(
        actor=actor,
        action="retention.peer_pair_end",
        obj=pair,
        org_unit=enrolment.school.managed_by_id,
        object_repr=f"#{enrolment.pk}",
        changes={"ends_on": ends_on.isoformat()},
    )
    return pair


def class_pairs(user, group) -> dict:
    """A class's peer pairs (those lasting first) and its students, for the class's pairs page. The students who
    struggle (a current medium or high flag, or a poor result this year) are marked."""
    from apps.students.records import POOR, SemesterResult

    enrolments = list(
        Enrolment.objects.restrict(user, VIEW)
        .filter(class_group=group, ongoing=True)
        .select_related("child")
        .order_by("child__name_folded", "pk")
    )
    ids = [e.pk for e in enrolments]
    flagged = set(
        RiskFlag.objects.filter(enrolment__in=ids, current=True, level__in=(Level.MEDIUM, Level.HIGH)).values_list(
            "enrolment_id", flat=True
        )
    )
    poor = set(
        SemesterResult.objects.filter(enrolment__in=ids)
        .filter(Q(learning__in=POOR) | Q(conduct__in=POOR))
        .values_list("enrolment_id", flat=True)
    )
    pairs = list(
        PeerPair.objects.restrict(user, VIEW)
        .filter(enrolment__class_group=group)
        .select_related("enrolment__child", "helper__child")
        .order_by("ends_on", "-starts_on", "-pk")
    )
    struggling = flagged | poor
    return {
        "students": [(e, e.pk in struggling) for e in enrolments],
        "struggling": [e for e in enrolments if e.pk in struggling],
        "pairs": pairs,
    }
