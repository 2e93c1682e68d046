"""What a class's teachers keep about each enrolment beyond its status: the days a student was absent and the
semester results (just enough to drive the early warning, `apps.retention`). Both hang off the enrolment: they are
read by whoever reads it and written by whoever manages the school — and by the class's homeroom teacher (giáo viên
chủ nhiệm), who still cannot change the enrolment itself.

Results follow the national scales: primary per Circular 27/2020 (Hoàn thành tốt / Hoàn thành / Chưa hoàn thành; the
qualities Tốt / Đạt / Cần cố gắng), secondary per Circular 22/2021 (Tốt / Khá / Đạt / Chưa đạt, for learning and for
conduct); preschool has none."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.scoping import MANAGE, NOTHING, VIEW, ScopedQuerySet, scope_for, under
from apps.schools.models import Level, school_q
from apps.students.models import ClassGroup, Enrolment, TeacherAssignment, enrolment_q, level_of

HOMEROOM = TeacherAssignment.Kind.HOMEROOM


def homeroom_q(scope, prefix: str = "") -> Q:
    """Enrolments (reached through `prefix`) in a class the scope's user is the homeroom teacher of."""
    if scope.user_id is None:
        return NOTHING
    classes = TeacherAssignment.objects.filter(teacher_id=scope.user_id, kind=HOMEROOM).values("class_group")
    return Q(**{f"{prefix}class_group__in": classes})


def record_writers_q(scope, prefix: str = "") -> Q:
    """Enrolments whose absences, results, notes and visits the scope may write: those of a school it manages (its
    managing unit, its principal) and those of the classes it is homeroom teacher of."""
    return school_q(scope, MANAGE, f"{prefix}school__") | homeroom_q(scope, prefix)


class RecordQuerySet(ScopedQuerySet):
    """Rows of an enrolment's record: read with the enrolment, written by its school's managers and homeroom."""

    def scope_q(self, scope, action):
        if action == VIEW:
            return enrolment_q(scope, VIEW)
        return record_writers_q(scope, "enrolment__")


def record_classes(user, action: str = VIEW):
    """The classes whose records (absences, results) `user` may read (`view`: officers over the school, its
    principal, any teacher of the class) or write (`change`: the school's managers and the homeroom teacher)."""
    return record_classes_within(scope_for(user), action)


def record_classes_within(scope, action: str = VIEW):
    """`record_classes` for a scope already in hand."""
    classes = ClassGroup.objects.all()
    if scope.is_admin:
        return classes
    if scope.is_empty:
        return classes.none()
    if action == VIEW:
        return classes.filter(
            under("school__managed_by__", scope.officer_paths)
            | under("school__location__", scope.officer_paths)
            | Q(school__in=scope.principal_school_ids)
            | Q(pk__in=TeacherAssignment.objects.filter(teacher_id=scope.user_id).values("class_group"))
        )
    homeroom = TeacherAssignment.objects.filter(teacher_id=scope.user_id, kind=HOMEROOM).values("class_group")
    return classes.filter(school_q(scope, MANAGE, "school__") | Q(pk__in=homeroom))


class Absence(models.Model):
    """A day a student was absent from class (only absent days are stored), excused (có phép) or not."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="absences")
    on = models.DateField(_("ngày vắng"))
    excused = models.BooleanField(_("có phép"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("ngày nghỉ học")
        verbose_name_plural = _("ngày nghỉ học")
        ordering = ["enrolment", "on"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "on"], name="absence_once_per_enrolment_day")]
        indexes = [models.Index(fields=["on", "excused"], name="absence_on_excused")]

    def __str__(self) -> str:
        return f"#{self.enrolment_id} {self.on:%d/%m/%Y}"


class Mark(models.TextChoices):
    """A semester's learning or conduct assessment, on both circulars' scales."""

    # Circular 27/2020 (primary)
    EXCELLENT_PRIMARY = "htt", pgettext_lazy("semester result", "Hoàn thành tốt")
    COMPLETED_PRIMARY = "ht", pgettext_lazy("semester result", "Hoàn thành")
    NOT_COMPLETED = "cht", pgettext_lazy("semester result", "Chưa hoàn thành")
    NEEDS_EFFORT = (
        "ccg",
        pgettext_lazy("semester result", "Cần cố gắng"),
    )  # the qualities' lowest mark (primary conduct)
    # Circular 22/2021 (secondary); "Tốt" and "Đạt" also grade a primary pupil's qualities
    GOOD = "tot", pgettext_lazy("semester result", "Tốt")
    FAIR = "kha", pgettext_lazy("semester result", "Khá")
    PASS = "dat", pgettext_lazy("semester result", "Đạt")
    NOT_PASSED = "cd", pgettext_lazy("semester result", "Chưa đạt")


# Which marks each level's learning and conduct take (primary conduct: the qualities of Circular 27).
SCALES = {
    Level.PRIMARY: {
        "learning": (Mark.EXCELLENT_PRIMARY, Mark.COMPLETED_PRIMARY, Mark.NOT_COMPLETED),
        "conduct": (Mark.GOOD, Mark.PASS, Mark.NEEDS_EFFORT),
    },
    Level.LOWER_SECONDARY: {
        "learning": (Mark.GOOD, Mark.FAIR, Mark.PASS, Mark.NOT_PASSED),
        "conduct": (Mark.GOOD, Mark.FAIR, Mark.PASS, Mark.NOT_PASSED),
    },
}
SCALES[Level.UPPER_SECONDARY] = SCALES[Level.LOWER_SECONDARY]
# "Poor": what the early warning counts (Chưa hoàn thành, Chưa đạt; a primary pupil's "Cần cố gắng" conduct).
POOR = frozenset({Mark.NOT_COMPLETED, Mark.NOT_PASSED, Mark.NEEDS_EFFORT})


def scale_for(grade: str) -> dict | None:
    """The marks a grade's results take ({"learning": …, "conduct": …}), None for preschool (no results)."""
    return SCALES.get(level_of(grade))


class SemesterResult(models.Model):
    """A student's assessment at the end of semester I or II: learning and conduct, on the level's scale."""

    class Semester(models.IntegerChoices):
        FIRST = 1, _("Học kỳ I")
        SECOND = 2, _("Học kỳ II")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="results")
    semester = models.PositiveSmallIntegerField(_("học kỳ"), choices=Semester.choices)
    learning = models.CharField(_("học tập"), max_length=4, choices=Mark.choices)
    conduct = models.CharField(_("rèn luyện"), max_length=4, choices=Mark.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả học kỳ")
        verbose_name_plural = _("kết quả học kỳ")
        ordering = ["enrolment", "semester"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "semester"], name="result_once_per_enrolment_semester")
        ]

    def __str__(self) -> str:
        return f"#{self.enrolment_id} {self.get_semester_display()}"

    @property
    def poor(self) -> bool:
        return self.learning in POOR or self.conduct in POOR
