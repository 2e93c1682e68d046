"""Meetings (cuộc họp) of a school or a unit: parents' meetings three times a year (start of year, end of semester I,
end of year: seeds 000 and 001), the Parents' Association's annual congress, the monthly briefings with the Parents'
Association, education council and steering committee meetings; who attended (parties: organisations, units,
schools, named people), the minutes (biên bản), issued as a register document, and the decisions, each of which
becomes a task (`Task`, no plan) owned by a party.

Who: a school's meetings are written by its principal (a unit's by that unit's officers) and read as its plans are
(`plan_q`), and by the partner officers of the organisations that attended."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import CHANGE, NOTHING, VIEW, ScopedQuerySet, under
from apps.plans.owned import SchoolOrUnit

__all__ = ["MeetingKind", "Meeting", "MeetingAttendee", "MeetingDecision", "ParentsMeetingGap", "meeting_q"]


def meeting_q(scope, action: str, prefix: str = "") -> Q:
    p = prefix
    if action == VIEW:
        attending = (
            Q(
                **{
                    f"{p}pk__in": MeetingAttendee.objects.filter(organisation__in=scope.organisation_ids).values(
                        "meeting"
                    )
                }
            )
            if scope.organisation_ids
            else NOTHING
        )
        return (
            Q(**{f"{p}school__in": scope.staff_school_ids})
            | under(f"{p}school__managed_by__", scope.officer_paths)
            | under(f"{p}school__location__", scope.officer_paths)
            | under(f"{p}org_unit__", scope.officer_paths)
            | attending
        )
    if action in (CHANGE, "manage"):
        units = Q(**{f"{p}org_unit__path__in": scope.officer_paths}) if scope.officer_paths else NOTHING
        return Q(**{f"{p}school__in": scope.principal_school_ids}) | units
    return NOTHING


class MeetingQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        return meeting_q(scope, action)


class MeetingKind(models.TextChoices):
    PARENTS = "parents", _("Họp cha mẹ học sinh")
    CONGRESS = "congress", _("Đại hội Hội cha mẹ học sinh")
    BRIEFING = "briefing", _("Giao ban hàng tháng với Ban đại diện CMHS")
    COUNCIL = "council", _("Họp Hội đồng giáo dục")
    STEERING = "steering", _("Họp Ban chỉ đạo")


class Meeting(SchoolOrUnit, models.Model):
    """A meeting of a school or a unit on a day: its kind (a parents' meeting carries its round: 1 start of year,
    2 end of semester I, 3 end of year), the chair and the secretary, the minutes' text; once the minutes are
    issued (`document`) the meeting is read-only."""

    ROUNDS = ((1, _("Đầu năm học")), (2, _("Cuối học kỳ I")), (3, _("Cuối năm học")))

    school = models.ForeignKey(
        "schools.School", verbose_name=_("trường"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại cuộc họp"), max_length=12, choices=MeetingKind.choices)
    round = models.PositiveSmallIntegerField(_("đợt họp"), null=True, blank=True, choices=ROUNDS)
    title = models.CharField(_("tên cuộc họp"), max_length=300)
    held_on = models.DateField(_("ngày họp"))
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    chair = models.CharField(_("chủ trì"), max_length=150, blank=True)
    secretary = models.CharField(_("thư ký"), max_length=150, blank=True)
    minutes = models.TextField(_("nội dung biên bản"), blank=True)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("biên bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("cuộc họp")
        verbose_name_plural = _("cuộc họp")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=False, org_unit__isnull=True)
                | Q(school__isnull=True, org_unit__isnull=False),
                name="meeting_school_or_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def editable(self) -> bool:
        return self.document_id is None


class MeetingAttendee(models.Model):
    """A party at the meeting: an organisation, a unit or a school of the system, or a named person or agency
    ("Trưởng trạm y tế"); with the person who came for it and how many came (a parents' meeting: 32 parents)."""

    scope_parent = "meeting"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    party = models.CharField(_("thành phần"), max_length=200)
    organisation = models.ForeignKey(
        "schools.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    org_unit = models.ForeignKey("orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.CharField(_("người dự"), max_length=150, blank=True)
    count = models.PositiveIntegerField(_("số người"), default=1)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.party


class MeetingDecision(models.Model):
    """A decision of the meeting (kết luận, giao việc), which becomes a task owned by a party, due a day."""

    scope_parent = "meeting"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("nội dung kết luận"), max_length=500)
    task = models.OneToOneField(
        "plans.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="meeting_decision"
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:120]


class ParentsMeetingGap(models.Model):
    """A school's parents' meeting of a round that no meeting covered by the end of its window: listed on the
    meetings page and told once to the principal by the daily job."""

    class QuerySet(ScopedQuerySet):
        def scope_q(self, scope, action):
            from apps.schools.models import school_q

            return school_q(scope, VIEW, "school__") if action == VIEW else school_q(scope, "manage", "school__")

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey("schools.SchoolYear", on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField(choices=Meeting.ROUNDS)
    window_start = models.DateField()
    window_end = models.DateField()
    found_on = models.DateField()

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["window_end", "school", "round"]
        constraints = [models.UniqueConstraint(fields=["school", "year", "round"], name="parents_meeting_gap_once")]
