"""The official snapshot of a school year (trích xuất dữ liệu): taken on the count day by the daily job or by a
province officer by hand, once; corrected only by amendments of the school's managing unit, audited."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.audit import audit_record
from apps.core.scoping import CHANGE, PROVINCE_OFFICER, get_scoped_or_404, scope_for
from apps.indicators.counts import circumstances_of, status_at
from apps.indicators.models import CIRCUMSTANCE_BITS, Snapshot, SnapshotAmendment, SnapshotRow
from apps.schools.models import SchoolYear
from apps.students.identity import ethnicity_choices, ethnicity_table
from apps.students.models import Enrolment, EnrolmentEvent, Grade, Sex, levels_teaching
from apps.students.rules import CIRCUMSTANCES

Kind = EnrolmentEvent.Kind

CHUNK = 5000


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` ends, in the project's time zone (events recorded before it count)."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


def recorded_until(count_on: datetime.date, on: datetime.date, taken_at: datetime.datetime) -> datetime.datetime:
    """Up to when an event must have been recorded to count. On the count day itself: before the snapshot. Later
    (the daily job did not run on the count day, the machine was down; or a province officer takes it by hand
    days after): before the end of the count day, so that an event recorded in between, even one dated on or
    before the count day, stays out — the count is what the records said on that day. (`EnrolmentEvent.recorded_at`
    is the one timestamp the records carry; a grade, class or child's detail changed since has no history and is
    taken as it is now.)"""
    if on > count_on:
        return min(taken_at, end_of_day(count_on))
    return taken_at


def _freeze(year: SchoolYear, *, actor, taken_at: datetime.datetime, on: datetime.date) -> Snapshot:
    if Snapshot.objects.filter(year=year).exists():
        taken = Snapshot.objects.get(year=year)
        raise ValidationError(
            _("Năm học %(year)s đã chốt số liệu lúc %(at)s; mỗi năm học chỉ chốt một lần, sai sót thì đính chính.")
            % {"year": year.name, "at": timezone.localtime(taken.taken_at).strftime("%d/%m/%Y %H:%M")}
        )
    count_on = year.count_on
    until = recorded_until(count_on, on, taken_at)
    snapshot = Snapshot.objects.create(
        year=year, count_day=count_on, taken_at=taken_at, taken_by=actor, recorded_until=until
    )
    enrolments = Enrolment.objects.filter(year=year).values_list(
        "pk",
        "school_id",
        "class_group_id",
        "grade",
        "child__sex",
        "child__ethnicity",
        *(f"child__{name}" for name in CIRCUMSTANCE_BITS),
    )
    events: dict[int, list] = {}
    # Events dated on or before the count day and recorded before the snapshot (a late one: by the count day's end).
    rows = EnrolmentEvent.objects.filter(enrolment__year=year, on__lte=count_on, recorded_at__lt=until)
    for enrolment_id, kind, on in rows.order_by("enrolment_id", "on", "pk").values_list("enrolment_id", "kind", "on"):
        events.setdefault(enrolment_id, []).append((kind, on))
    objects = []
    for pk, school_id, class_id, grade, sex, ethnicity, *flags in enrolments.iterator(chunk_size=CHUNK):
        status = status_at(events.get(pk, []), count_on)
        if status is None:  # enrolled after the count day: not in the official count
            continue
        objects.append(
            SnapshotRow(
                snapshot=snapshot,
                enrolment_id=pk,
                school_id=school_id,
                class_group_id=class_id,
                grade=grade,
                status=status,
                sex=sex,
                ethnicity=ethnicity,
                circumstances=circumstances_of(dict(zip(CIRCUMSTANCE_BITS, flags, strict=True))),
            )
        )
    SnapshotRow.objects.bulk_create(objects, batch_size=1000)
    return snapshot


@transaction.atomic
def snapshot_take(*, actor, year: SchoolYear, on: datetime.date | None = None) -> Snapshot:
    """Freeze the year's official count by hand: a province officer of the year's province (or an administrator),
    on or after the count day."""
    year = get_scoped_or_404(SchoolYear.objects.all(), actor, CHANGE, pk=year.pk)
    scope = scope_for(actor)
    if not scope.is_admin and PROVINCE_OFFICER not in scope.roles:
        raise PermissionDenied
    on = on or timezone.localdate()
    if on < year.count_on:
        raise ValidationError(_("Chưa đến ngày chốt số liệu (%(day)s).") % {"day": year.count_on.strftime("%d/%m/%Y")})
    snapshot = _freeze(year, actor=actor, taken_at=timezone.now(), on=on)
    audit_record(
        actor=actor,
        action="indicators.snapshot_take",
        obj=snapshot,
        org_unit=year.province,
        changes={"year": year.name, "rows": snapshot.rows.count(), "late": snapshot.late},
    )
    return snapshot


DAILY_JOB = "indicators.snapshot"


def _missed(year: SchoolYear) -> bool:
    """Whether a year past its count day without a snapshot is one the daily job missed (the machine was down that
    day) and there is something to freeze as it stood: not when the job ran that day (the year was not due then —
    declared later, or its count day moved since), nor when nothing of the year was recorded by the count day's end
    (a year declared, or a system set up, after it: the province officer takes that one by hand)."""
    from apps.core.models import DailyRun

    count_on = year.count_on
    if DailyRun.objects.filter(job=DAILY_JOB, on=count_on, finished_at__isnull=False).exists():
        return False
    return EnrolmentEvent.objects.filter(enrolment__year=year, recorded_at__lt=end_of_day(count_on)).exists()


def daily_snapshot(on: datetime.date) -> dict:
    """The daily job: freeze every school year whose count day is `on` and has no snapshot yet (a year declared
    before count days existed counts on 22/9) — and one whose count day has passed without it (the machine was
    down that day) while the year still runs (`_missed`): taken late, as it stood on the count day
    (`recorded_until`)."""
    taken = 0
    years = SchoolYear.objects.filter(start_year__in=(on.year - 1, on.year), starts_on__lte=on, ends_on__gte=on)
    due = [y for y in years.exclude(snapshot__isnull=False).order_by("pk") if y.count_on <= on]
    # A catch-up run (`run_daily --on` the count day, days later) is late too: what was recorded since stays out.
    today = max(on, timezone.localdate())
    for year in due:
        if today > year.count_on and not _missed(year):
            continue
        with transaction.atomic():
            snapshot = _freeze(year, actor=None, taken_at=timezone.now(), on=today)
            audit_record(
                actor=None,
                action="indicators.snapshot_take",
                obj=snapshot,
                org_unit=year.province,
                changes={"year": year.name, "rows": snapshot.rows.count(), "daily": True, "late": snapshot.late},
            )
        taken += 1
    return {"snapshots": taken}


# What an amendment may change, as the form names it.
AMEND_FIELDS = {
    "grade": gettext_lazy("Khối lớp"),
    "status": gettext_lazy("Tình trạng"),
    "sex": gettext_lazy("Giới tính"),
    "ethnicity": gettext_lazy("Dân tộc"),
    "circumstances": gettext_lazy("Hoàn cảnh gia đình"),
}
# The statuses an enrolment can have on the count day (the year's first weeks: nobody has completed yet).
SNAPSHOT_STATUSES = (
    Kind.ENROLLED,
    Kind.TRANSFERRED_IN,
    Kind.RETURNED,
    Kind.REPEATING,
    Kind.DROPPED_OUT,
    Kind.TRANSFERRED_OUT,
    Kind.NOT_CONTINUED,
)


def allowed_values(row: SnapshotRow, field: str) -> list[tuple[str, str]]:
    """The values a frozen row's `field` may take, with their names: a grade the row's school teaches, a sex, an
    ethnicity of the registry, a status an enrolment can have on the count day, a set of household circumstances
    (its bits: the form shows them as boxes)."""
    if field == "grade":
        return [(g.value, str(g.label)) for g in Grade if row.school.levels & levels_teaching(g.value)]
    if field == "sex":
        return [(s.value, str(s.label)) for s in Sex]
    if field == "ethnicity":
        return [(code, name) for code, name in ethnicity_choices()]
    if field == "status":
        return [(k.value, str(k.label)) for k in SNAPSHOT_STATUSES]
    if field == "circumstances":
        return [(str(bit), str(CIRCUMSTANCES[name])) for name, bit in CIRCUMSTANCE_BITS.items()]
    raise ValidationError({"field": _("Không đính chính được trường này.")})


def describe(field: str, value: str) -> str:
    """A frozen value as people read it ("Lớp 2", "Nữ", "Mông", "Bỏ học", "Hộ nghèo, Mồ côi")."""
    if field == "grade" and value in Grade.values:
        return str(Grade(value).label)
    if field == "sex" and value in Sex.values:
        return str(Sex(value).label)
    if field == "ethnicity":
        return ethnicity_table()[0].get(value, value)
    if field == "status" and value in Kind.values:
        return str(Kind(value).label)
    if field == "circumstances" and str(value).isdigit():
        bits = int(value)
        return ", ".join(str(CIRCUMSTANCES[n]) for n, bit in CIRCUMSTANCE_BITS.items() if bits & bit) or _("Không")
    return str(value)


def _check_value(row: SnapshotRow, field: str, value: str) -> None:
    """The new value, checked for its field; the message says what is wrong in words."""
    if field not in SnapshotRow.AMENDABLE:
        raise ValidationError({"field": _("Không đính chính được trường này.")})
    if field == "circumstances":
        if not (value.isdigit() and 0 <= int(value) < 2 ** len(CIRCUMSTANCE_BITS)):
            raise ValidationError({"new": _("Hoàn cảnh gia đình không hợp lệ.")})
        return
    if value in {v for v, _label in allowed_values(row, field)}:
        return
    if field == "grade":
        message = _("Khối “%(value)s” không thuộc cấp học của %(school)s.") % {
            "value": value,
            "school": row.school.name,
        }
    elif field == "sex":
        message = _("Giới tính chỉ là Nam hoặc Nữ.")
    elif field == "ethnicity":
        message = _("Mã dân tộc “%(value)s” không có trong danh mục các dân tộc Việt Nam.") % {"value": value}
    else:
        message = _("Tình trạng “%(value)s” không phải tình trạng của học sinh vào ngày chốt số liệu.") % {
            "value": value
        }
    raise ValidationError({"new": message})


@transaction.atomic
def snapshot_amend(*, actor, row: SnapshotRow, field: str, new: str, reason: str) -> SnapshotAmendment:
    """Correct one frozen row: by the officers of the school's managing unit, with a reason; the official figures
    follow, the enrolment's live record does not change."""
    row = get_scoped_or_404(SnapshotRow.objects.select_related("school"), actor, CHANGE, lock=True, pk=row.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do đính chính.")})
    new = str(new).strip()
    _check_value(row, field, new)
    old = str(getattr(row, field))
    if old == new:
        raise ValidationError({"new": _("Giá trị mới trùng giá trị cũ.")})
    setattr(row, field, int(new) if field == "circumstances" else new)
    row.save(update_fields=[field])
    amendment = SnapshotAmendment.objects.create(row=row, field=field, old=old, new=new, reason=reason, actor=actor)
    audit_record(
        actor=actor,
        action="indicators.snapshot_amend",
        obj=row,
        org_unit=row.school.managed_by,
        object_repr=f"#{row.pk}",
        changes={field: [old, new], "reason": reason},
    )
    return amendment
