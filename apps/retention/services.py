"""Writes of the early warning, notes, visits, mentors and peer pairs. Each service is one audited transaction;
the recompute is part of the write that caused it (absences, results, a note) or of the daily job, and the homeroom
teachers hear of a student turning high-risk only once that write has committed."""

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record, diff
from apps.core.scoping import CHANGE, VIEW, get_scoped_or_404, scope_for
from apps.orgunits.models import OrgUnit
from apps.retention.models import Level, RiskFlag, RiskRules, TeacherNote
from apps.retention.rules import DEFAULT_WEIGHTS, MAX_WEIGHT, changes_sql, raw_rows, rules_for, without_jit
from apps.students.models import ClassGroup, Enrolment, TeacherAssignment
from apps.students.records import record_writers_q

CHUNK = 100_000  # enrolments per query of a large recompute: only the students whose flag changes come back
# PostgreSQL reads every child and the whole window of absences again for each chunk (hashed, not by index): fewer,
# larger chunks there (a province of 200,000 students in one query: the daily job without changes 0.632 -> 0.588 s
# of CPU, best of 3, against 0.296 s for the benchmark's floor).
CHUNK_POSTGRESQL = 250_000
SMALL = 5000  # up to this many, a recompute reads the enrolments by their ids


def writable_enrolment(actor, pk: int) -> Enrolment:
    """The enrolment if the actor may write its records (notes, visits, mentors): 404 out of view, 403 when they
    only read it (a subject teacher, the province over a commune's school)."""
    enrolment = get_scoped_or_404(Enrolment.objects.select_related("school", "class_group", "year"), actor, VIEW, pk=pk)
    scope = scope_for(actor)
    if not scope.is_admin and not Enrolment.objects.filter(record_writers_q(scope), pk=pk).exists():
        raise PermissionDenied
    return enrolment


def flags_recompute(enrolments, *, on: datetime.date | None = None, semester: int = 2, tell: bool = True) -> dict:
    """Recompute the level of each enrolment of `enrolments` (a queryset) as of `on` (today): a new flag where the
    level, score or signals changed (the old one kept as history), the flag in force brought up to date where only a
    reason's figure did, none for a student who stays low. Runs inside the caller's transaction; the homeroom
    teachers of students turning high are told after it commits. Returns {"changed": n, "high": n}."""
    on = on or timezone.localdate()
    changed = became_high = 0
    newly_high: dict[int, int] = defaultdict(int)  # class → students turning high
    # Each province's count and lowest and highest id in one grouped query (a province's rules apply to its own).
    provinces = (
        enrolments.order_by()
        .values_list("year__province_id")
        .annotate(n=Count("pk"), lowest=Min("pk"), highest=Max("pk"))
        .values_list("year__province_id", "n", "lowest", "highest")
    )
    for province_id, n, lowest, highest in list(provinces):
        rules = rules_for(province_id)
        of_province = enrolments.filter(year__province_id=province_id)
        # A large recompute (the daily job) reads chunk by chunk over id ranges (from the lowest and highest id: no
        # list of every id), a small one (after a write) by its ids; each chunk is one query.
        if n > SMALL:
            chunk = CHUNK_POSTGRESQL if connection.vendor == "postgresql" else CHUNK
            steps = range(lowest, highest + 1, chunk)
            parts = [(of_province.filter(pk__gte=lo, pk__lt=lo + chunk), (lo, lo + chunk - 1)) for lo in steps]
        else:
            ids = [pk for (pk,) in raw_rows(of_province.order_by("pk").values_list("pk"))]
            parts = [(Enrolment.objects.filter(pk__in=ids), None)]
        for part, bounds in parts:
            n_changed, n_high, by_class = _write_changes(part, on, rules, semester, bounds)
            changed += n_changed
            became_high += n_high
            for class_id, k in by_class.items():
                newly_high[class_id] += k
    if newly_high and tell:
        counts = dict(newly_high)
        transaction.on_commit(lambda: _tell_homeroom(counts), robust=True)
    return {"changed": changed, "high": became_high}


CHANGES_TABLE = "retention_recompute_changes"  # a temporary table, one chunk's changes at a time
# The columns a recompute writes of a new flag, in the order of its INSERT … SELECT.
FLAG_COLUMNS = ("enrolment_id", "level", "score", "reasons", "since", "computed_at", "current")


def _signal_codes(column: str) -> str:
    """SQL of the codes of a reasons column in their order (["absences", "orphan"]), without their figures."""
    if connection.vendor == "postgresql":
        return f"jsonb_path_query_array(CAST({column} AS jsonb), '$[*][0]')"
    return f"(SELECT json_group_array(json_extract(value, '$[0]')) FROM json_each({column}))"


def _write_changes(enrolments, on: datetime.date, rules, semester: int, bounds) -> tuple[int, int, dict[int, int]]:
    """Write one chunk's changes inside the database: what `rules.changes_sql` finds is kept in a temporary table.
    Where only a reason's figure changed ("vắng 7 ngày" becoming 6: the same level, score and signals) the flag in
    force is brought up to date in place, and keeps the day its level began; otherwise the flag in force is closed
    (kept as history) and a new one inserted (its reasons the JSON text the query wrote). No row goes to Python and
    back, what the daily job's first run spent most of its writing on. Returns (flags written, students turning
    high, {class: students turning high})."""
    qn = connection.ops.quote_name
    table, flags = qn(CHANGES_TABLE), qn(RiskFlag._meta.db_table)
    sql, params = changes_sql(enrolments, on, rules, semester=semester, bounds=bounds)
    high = Level.HIGH.value
    columns = ", ".join(qn(c) for c in FLAG_COLUMNS)

    def as_reasons(column: str) -> str:  # the JSON text the query wrote, as the field stores it
        return f"CAST({column} AS jsonb)" if connection.vendor == "postgresql" else column

    same_signals = (
        f"CASE WHEN old_id IS NOT NULL AND level = old_level AND score = old_score "
        f"AND {_signal_codes('reasons')} = {_signal_codes('old_reasons')} THEN 1 ELSE 0 END"
    )
    with connection.cursor() as cursor:
        # Left by a chunk that failed inside a savepoint the caller went on after (a failed transaction drops it).
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        with without_jit(cursor):
            cursor.execute(
                f"CREATE TEMPORARY TABLE {table} AS SELECT c.*, {same_signals} AS refresh FROM ({sql}) c", params
            )
        # `old_level` below high is turning high (LEVEL_RANK: high is the top).
        cursor.execute(
            f"SELECT class_group_id, COUNT(*), SUM(CASE WHEN level = %s AND (old_level IS NULL OR old_level <> %s) "
            f"THEN 1 ELSE 0 END) FROM {table} GROUP BY class_group_id",
            [high, high],
        )
        counts = cursor.fetchall()
        if counts:
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            cursor.execute(
                f"UPDATE {flags} SET {qn('reasons')} = {as_reasons('c.reasons')}, "
                f"{qn('computed_at')} = %s FROM {table} c "
                f"WHERE {flags}.{qn('id')} = c.old_id AND c.refresh = 1",
                [now],
            )
            cursor.execute(
                f"UPDATE {flags} SET {qn('current')} = %s WHERE {qn('id')} IN "
                f"(SELECT old_id FROM {table} WHERE old_id IS NOT NULL AND refresh = 0)",
                [False],
            )
            cursor.execute(
                f"INSERT INTO {flags} ({columns}) SELECT pk, level, score, {as_reasons('reasons')}, %s, %s, %s "
                f"FROM {table} WHERE refresh = 0 ORDER BY pk",
                [connection.ops.adapt_datefield_value(on), now, True],
            )
        cursor.execute(f"DROP TABLE {table}")
    by_class = {class_id: int(n) for class_id, _total, n in counts if class_id and n}
    return sum(total for _c, total, _n in counts), sum(int(n or 0) for _c, _t, n in counts), by_class


def _tell_homeroom(counts: dict[int, int]) -> None:
    """Tell each class's homeroom teachers how many of their students turned high-risk (never who: a notification
    may go out by e-mail; the link leads to the list, where their rights decide what they see)."""
    from django.urls import reverse

    from apps.notifications.services import notify

    teachers = defaultdict(list)
    for assignment in TeacherAssignment.objects.filter(
        class_group__in=counts, kind=TeacherAssignment.Kind.HOMEROOM
    ).select_related("teacher"):
        teachers[assignment.class_group_id].append(assignment.teacher)
    names = dict(ClassGroup.objects.filter(pk__in=counts).values_list("pk", "name"))
    for group_id, n in counts.items():
        if teachers.get(group_id):
            notify(
                recipients=teachers[group_id],
                kind="retention.high_risk",
                title=_("Lớp %(c)s: %(n)s học sinh có nguy cơ bỏ học cao") % {"c": names[group_id], "n": n},
                body=_("Hãy xem lý do và lên kế hoạch thăm hỏi gia đình."),
                url=f"{reverse('retention:list')}?class_group={group_id}",
            )


@transaction.atomic
def rules_update(*, actor, province: OrgUnit, weights: dict, **settings) -> RiskRules:
    """Set a province's early-warning rules (its own officers): weights 0–20 per signal, the thresholds (medium ≤
    high), the absence window, the over-age years and the mentor limit. Takes effect at the next recompute."""
    province = get_scoped_or_404(OrgUnit.objects.filter(level=OrgUnit.Level.PROVINCE), actor, CHANGE, pk=province.pk)
    unknown = set(weights) - set(DEFAULT_WEIGHTS)
    if unknown:
        raise ValidationError(_("Không có tín hiệu %(s)s.") % {"s": ", ".join(sorted(unknown))})
    for code, weight in weights.items():
        if not isinstance(weight, int) or not 0 <= weight <= MAX_WEIGHT:
            raise ValidationError({code: _("Trọng số là số nguyên từ 0 đến %(m)s.") % {"m": MAX_WEIGHT}})
    rules = RiskRules.objects.filter(province=province).first() or RiskRules(province=province)
    fields = {"weights": {**DEFAULT_WEIGHTS, **rules.weights, **weights}, **settings}
    changes = diff(rules, fields) if rules.pk else {k: [None, v] for k, v in fields.items()}
    for name, value in fields.items():
        setattr(rules, name, value)
    rules.updated_by = actor
    if rules.medium > rules.high:
        raise ValidationError({"medium": _("Ngưỡng trung bình không được lớn hơn ngưỡng cao.")})
    if not 1 <= rules.absence_window <= 120 or not 1 <= rules.absence_days <= rules.absence_window:
        raise ValidationError({"absence_days": _("Số ngày nghỉ phải từ 1 đến số ngày của khoảng xét (tối đa 120).")})
    if not 1 <= rules.mentor_limit <= 10:
        raise ValidationError({"mentor_limit": _("Mỗi người đỡ đầu từ 1 đến 10 học sinh.")})
    rules.full_clean()
    rules.save()
    audit_record(actor=actor, action="retention.rules_update", obj=rules, org_unit=province, changes=changes)
    return rules


@transaction.atomic
def note_add(*, actor, enrolment: Enrolment, text: str, family_difficulty: bool, on: datetime.date | None = None):
    """A teacher's note about a student (homeroom teacher or school managers); the level is recomputed."""
    enrolment = writable_enrolment(actor, enrolment.pk)
    note = TeacherNote(
        enrolment=enrolment,
        text=text.strip(),
        family_difficulty=family_difficulty,
        written_by=actor,
        written_on=on or timezone.localdate(),
    )
    note.full_clean()
    note.save()
    audit_record(
        actor=actor,
        action="retention.note_add",
        obj=note,
        org_unit=enrolment.school.managed_by_id,
        object_repr=f"#{enrolment.pk}",
        changes={"family_difficulty": family_difficulty},
    )
    flags_recompute(Enrolment.objects.filter(pk=enrolment.pk), on=min(timezone.localdate(), enrolment.year.ends_on))
    return note


def models_q_open(on: datetime.date):
    """Mentorships in force on `on`."""
    from django.db.models import Q

    return Q(ends_on__isnull=True) | Q(ends_on__gte=on)


def visitable_enrolment(actor, pk: int) -> Enrolment:
    """The enrolment if the actor may log a home visit for it: its homeroom teacher and school managers, or its
    mentor while assigned (404 otherwise, 403 for those who only read it)."""
    from apps.retention.models import Mentorship

    today = timezone.localdate()
    mentored = Mentorship.objects.filter(enrolment_id=pk, mentor=actor, starts_on__lte=today).filter(
        models_q_open(today)
    )
    if getattr(actor, "is_authenticated", False) and mentored.exists():
        return Enrolment.objects.select_related("school", "class_group", "year").get(pk=pk)
    return writable_enrolment(actor, pk)


@transaction.atomic
def visit_record(
    *,
    actor,
    enrolment: Enrolment,
    key: str,
    on: datetime.date,
    met: str,
    findings: str,
    actions: str = "",
    next_on: datetime.date | None = None,
):
    """A home visit to the student's family. `key` is the form's idempotency key: sending the same visit again (a
    dropped connection, a double tap) answers the visit already recorded instead of making a second one.
    Returns (visit, created)."""
    from apps.retention.models import HomeVisit

    enrolment = visitable_enrolment(actor, enrolment.pk)
    key = (key or "").strip()
    if not 16 <= len(key) <= 64 or not all(c.isalnum() or c == "-" for c in key):
        raise ValidationError(_("Biểu mẫu đã cũ: hãy tải lại trang rồi ghi lại."))
    existing = HomeVisit.objects.filter(key=key).first()
    if existing is not None:
        if existing.enrolment_id != enrolment.pk or existing.visited_by_id != actor.pk:
            raise ValidationError(_("Biểu mẫu đã cũ: hãy tải lại trang rồi ghi lại."))
        return existing, False
    today = timezone.localdate()
    if on > today:
        raise ValidationError({"on": _("Ngày thăm chưa tới.")})
    if not enrolment.year.starts_on <= on <= enrolment.year.ends_on:
        raise ValidationError({"on": _("Ngày thăm phải thuộc năm học %(y)s.") % {"y": enrolment.year.name}})
    if next_on is not None and next_on <= on:
        raise ValidationError({"next_on": _("Ngày thăm tiếp theo phải sau ngày thăm.")})
    visit = HomeVisit(
        enrolment=enrolment,
        on=on,
        met=met.strip(),
        findings=findings.strip(),
        actions=actions.strip(),
        next_on=next_on,
        visited_by=actor,
        key=key,
    )
    visit.full_clean()
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:  # the same key sent twice at once: the other request recorded it
        return HomeVisit.objects.get(key=key), False
    audit_record(
        actor=actor,
        action="retention.visit_record",
        obj=visit,
        org_unit=enrolment.school.managed_by_id,
        object_repr=f"#{enrolment.pk}",
        changes={"on": on.isoformat(), "next_on": next_on.isoformat() if next_on else None},
    )
    return visit, True
