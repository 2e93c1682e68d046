"""Keeping every child in school: the early-warning rules of a province (as data), each student's risk flags with
their history, teachers' notes, home visits, mentors and peer pairs. Everything about a student hangs off their
enrolment (this year's record at their school) and is seen by whoever sees that enrolment; the writers are the
school's managers and the class's homeroom teacher (`students.records.record_writers_q`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import VIEW, ScopedQuerySet
from apps.students.models import DropoutReason, enrolment_q
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
    figures, said in words by `rules.reason_text`). A new flag is kept each time the level, score or signals change;
    the one in force is `current`, the others are the history. A change of a figure alone ("vắng 7 ngày" becoming 6)
    is written on the flag in force, which keeps its `since`."""

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


# ---------------------------------------------------------------------------------------------------------------
# Dropout cases (issue 17): a child out of school followed to an outcome; the public hotline that finds them.


class CaseQuerySet(ScopedQuerySet):
    """A case is read by whoever reads its child, by the officers of its commune, and by its owner (the person,
    or the officers of the organisation while it is open); changed by the commune's officers, the managers of the
    school the child dropped out of, and its owner."""

    def scope_q(self, scope, action):
        from apps.core.scoping import MANAGE, under
        from apps.schools.models import school_q
        from apps.students.models import child_q

        # An organisation's officers hold its cases while open (as they see the child: `cases.owned_children`).
        own = Q(owner_user_id=scope.user_id) | (
            Q(owner_organisation_id__in=scope.organisation_ids) & ~Q(status=DropoutCase.Status.CLOSED)
        )
        communal = under("commune__", scope.officer_paths)
        returning = school_q(scope, MANAGE, "return_school__") | Q(return_school_id__in=scope.principal_school_ids)
        if action == VIEW:
            return communal | own | child_q(scope, VIEW) | returning
        return communal | own | school_q(scope, MANAGE, "enrolment__school__")


class DropoutCase(models.Model):
    """One child out of school, followed until an outcome: opened by a recorded dropout (any path, through the
    enrolments' after-write hook), an accepted hotline report, or a person confirming a child of the out-of-school
    list. Closed only with an outcome; a return is written through the enrolment services."""

    class Source(models.TextChoices):
        DROPOUT = "dropout", _("Ghi nhận bỏ học")
        HOTLINE = "hotline", _("Tin báo đường dây nóng")
        CENSUS = "census", _("Danh sách trẻ ngoài nhà trường")

    class Status(models.TextChoices):
        OPEN = "open", _("Đang vận động")
        WAITING = "waiting", _("Chờ trường ghi nhận trở lại")
        CLOSED = "closed", _("Đã kết thúc")

    class Outcome(models.TextChoices):
        RETURNED = "returned", _("Trở lại trường")
        CONTINUING = "continuing", _("Vào giáo dục thường xuyên, học nghề")
        MOVED = "moved", _("Chuyển đi nơi khác")
        NOT_RETURNED = "not_returned", _("Không trở lại")

    child = models.ForeignKey(
        "students.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="dropout_cases"
    )
    enrolment = models.ForeignKey(
        "students.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="dropout_cases"
    )
    commune = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey("schools.SchoolYear", on_delete=models.PROTECT, related_name="+")
    phase = models.PositiveSmallIntegerField(_("giai đoạn"), default=2)
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices)
    subject = models.CharField(_("mô tả trẻ"), max_length=300, blank=True)  # a hotline report's child, unlinked
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="owned_cases"
    )
    owner_organisation = models.ForeignKey(
        "schools.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="owned_cases"
    )
    cause = models.CharField(
        _("nguyên nhân"), max_length=20, choices=DropoutReason.choices, default=DropoutReason.OTHER
    )
    cause_text = models.CharField(_("ghi rõ nguyên nhân"), max_length=255, blank=True)
    opened_on = models.DateField(_("ngày mở"))
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("kết quả"), max_length=15, choices=Outcome.choices, blank=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_grade = models.CharField(_("khối trở lại"), max_length=4, blank=True)
    return_enrolment = models.ForeignKey(
        "students.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ vận động trẻ bỏ học")
        verbose_name_plural = _("hồ sơ vận động trẻ bỏ học")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status="open") | ~Q(outcome=""), name="case_closed_with_outcome"),
            models.UniqueConstraint(
                fields=["child"], condition=~Q(status="closed") & Q(child__isnull=False), name="one_open_case_per_child"
            ),
        ]
        indexes = [models.Index(fields=["commune", "status"], name="case_commune_status")]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class CaseIntervention(models.Model):
    """What was done for the child, on a day, by whom."""

    scope_parent = "case"

    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", _("Đến nhà vận động")
        GIFT = "gift", _("Tặng quà, học bổng")
        COST = "cost", _("Hỗ trợ chi phí học tập")
        COUNSELLING = "counselling", _("Tư vấn, tâm lý")
        TUTORING = "tutoring", _("Phụ đạo")
        VOCATIONAL = "vocational", _("Giới thiệu học nghề")

    case = models.ForeignKey(DropoutCase, on_delete=models.PROTECT, related_name="interventions")
    kind = models.CharField(_("biện pháp"), max_length=15, choices=Kind.choices)
    on = models.DateField(_("ngày"))
    by = models.CharField(_("người thực hiện"), max_length=150)
    note = models.TextField(_("ghi chú"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("biện pháp vận động")
        verbose_name_plural = _("biện pháp vận động")
        ordering = ["case", "on", "pk"]


class CaseFollowUp(models.Model):
    """A day the case is to be looked at again; done when someone looked."""

    scope_parent = "case"

    case = models.ForeignKey(DropoutCase, on_delete=models.PROTECT, related_name="follow_ups")
    due_on = models.DateField(_("ngày theo dõi"))
    done_on = models.DateField(_("đã theo dõi ngày"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("lịch theo dõi")
        verbose_name_plural = _("lịch theo dõi")
        ordering = ["case", "due_on", "pk"]


class HotlineNumberQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        from apps.core.scoping import under

        return under("commune__", scope.officer_paths)

    def public_q(self):
        return Q(published=True)


class HotlineNumber(models.Model):
    """A commune's number for reports of children out of school, listed on the public page when published."""

    commune = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(_("số điện thoại"), max_length=20)
    published = models.BooleanField(_("công bố"), default=True)

    objects = HotlineNumberQuerySet.as_manager()

    class Meta:
        verbose_name = _("số điện thoại đường dây nóng")
        verbose_name_plural = _("số điện thoại đường dây nóng")
        ordering = ["commune__name", "phone"]
        constraints = [models.UniqueConstraint(fields=["commune", "phone"], name="hotline_number_once")]

    def __str__(self) -> str:
        return self.phone


class HotlineReportQuerySet(ScopedQuerySet):
    """A report is the commune's: its officers read and handle it (and only they see the reporter's contact)."""

    def scope_q(self, scope, action):
        from apps.core.scoping import under

        return under("commune__", scope.officer_paths)


class HotlineReport(models.Model):
    """A report of a child not in school, from the public page or taken by phone. The reporter's address is kept
    only as a keyed hash (HMAC with the site's secret), for the hourly limit."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Đã tiếp nhận")
        HANDLING = "handling", _("Đang xử lý")
        CLOSED = "closed", _("Đã kết thúc")

    class Via(models.TextChoices):
        WEB = "web", _("Trang công khai")
        PHONE = "phone", _("Điện thoại")

    code = models.CharField(_("mã tra cứu"), max_length=12, unique=True)
    commune = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="+")
    hamlet_text = models.CharField(_("thôn, tổ dân phố"), max_length=150, blank=True)
    child_text = models.CharField(_("tên hoặc mô tả trẻ"), max_length=300)
    age = models.PositiveSmallIntegerField(_("tuổi"), null=True, blank=True)
    known = models.TextField(_("thông tin đã biết"), max_length=2000, blank=True)
    contact = models.CharField(_("liên hệ người báo"), max_length=200, blank=True)
    via = models.CharField(max_length=5, choices=Via.choices, default=Via.WEB)
    address_hash = models.CharField(max_length=64, blank=True, db_index=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    close_reason = models.CharField(_("lý do kết thúc"), max_length=500, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(DropoutCase, null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = HotlineReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("tin báo trẻ không đến trường")
        verbose_name_plural = _("tin báo trẻ không đến trường")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["commune", "received_at"], name="hotline_commune_day")]

    def __str__(self) -> str:
        return self.code


class SteeringQuerySet(ScopedQuerySet):
    """Seen and written as the child is (the commune's officers, the schools enrolling the child)."""

    def scope_q(self, scope, action):
        from apps.students.models import child_q

        return child_q(scope, VIEW if action == VIEW else "change")


class Steering(models.Model):
    """Where a lower-secondary completer who is not in grade 10 went (phân luồng), recorded per child for the new
    school year."""

    class Destination(models.TextChoices):
        VOCATIONAL = "vocational", _("Học nghề")
        CONTINUING = "continuing", _("Giáo dục thường xuyên")
        WORK = "work", _("Đi làm")
        UNKNOWN = "unknown", _("Chưa rõ")

    child = models.ForeignKey("students.Child", on_delete=models.PROTECT, related_name="steerings")
    year = models.ForeignKey("schools.SchoolYear", on_delete=models.PROTECT, related_name="+")
    destination = models.CharField(_("nơi phân luồng"), max_length=12, choices=Destination.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    objects = SteeringQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân luồng sau THCS")
        verbose_name_plural = _("phân luồng sau THCS")
        constraints = [models.UniqueConstraint(fields=["child", "year"], name="steering_once_per_child_year")]
