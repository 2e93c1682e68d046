"""The indicator engine's tables: the count tables figures are served from (kept in step with every write by the
students' after-write hooks, `apps.indicators.counts`), the official snapshot of each school year with its
amendments, and the universal-education thresholds and attested inputs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import CHANGE, NOTHING, VIEW, ScopedQuerySet, under
from apps.schools.models import school_q


class Period(models.TextChoices):
    """The stretches of a school year a figure is counted over (each one's window is in `counts.calendar`)."""

    COUNT = "C", _("Đến ngày chốt số liệu")
    PHASE1 = "P1", _("Giai đoạn 1")
    PHASE2 = "P2", _("Giai đoạn 2")
    PHASE3 = "P3", _("Giai đoạn 3")
    SEMESTER1 = "S1", _("Học kỳ I")
    SEMESTER2 = "S2", _("Học kỳ II")
    YEAR = "Y", _("Cả năm học")


# Household circumstances as bits of `EnrolmentCount.circumstances` (the fields of `students.Child`).
CIRCUMSTANCE_BITS = {"poor": 1, "near_poor": 2, "orphan": 4, "disability": 8, "remote_area": 16}


class EnrolmentMeasures(models.Model):
    """What an enrolment count row counts, for its window (a, b] of the period (see `counts.enrolment_measures`):
    the measures `EnrolmentCount` and its sum by grade `EnrolmentGradeCount` share, declared once."""

    enrolled = models.PositiveIntegerField(default=0)  # ongoing at the window's last day
    insured = models.PositiveIntegerField(default=0)  # ongoing then, with health insurance
    transfers_in = models.PositiveIntegerField(default=0)  # a transfer in during the window
    transfers_out = models.PositiveIntegerField(default=0)
    # a transfer in (out) after the count day, up to the window's last day
    transfers_in_after_count = models.PositiveIntegerField(default=0)
    transfers_out_after_count = models.PositiveIntegerField(default=0)
    dropouts = models.PositiveIntegerField(default=0)  # dropped out during the window (once, even if twice)
    dropouts_after_count = models.PositiveIntegerField(default=0)  # dropped out during the window, after the count day
    returned = models.PositiveIntegerField(default=0)  # of those, came back by the window's last day
    # (period C, on last year's school and grade) expected to continue from last year
    continuing = models.PositiveIntegerField(default=0)
    not_continued = models.PositiveIntegerField(default=0)  # of those, no enrolment anywhere by the count day
    grade9_completers = models.PositiveIntegerField(default=0)  # (period C, last year's school) completed grade 9
    grade9_not_grade10 = models.PositiveIntegerField(default=0)  # of those, in no grade 10–12 by the count day

    class Meta:
        abstract = True


# The measures' names, in their order (the count tables' columns after their keys; `counts` writes them by name).
MEASURES = tuple(f.name for f in EnrolmentMeasures._meta.local_fields)


class EnrolmentCountQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        return school_q(scope, VIEW, "school__") if action == VIEW else NOTHING

    def aggregate_q(self, scope):
        return self.scope_q(scope, VIEW) | under("school__location__", scope.partner_paths)


class EnrolmentCount(EnrolmentMeasures):
    """Enrolments of a school in a school year counted by grade × sex × ethnicity × circumstances × period: what
    every school-based indicator sums. Derived data: rewritten for a school and year whenever its enrolments change
    (`counts.refresh`), never edited."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey("schools.SchoolYear", on_delete=models.CASCADE, related_name="+")
    grade = models.CharField(max_length=4)
    sex = models.CharField(max_length=1)
    ethnicity = models.CharField(max_length=2)
    circumstances = models.PositiveSmallIntegerField(default=0)
    period = models.CharField(max_length=2, choices=Period.choices)

    objects = EnrolmentCountQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "period", "grade", "sex", "ethnicity", "circumstances"],
                name="enrolment_count_unique",
            )
        ]
        indexes = [models.Index(fields=["year", "period", "school"])]


class EnrolmentGradeCount(EnrolmentMeasures):
    """`EnrolmentCount` summed over sex, ethnicity and circumstances: a school's year by grade × period, what the
    figures without a breakdown by the child read (one row where the full table has one per sex × ethnicity ×
    circumstances: an eighth or less). Derived, rewritten with `EnrolmentCount` from the same counts, never edited;
    the property test holds it equal to the full table summed."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey("schools.SchoolYear", on_delete=models.CASCADE, related_name="+")
    grade = models.CharField(max_length=4)
    period = models.CharField(max_length=2, choices=Period.choices)

    objects = EnrolmentCountQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "period", "grade"], name="enrolment_grade_count_unique")
        ]
        indexes = [models.Index(fields=["year", "period", "school"], name="enrolment_grade_count_period")]


class CensusCountQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        return under("hamlet__", scope.officer_paths) if action == VIEW else NOTHING

    def aggregate_q(self, scope):
        return under("hamlet__", scope.all_paths())


class CensusCount(models.Model):
    """The census of a hamlet in a school year counted by birth year × sex × ethnicity × circumstances × status ×
    grade, where the grade is the child's ongoing enrolment that year at any school of any province
    (`students.selectors.enrolled_anywhere`), else the census's own grade for a child it says is in school. The
    child's ethnicity and household circumstances (bits of `CIRCUMSTANCE_BITS`) are as the child's record holds them.
    Derived, like `EnrolmentCount`."""

    hamlet = models.ForeignKey("orgunits.OrgUnit", on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey("schools.SchoolYear", on_delete=models.CASCADE, related_name="+")
    birth_year = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=1)
    ethnicity = models.CharField(max_length=2, default="")
    circumstances = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=30)
    grade = models.CharField(max_length=4, blank=True)
    enrolled = models.BooleanField(default=False)  # matched to an ongoing enrolment (not the census's word)
    children = models.PositiveIntegerField(default=0)

    objects = CensusCountQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "hamlet",
                    "year",
                    "birth_year",
                    "sex",
                    "ethnicity",
                    "circumstances",
                    "status",
                    "grade",
                    "enrolled",
                ],
                name="census_count_unique",
            )
        ]
        indexes = [models.Index(fields=["year", "hamlet"])]


class CensusAgeCount(models.Model):
    """`CensusCount` summed over sex, ethnicity and circumstances: a hamlet's census in a school year by birth year ×
    status × grade × enrolled, what the census figures without a breakdown by the child read (a fraction of the
    rows). Derived, rewritten with `CensusCount` from the same counts; the property test holds it equal to the full
    table summed."""

    hamlet = models.ForeignKey("orgunits.OrgUnit", on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey("schools.SchoolYear", on_delete=models.CASCADE, related_name="+")
    birth_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=30)
    grade = models.CharField(max_length=4, blank=True)
    enrolled = models.BooleanField(default=False)
    children = models.PositiveIntegerField(default=0)

    objects = CensusCountQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hamlet", "year", "birth_year", "status", "grade", "enrolled"], name="census_age_count_unique"
            )
        ]
        indexes = [models.Index(fields=["year", "hamlet"], name="census_age_count_year")]


class CountRefresh(models.Model):
    """When the counts of a school's (or a hamlet's census) year were last rewritten: pages show it."""

    scope_parent = "year"

    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    hamlet = models.ForeignKey("orgunits.OrgUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey("schools.SchoolYear", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="count_refresh_school"),
            models.UniqueConstraint(fields=["hamlet", "year"], name="count_refresh_hamlet"),
        ]


class SnapshotQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        if action == VIEW:
            return Q(year__province__in=scope.ancestor_ids())
        return under("year__province__", scope.officer_paths)


class Snapshot(models.Model):
    """The official head count of a school year (trích xuất dữ liệu, 22/9 in seed 003): one row per enrolment as it
    stood on the count day, frozen when it was taken. One per school year."""

    year = models.OneToOneField("schools.SchoolYear", on_delete=models.PROTECT, related_name="snapshot")
    count_day = models.DateField(_("ngày chốt số liệu"))
    taken_at = models.DateTimeField(_("lúc chốt"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # None: the daily job
    # Events recorded before this instant count: the snapshot's own time, or the end of the count day for one taken
    # late (the daily job did not run that day). None for the snapshots taken before this was kept: their time.
    recorded_until = models.DateTimeField(_("tính diễn biến ghi trước"), null=True, blank=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu chốt")
        verbose_name_plural = _("số liệu chốt")

    def __str__(self) -> str:
        return f"{self.year} · {self.count_day:%d/%m/%Y}"

    @property
    def late(self) -> bool:
        """Taken after the count day: only what was recorded by the count day's end counts."""
        return self.recorded_until is not None and self.recorded_until < self.taken_at


class SnapshotRowQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        return school_q(scope, VIEW if action == VIEW else CHANGE, "school__")

    def aggregate_q(self, scope):
        return self.scope_q(scope, VIEW) | under("school__location__", scope.partner_paths)


class SnapshotRow(models.Model):
    """One enrolment in the official count, as it stood on the count day: its status (events dated on or before the
    count day and recorded before the snapshot), grade, class and school, and the child's sex, ethnicity and
    circumstances. Changed only by an amendment."""

    AMENDABLE = ("status", "grade", "sex", "ethnicity", "circumstances")

    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="rows")
    enrolment = models.ForeignKey("students.Enrolment", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    class_group = models.ForeignKey(
        "students.ClassGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grade = models.CharField(_("khối"), max_length=4)
    status = models.CharField(_("tình trạng"), max_length=20)
    sex = models.CharField(_("giới tính"), max_length=1)
    ethnicity = models.CharField(_("dân tộc"), max_length=2)
    circumstances = models.PositiveSmallIntegerField(_("hoàn cảnh"), default=0)

    objects = SnapshotRowQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["snapshot", "enrolment"], name="snapshot_row_unique")]
        indexes = [models.Index(fields=["snapshot", "school"])]


class SnapshotAmendment(models.Model):
    """A correction of a frozen row (row, field, old, new, reason, who), by the school's managing unit; audited."""

    scope_parent = "row"

    row = models.ForeignKey(SnapshotRow, on_delete=models.PROTECT, related_name="amendments")
    field = models.CharField(_("trường dữ liệu"), max_length=20)
    old = models.CharField(_("giá trị cũ"), max_length=30)
    new = models.CharField(_("giá trị mới"), max_length=30)
    reason = models.CharField(_("lý do"), max_length=255)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


class UniversalLevel(models.TextChoices):
    """The universal-education levels of a commune, each chain in order (a level needs the one before)."""

    PRESCHOOL_5 = "preschool_5", _("Phổ cập GDMN cho trẻ 5 tuổi")
    PRIMARY_1 = "primary_1", _("Phổ cập GDTH mức độ 1")
    PRIMARY_2 = "primary_2", _("Phổ cập GDTH mức độ 2")
    PRIMARY_3 = "primary_3", _("Phổ cập GDTH mức độ 3")
    LOWER_1 = "lower_1", _("Phổ cập GDTHCS mức độ 1")
    LOWER_2 = "lower_2", _("Phổ cập GDTHCS mức độ 2")
    LOWER_3 = "lower_3", _("Phổ cập GDTHCS mức độ 3")


class ThresholdQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        return Q() if action == VIEW else NOTHING  # national rules: read by anyone signed in, changed by admins


class Threshold(models.Model):
    """One criterion of a universal-education level (Decree 20/2014): a measure at least `value` % of its
    children, or `dbkk_value` % in an especially difficult commune. Data, not code: the rules change."""

    level = models.CharField(_("mức phổ cập"), max_length=20, choices=UniversalLevel.choices)
    criterion = models.CharField(_("tiêu chí"), max_length=40)
    label = models.CharField(_("mô tả tiêu chí"), max_length=255)
    value = models.DecimalField(_("ngưỡng (%)"), max_digits=6, decimal_places=3)
    dbkk_value = models.DecimalField(_("ngưỡng xã ĐBKK (%)"), max_digits=6, decimal_places=3, null=True, blank=True)
    verified = models.BooleanField(_("đã đối chiếu văn bản"), default=True)
    source = models.CharField(_("căn cứ"), max_length=120, blank=True)

    objects = ThresholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("ngưỡng phổ cập")
        verbose_name_plural = _("ngưỡng phổ cập")
        ordering = ["level", "criterion"]
        constraints = [models.UniqueConstraint(fields=["level", "criterion"], name="threshold_unique")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.label}"


class AttestedInputQuerySet(ScopedQuerySet):
    def scope_q(self, scope, action):
        return under("commune__", scope.officer_paths)

    def aggregate_q(self, scope):
        return under("commune__", scope.all_paths())


class AttestedInput(models.Model):
    """A figure of universal education the census cannot give (literacy, staffing, facilities, completion of the
    preschool programme), attested by the commune with its evidence for a school year."""

    commune = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey("schools.SchoolYear", on_delete=models.PROTECT, related_name="+")
    criterion = models.CharField(_("tiêu chí"), max_length=40)
    met = models.BooleanField(_("đạt"), null=True)  # for a yes/no input (literacy level, staffing, facilities)
    value = models.DecimalField(_("tỷ lệ (%)"), max_digits=6, decimal_places=3, null=True, blank=True)
    evidence = models.CharField(_("minh chứng"), max_length=255)
    attested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attested_at = models.DateTimeField(auto_now=True)

    objects = AttestedInputQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu xác nhận")
        verbose_name_plural = _("số liệu xác nhận")
        constraints = [models.UniqueConstraint(fields=["commune", "year", "criterion"], name="attested_unique")]
