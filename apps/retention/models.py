"""Keeping every child in school: the early-warning rules of a province (as data), each student's risk flags with
their history, teachers' notes, home visits, mentors and peer pairs. Everything about a student hangs off their
enrolment (this year's record at their school) and is seen by whoever sees that enrolment; the writers are the
school's managers and the class's homeroom teacher (`students.records.record_writers_q`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import VIEW, ScopedQuerySet
from apps.students.models import enrolment_q
from apps.students.records import record_writers_q


class RiskRulesQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        if action == VIEW:  # everyone working in the province reads its rules
            return Q(province_id__in=scope.ancestor_ids())
        return Q(province__path__in=scope.officer_paths)  # the province's own officers change them


class RiskRules(models.Model):
    """A province's early-warning rules: each signal's weight (0 turns it off) and the thresholds of the levels,
    and how many students one mentor may take. A province without a row uses the defaults (`rules.DEFAULTS`)."""

    province = models.OneToOneField(
        "orgunits.OrgUnit", verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="risk_rules"
    )
    weights = models.JSONField(_("trọng số"), default=dict)  # signal code → weight
    absence_days = models.PositiveSmallIntegerField(_("số ngày nghỉ không phép"), default=5)
    absence_window = models.PositiveSmallIntegerField(_("trong số ngày gần nhất"), default=30)
    over_age_years = models.PositiveSmallIntegerField(_("số tuổi lớn hơn tuổi đúng lớp"), default=2)
    medium = models.PositiveSmallIntegerField(_("ngưỡng nguy cơ trung bình"), default=3)
    high = models.PositiveSmallIntegerField(_("ngưỡng nguy cơ cao"), default=5)
    mentor_limit = models.PositiveSmallIntegerField(_("số học sinh tối đa mỗi người đỡ đầu"), default=2)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = RiskRulesQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy tắc cảnh báo sớm")
        verbose_name_plural = _("quy tắc cảnh báo sớm")
        constraints = [models.CheckConstraint(condition=Q(medium__lte=models.F("high")), name="risk_levels_ordered")]

    def __str__(self) -> str:
        return str(self.province)


class Level(models.TextChoices):
    LOW = "low", _("Thấp")
    MEDIUM = "medium", _("Trung bình")
    HIGH = "high", _("Cao")


LEVEL_RANK = {Level.LOW: 0, Level.MEDIUM: 1, Level.HIGH: 2}


class EnrolmentRecordQuerySet(ScopedQuerySet):
    """Rows about one enrolment: read with the enrolment, written by its school's managers and homeroom teacher."""

    def scope_q(self, scope, action):
        if action == VIEW:
            return enrolment_q(scope, VIEW)
        return record_writers_q(scope, "enrolment__")


class RiskFlag(models.Model):
    """A student's level of risk of dropping out from one computation on, with the reasons (signal codes and their
    figures, said in words by `rules.reason_text`). A new flag is kept each time the level or the reasons change;
    the one in force is `current`, the others are the history."""

    enrolment = models.ForeignKey("students.Enrolment", on_delete=models.PROTECT, related_name="risk_flags")
    level = models.CharField(_("mức nguy cơ"), max_length=10, choices=Level.choices)
    score = models.PositiveSmallIntegerField(_("điểm"))
    reasons = models.JSONField(_("lý do"), default=list)  # [[code, figure], …]
    since = models.DateField(_("từ ngày"))
    computed_at = models.DateTimeField(auto_now_add=True)
    current = models.BooleanField(default=True)

    objects = EnrolmentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("cảnh báo nguy cơ bỏ học")
        verbose_name_plural = _("cảnh báo nguy cơ bỏ học")
        ordering = ["enrolment", "-computed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment"], condition=Q(current=True), name="one_current_flag")
        ]
        indexes = [models.Index(fields=["current", "level"], name="flag_current_level")]

    def __str__(self) -> str:
        return f"#{self.enrolment_id} {self.get_level_display()}"

    @property
    def reason_texts(self) -> list[str]:
        from apps.retention.rules import reason_text

        return [reason_text(code, figure) for code, figure in self.reasons]


class TeacherNote(models.Model):
    """What a teacher noted about a student's situation; a note of family difficulty counts in the warning."""

    enrolment = models.ForeignKey("students.Enrolment", on_delete=models.PROTECT, related_name="teacher_notes")
    text = models.TextField(_("ghi chú"), max_length=2000)
    family_difficulty = models.BooleanField(_("gia đình khó khăn"), default=False)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_on = models.DateField(_("ngày ghi"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = EnrolmentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("ghi chú của giáo viên")
        verbose_name_plural = _("ghi chú của giáo viên")
        ordering = ["enrolment", "-written_on", "-pk"]

    def __str__(self) -> str:
        return f"#{self.enrolment_id} {self.written_on:%d/%m/%Y}"


class HomeVisit(models.Model):
    """A visit to a student's family (thăm hỏi gia đình) by the homeroom teacher or a mentor. `key` is the
    browser's idempotency key: a form sent twice (a dropped connection) makes one visit."""

    enrolment = models.ForeignKey("students.Enrolment", on_delete=models.PROTECT, related_name="home_visits")
    on = models.DateField(_("ngày thăm"))
    met = models.CharField(_("gặp ai"), max_length=200)
    findings = models.TextField(_("tình hình gia đình"), max_length=4000)
    actions = models.TextField(_("việc đã thống nhất"), max_length=4000, blank=True)
    next_on = models.DateField(_("ngày thăm tiếp theo"), null=True, blank=True)
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=64, unique=True, editable=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = EnrolmentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("thăm hỏi gia đình")
        verbose_name_plural = _("thăm hỏi gia đình")
        ordering = ["enrolment", "-on", "-pk"]
        indexes = [models.Index(fields=["enrolment", "on"], name="visit_enrolment_on")]

    def __str__(self) -> str:
        return f"#{self.enrolment_id} {self.on:%d/%m/%Y}"


class MentorshipQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        if action == VIEW:
            return enrolment_q(scope, VIEW) | Q(mentor_id=scope.user_id)
        return record_writers_q(scope, "enrolment__")


class Mentorship(models.Model):
    """A teacher or official mentoring (đỡ đầu) an at-risk or disadvantaged student, from a day to a day. While it
    lasts the mentor may see the child (a scope contribution, every read audited)."""

    enrolment = models.ForeignKey("students.Enrolment", on_delete=models.PROTECT, related_name="mentorships")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentorships")
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("đỡ đầu học sinh")
        verbose_name_plural = _("đỡ đầu học sinh")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "mentor"], condition=Q(ends_on__isnull=True), name="one_open_mentorship"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.enrolment_id} — {self.mentor}"


class MentorNote(models.Model):
    """A dated note of a mentor about their mentee."""

    scope_parent = "mentorship"

    mentorship = models.ForeignKey(Mentorship, on_delete=models.PROTECT, related_name="notes")
    on = models.DateField(_("ngày"))
    text = models.TextField(_("ghi chú"), max_length=2000)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ghi chú đỡ đầu")
        verbose_name_plural = _("ghi chú đỡ đầu")
        ordering = ["mentorship", "-on", "-pk"]


class PeerPair(models.Model):
    """Đôi bạn cùng tiến: a strong student helping a struggling one of the same class."""

    enrolment = models.ForeignKey("students.Enrolment", on_delete=models.PROTECT, related_name="peer_pairs_helped")
    helper = models.ForeignKey("students.Enrolment", on_delete=models.PROTECT, related_name="peer_pairs_helping")
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = EnrolmentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("đôi bạn cùng tiến")
        verbose_name_plural = _("đôi bạn cùng tiến")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(enrolment=models.F("helper")), name="peer_pair_two_students")
        ]
