"""The early warning: what counts toward a student's risk of dropping out, with the weights and thresholds a province
sets (`models.RiskRules`; these defaults otherwise), and the reasons said in words. `signals` reads every signal of
many enrolments in a fixed number of grouped queries (the daily job runs it over a whole province); `assess` turns
one student's signals into a score, a level and the reasons."""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.orgunits.models import Designation
from apps.retention.models import Level, RiskRules, TeacherNote
from apps.students.models import Enrolment, EnrolmentEvent
from apps.students.records import POOR, Absence, SemesterResult

SIGNALS = {
    "absences": gettext_lazy("Nghỉ không phép nhiều ngày gần đây"),
    "poor_result": gettext_lazy("Kết quả học kỳ chưa đạt (chưa hoàn thành)"),
    "earlier_dropout": gettext_lazy("Đã từng bỏ học"),
    "orphan": gettext_lazy("Mồ côi"),
    "over_age": gettext_lazy("Lớn tuổi so với lớp"),
    "family_note": gettext_lazy("Giáo viên ghi nhận gia đình khó khăn"),
    "poor_household": gettext_lazy("Hộ nghèo hoặc cận nghèo"),
    "disability": gettext_lazy("Khuyết tật"),
    "remote": gettext_lazy("Vùng đặc biệt khó khăn"),
}
# The defaults: ≥ 5 unexcused days in the last 30 (3), a poor semester result (3), an earlier dropout (3),
# orphan (2), over-age by two years or more (2), a teacher's note of family difficulty (2), poor or near-poor (1),
# disability (1), remote (1); medium from 3, high from 5.
DEFAULT_WEIGHTS = {
    "absences": 3,
    "poor_result": 3,
    "earlier_dropout": 3,
    "orphan": 2,
    "over_age": 2,
    "family_note": 2,
    "poor_household": 1,
    "disability": 1,
    "remote": 1,
}
MAX_WEIGHT = 20


@dataclass(frozen=True)
class Rules:
    weights: dict = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    absence_days: int = 5
    absence_window: int = 30
    over_age_years: int = 2
    medium: int = 3
    high: int = 5
    mentor_limit: int = 2

    def level(self, score: int) -> str:
        return Level.HIGH if score >= self.high else Level.MEDIUM if score >= self.medium else Level.LOW


def rules_for(province_id: int) -> Rules:
    """The province's rules, or the defaults when it has set none."""
    row = RiskRules.objects.filter(province_id=province_id).first()
    if row is None:
        return Rules()
    return Rules(
        weights={code: int(row.weights.get(code, weight)) for code, weight in DEFAULT_WEIGHTS.items()},
        absence_days=row.absence_days,
        absence_window=row.absence_window,
        over_age_years=row.over_age_years,
        medium=row.medium,
        high=row.high,
        mentor_limit=row.mentor_limit,
    )


def reason_text(code: str, figure) -> str:
    """A reason in words, as the teacher reads it: "vắng 7 ngày không phép trong 30 ngày qua", "hộ nghèo"."""
    if code == "absences":
        days, window = figure
        return _("vắng %(n)s ngày không phép trong %(w)s ngày qua") % {"n": days, "w": window}
    if code == "poor_result":
        return _("kết quả học kỳ %(s)s chưa đạt") % {"s": "I" if figure == 1 else "II"}
    if code == "over_age":
        return _("lớn hơn tuổi đúng lớp %(n)s tuổi") % {"n": figure}
    if code == "poor_household":
        return _("hộ nghèo") if figure == "poor" else _("hộ cận nghèo")
    texts = {
        "earlier_dropout": _("đã từng bỏ học"),
        "orphan": _("mồ côi"),
        "family_note": _("giáo viên ghi nhận gia đình khó khăn"),
        "disability": _("khuyết tật"),
        "remote": _("ở vùng đặc biệt khó khăn"),
    }
    return texts.get(code, code)


FIELDS = (
    "pk",
    "child_id",
    "grade",
    "start_year",
    "year_id",
    "class_group_id",
    "child__birth_year",
    "child__poor",
    "child__near_poor",
    "child__orphan",
    "child__disability",
    "child__remote_area",
    "child__hamlet_id",
    "child__commune_id",
)


def _raw(queryset) -> list[tuple]:
    """A values_list queryset's rows straight from the cursor: the daily job reads every ongoing student, and Django's
    per-value converters (SQLite's booleans) cost more than the query. Booleans come as 0/1 on SQLite: read as truth."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def dropped_children(on: datetime.date, children=None) -> set[int]:
    """The children who dropped out (or did not continue) on or before `on`: of `children` (a queryset of child ids),
    or of the whole database (for a province-wide recompute: one query instead of one per chunk)."""
    events = EnrolmentEvent.objects.filter(
        kind__in=(EnrolmentEvent.Kind.DROPPED_OUT, EnrolmentEvent.Kind.NOT_CONTINUED), on__lte=on
    )
    if children is not None:
        events = events.filter(enrolment__child__in=children)
    return set(events.values_list("enrolment__child", flat=True))


def signals_by_rows(
    enrolments, on: datetime.date, rules: Rules, *, semester: int = 2, dropped: set | None = None
) -> dict[int, tuple]:
    """{enrolment id: (row, [[code, figure], …])} of the enrolments (a queryset) as of day `on`: absences in the
    window ending on `on`, results of semesters up to `semester`, dropouts, notes and designations up to `on`.

    `dropped`: the children who dropped out, read once for many calls (`dropped_children`)."""
    rows = {row[0]: row for row in _raw(enrolments.values_list(*FIELDS))}
    of = {"enrolment__in": enrolments.values("pk")}
    since = on - datetime.timedelta(days=rules.absence_window - 1)
    absent = dict(
        Absence.objects.filter(**of, excused=False, on__gte=since, on__lte=on)
        .values("enrolment")
        .annotate(n=Count("pk"))
        .values_list("enrolment", "n")
    )
    latest: dict[int, int] = {}
    poor = set()
    for e, sem, learning, conduct in _raw(
        SemesterResult.objects.filter(**of, semester__lte=semester).values_list(
            "enrolment", "semester", "learning", "conduct"
        )
    ):
        latest[e] = max(latest.get(e, 0), sem)
        if learning in POOR or conduct in POOR:
            poor.add((e, sem))
    if dropped is None:
        dropped = dropped_children(on, enrolments.values("child"))
    noted = set(
        TeacherNote.objects.filter(**of, family_difficulty=True, written_on__lte=on).values_list("enrolment", flat=True)
    )
    designated = set(
        Designation.objects.valid_on(on).filter(kind=Designation.Kind.DBKK).values_list("unit_id", flat=True)
    )
    found = {}
    window = rules.absence_window
    for pk, row in rows.items():
        (
            _pk,
            child,
            grade,
            start_year,
            _y,
            _c,
            born,
            is_poor,
            near_poor,
            orphan,
            disability,
            remote,
            hamlet,
            commune,
        ) = row
        reasons = []
        days = absent.get(pk, 0)
        if days >= rules.absence_days:
            reasons.append(["absences", [days, window]])
        if (pk, latest.get(pk)) in poor:
            reasons.append(["poor_result", latest[pk]])
        if child in dropped:
            reasons.append(["earlier_dropout", 1])
        if orphan:
            reasons.append(["orphan", 1])
        if grade.isdigit():
            over = start_year - born - (5 + int(grade))
            if over >= rules.over_age_years:
                reasons.append(["over_age", over])
        if pk in noted:
            reasons.append(["family_note", 1])
        if is_poor or near_poor:
            reasons.append(["poor_household", "poor" if is_poor else "near_poor"])
        if disability:
            reasons.append(["disability", 1])
        if remote or hamlet in designated or commune in designated:
            reasons.append(["remote", 1])
        found[pk] = (row, reasons)
    return found


def assess(reasons: list, rules: Rules) -> tuple[int, str, list]:
    """(score, level, the reasons that weigh) of one student's signals under `rules`; heaviest reason first."""
    if not reasons:
        return 0, Level.LOW, reasons
    weights = rules.weights
    weighing = [r for r in reasons if weights.get(r[0], 0) > 0]
    if len(weighing) > 1:
        weighing.sort(key=lambda r: -weights[r[0]])
    score = sum(weights[r[0]] for r in weighing)
    return score, rules.level(score), weighing


def ongoing(year_ids):
    return Enrolment.objects.filter(year__in=year_ids, ongoing=True)


# The columns `signals` reads after FIELDS: each signal worked out by the database, in the query of the enrolments.
# `latest` is the latest semester with a result, plus 10 when that result is poor (one lookup of the results, not two).
SIGNAL_COLUMNS = ("absent", "latest", "dropped", "noted", "designated", "over")
SCORE = len(FIELDS) + len(SIGNAL_COLUMNS)  # the length of a row of `signal_sql`


def signal_rows(enrolments, on: datetime.date):
    """The enrolments (a queryset) with the signals read once for the whole query as columns: an earlier dropout of
    the child, a teacher's note of family difficulty, a ĐBKK designation of the child's hamlet or commune (each an
    `IN (subquery)`, read once, not once per student), the years over age for the grade. The absences and the
    results, one or many rows per student, are grouped apart (`signal_sql`)."""
    from django.db.models import Case, F, IntegerField, Q, Subquery, Value, When
    from django.db.models.functions import Cast

    dropouts = EnrolmentEvent.objects.filter(
        kind__in=(EnrolmentEvent.Kind.DROPPED_OUT, EnrolmentEvent.Kind.NOT_CONTINUED), on__lte=on
    ).values("enrolment__child_id")
    notes = TeacherNote.objects.filter(family_difficulty=True, written_on__lte=on).values("enrolment_id")
    dbkk = Designation.objects.valid_on(on).filter(kind=Designation.Kind.DBKK).values("unit_id")

    def flag(condition):
        return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())

    grades = [str(g) for g in range(1, 13)]
    return (
        enrolments.order_by()
        .annotate(
            dropped=flag(Q(child_id__in=Subquery(dropouts))),
            noted=flag(Q(pk__in=Subquery(notes))),
            designated=flag(Q(child__hamlet_id__in=Subquery(dbkk)) | Q(child__commune_id__in=Subquery(dbkk))),
            over=Case(
                When(
                    grade__in=grades,
                    then=F("start_year") - F("child__birth_year") - Value(5) - Cast("grade", IntegerField()),
                ),
                default=None,
                output_field=IntegerField(),
            ),
        )
        .values_list(*FIELDS, *SIGNAL_COLUMNS[2:])
    )


def signal_sql(
    enrolments,
    on: datetime.date,
    rules: Rules,
    *,
    semester: int = 2,
    bounds: tuple[int, int] | None = None,
    weighing_only: bool = False,
) -> tuple[str, list]:
    """(the common table expressions, their parameters) ending in `s`: one row per enrolment of `enrolments` (a
    queryset), FIELDS then SIGNAL_COLUMNS, as of day `on`. The unexcused absences in the window ending on `on` and
    the latest semester's result (up to `semester`): on PostgreSQL each one grouped query over its table, hashed and
    joined to the enrolments (a subquery run once per student was most of its query); on SQLite each
    read beside the student's row by the tables' (enrolment, …) indexes, as SQLite runs the floor of the daily job's
    benchmark (a grouped table joined back cost it more than the floor itself). `bounds` (the lowest and highest id
    of `enrolments`, a chunk of a large recompute) lets PostgreSQL read those tables by the id range rather than by
    the queryset's ids; SQLite has no use for it. `weighing_only` (for the score and the reasons alone, what
    `changes_sql` reads): on PostgreSQL the grouped absences and results keep only the students for whom they weigh
    (at least `absence_days` days; a poor latest result), so that their tables joined back are small; the others
    read 0 days and no result."""
    from django.db.models import Case, IntegerField, Q, Value, When

    qn = connection.ops.quote_name
    base, params = signal_rows(enrolments, on).query.sql_with_params()
    since = on - datetime.timedelta(days=rules.absence_window - 1)
    absences = Absence._meta.db_table
    results = SemesterResult.objects.filter(semester__lte=semester)
    # The latest semester's mark in one MAX: semester × 100 orders by semester, the code (semester, plus 10 when
    # poor) rides along in the last two digits.
    poor_mark = Case(
        When(Q(learning__in=POOR) | Q(conduct__in=POOR), then=Value(10)), default=Value(0), output_field=IntegerField()
    )
    compiler = results.query.get_compiler(connection=connection)
    mark_sql, mark_params = poor_mark.resolve_expression(results.query).as_sql(compiler, connection)
    mark_sql = mark_sql.replace(f"{qn(SemesterResult._meta.db_table)}.", "y.")
    sem, pk, enrolment = qn("semester"), qn("pk"), qn("enrolment_id")
    fields = ", ".join(f"b.{qn(name)}" for name in FIELDS)
    signals = f"b.{qn('dropped')}, b.{qn('noted')}, b.{qn('designated')}, b.{qn('over')}"
    absent = f"y.{qn('excused')} = %s AND y.{qn('on')} >= %s AND y.{qn('on')} <= %s"
    mark = f"MAX(y.{sem} * 100 + y.{sem} + {mark_sql})"
    latest = f"{qn('m')} %% 100 AS {qn('latest')}"  # `m` once: each mention would read the results again
    if connection.vendor == "sqlite":
        outer = ", ".join(f"z.{qn(name)}" for name in FIELDS)
        outer_signals = ", ".join(f"z.{qn(name)}" for name in SIGNAL_COLUMNS[2:])
        # SQLite: each student's absences and results read by the (enrolment, …) index beside their row, what the
        # floor's plan does, with no table of every student built in between. `s` is built once (its columns are
        # read many times by the score and the reasons: not run again for each).
        sql = (
            f"s AS MATERIALIZED (SELECT {outer}, {qn('absent')}, {latest}, {outer_signals} FROM (SELECT {fields}, "
            f"(SELECT COUNT(*) FROM {qn(absences)} y WHERE y.{enrolment} = b.{pk} AND {absent}) AS {qn('absent')}, "
            f"(SELECT {mark} FROM {qn(SemesterResult._meta.db_table)} y WHERE y.{enrolment} = b.{pk} AND "
            f"y.{sem} <= %s) AS {qn('m')}, {signals} FROM ({base}) b) z)"
        )
        return sql, [False, since, on, *mark_params, semester, *params]
    # PostgreSQL: the absences in the window and the results grouped once each (hashed) straight from their tables,
    # kept to the enrolments' ids (by `bounds`, the chunk's id range, or by the ids), and joined to the students' rows
    # (`b`). `b` is not materialised (kept, it spilled to disk); OFFSET 0 keeps it a subquery, so that its signals
    # are worked out once per student, not again in each use of the score and the reasons.
    if bounds is not None:
        of, of_params = f"y.{enrolment} >= %s AND y.{enrolment} <= %s", list(bounds)
    else:
        ids, of_params = enrolments.order_by().values("pk").query.sql_with_params()
        of = f"y.{enrolment} IN ({ids})"
    # Only what weighs, when that is all the caller reads: of 157,000 students with an unexcused day in the window,
    # 21,000 have the 5 that count (the benchmark's province); the hash of the others cost 90 ms of a 700 ms query.
    few, few_params = (" HAVING COUNT(*) >= %s", [rules.absence_days]) if weighing_only else ("", [])
    poor, poor_params = (f" HAVING {mark} %% 100 >= 10", mark_params) if weighing_only else ("", [])
    sql = (
        f"b AS ({base} OFFSET 0), "
        f"a AS (SELECT y.{enrolment} AS e, COUNT(*) AS n FROM {qn(absences)} y WHERE {of} AND {absent} "
        f"GROUP BY y.{enrolment}{few}), "
        f"r AS (SELECT y.{enrolment} AS e, {mark} AS m FROM {qn(SemesterResult._meta.db_table)} y "
        f"WHERE {of} AND y.{sem} <= %s GROUP BY y.{enrolment}{poor}), "
        f"s AS (SELECT {fields}, COALESCE(a.n, 0) AS {qn('absent')}, r.m - r.m / 100 * 100 AS "
        f"{qn('latest')}, {signals} FROM b LEFT JOIN a ON a.e = b.{pk} LEFT JOIN r ON r.e = b.{pk})"
    )
    return sql, [
        *params,
        *of_params,
        False,
        since,
        on,
        *few_params,
        *mark_params,
        *of_params,
        semester,
        *poor_params,
    ]


def signals(enrolments, on: datetime.date, rules: Rules, *, semester: int = 2, bounds=None) -> dict[int, tuple]:
    """{enrolment id: (row, [[code, figure], …])} of the enrolments (a queryset) as of day `on`: the same signals,
    in the same order, as `signals_by_rows`, each worked out by the database in one query (`signal_sql`); Python
    only puts the reasons in their list."""
    ctes, params = signal_sql(enrolments, on, rules, semester=semester, bounds=bounds)
    rows = _fetch(f"WITH {ctes} SELECT * FROM s", params)
    return {row[0]: (row, reasons_of(row, rules)) for row in rows}


def reasons_of(row, rules: Rules) -> list:
    """The reasons of one row of `signal_sql` (FIELDS then SIGNAL_COLUMNS), in the order `signals_by_rows` finds."""
    (
        _pk,
        _child,
        _grade,
        _start_year,
        _y,
        _c,
        _born,
        is_poor,
        near_poor,
        orphan,
        disability,
        remote,
        _hamlet,
        _commune,
        days,
        latest,
        was_dropped,
        noted,
        designated,
        over,
    ) = row[:SCORE]
    reasons = []
    if days >= rules.absence_days:
        reasons.append(["absences", [days, rules.absence_window]])
    if latest is not None and latest >= 10:
        reasons.append(["poor_result", latest - 10])
    if was_dropped:
        reasons.append(["earlier_dropout", 1])
    if orphan:
        reasons.append(["orphan", 1])
    if over is not None and over >= rules.over_age_years:
        reasons.append(["over_age", over])
    if noted:
        reasons.append(["family_note", 1])
    if is_poor or near_poor:
        reasons.append(["poor_household", "poor" if is_poor else "near_poor"])
    if disability:
        reasons.append(["disability", 1])
    if remote or designated:
        reasons.append(["remote", 1])
    return reasons


def _conditions(rules: Rules) -> dict[str, tuple[str, list]]:
    """Each signal's test on a row of `signal_sql` (`{s}` its alias), in the order `reasons_of` finds them. Portable:
    the booleans are tested bare (SQLite's 0/1, PostgreSQL's boolean), the database's own flags (dropped, noted,
    designated) are 0/1 on both."""
    return {
        "absences": ('{s}."absent" >= %s', [rules.absence_days]),
        "poor_result": ('{s}."latest" >= 10', []),
        "earlier_dropout": ('{s}."dropped" = 1', []),
        "orphan": ('{s}."child__orphan"', []),
        "over_age": ('{s}."over" >= %s', [rules.over_age_years]),
        "family_note": ('{s}."noted" = 1', []),
        "poor_household": ('({s}."child__poor" OR {s}."child__near_poor")', []),
        "disability": ('{s}."child__disability"', []),
        "remote": ('({s}."child__remote_area" OR {s}."designated" = 1)', []),
    }


def score_sql(rules: Rules, alias: str = "s") -> tuple[str, list]:
    """The score of a row of `signal_sql` (named `alias`) as SQL: the weight of each signal that holds, summed, as
    `assess` sums them."""
    terms, params = [], []
    for code, (condition, values) in _conditions(rules).items():
        weight = rules.weights.get(code, 0)
        if weight > 0:
            terms.append(f"CASE WHEN {condition.format(s=alias)} THEN %s ELSE 0 END")
            params += [*values, weight]
    return (" + ".join(terms) or "0"), params


def reasons_sql(rules: Rules, alias: str = "s") -> tuple[str, list]:
    """The reasons that weigh of a row of `signal_sql` as SQL text: the JSON `assess` gives (heaviest first, ties in
    the order found) written as `json.dumps` writes it, so that a flag in force can be compared in the database."""
    figures = {  # the text of each reason after its code, the figure read from the row where it has one
        "absences": ('%s || {s}."absent" || %s', [", [", f", {int(rules.absence_window)}]]"]),
        "poor_result": ('%s || ({s}."latest" - 10) || %s', [", ", "]"]),
        "over_age": ('%s || {s}."over" || %s', [", ", "]"]),
        "poor_household": ('CASE WHEN {s}."child__poor" THEN %s ELSE %s END', [', "poor"]', ', "near_poor"]']),
    }
    conditions = _conditions(rules)
    found = [code for code in conditions if rules.weights.get(code, 0) > 0]
    found.sort(key=lambda code: -rules.weights[code])  # stable, as `assess` sorts
    terms, params = [], []
    for code in found:
        condition, values = conditions[code]
        figure, figure_params = figures.get(code, ("%s", [", 1]"]))
        terms.append(f"CASE WHEN {condition.format(s=alias)} THEN %s || {figure.format(s=alias)} ELSE '' END")
        params += [*values, f', ["{code}"', *figure_params]
    if not terms:
        return "'[]'", []
    return f"'[' || SUBSTR({' || '.join(terms)}, 3) || ']'", params


class without_jit:
    """PostgreSQL's planner prices a province's chunk above `jit_above_cost`, and compiling it costs more than the
    query: without JIT for the statements run inside, the setting put back after (nothing to do on SQLite)."""

    def __init__(self, cursor):
        self.cursor, self.jit = cursor, None

    def __enter__(self):
        if connection.vendor == "postgresql":
            self.cursor.execute("SELECT current_setting('jit')")
            (self.jit,) = self.cursor.fetchone()
            self.cursor.execute("SET jit = off")
        return self.cursor

    def __exit__(self, *exc):
        if self.jit is not None:
            self.cursor.execute("SELECT set_config('jit', %s, false)", [self.jit])


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor, without_jit(cursor):
        cursor.execute(sql, params)
        return cursor.fetchall()


def _flag_join() -> str:
    from apps.retention.models import RiskFlag

    qn = connection.ops.quote_name
    return f"LEFT JOIN {qn(RiskFlag._meta.db_table)} f ON f.{qn('enrolment_id')} = t.{qn('pk')} AND f.{qn('current')}"


CHANGE_COLUMNS = (
    "pk",
    "class_group_id",
    "score",
    "level",
    "reasons",
    "old_id",
    "old_level",
    "old_score",
    "old_reasons",
)


def changes_sql(
    enrolments, on: datetime.date, rules: Rules, *, semester: int = 2, bounds: tuple[int, int] | None = None
) -> tuple[str, list]:
    """(the query, its parameters) of what a recompute has to write: each student whose level, score or reasons
    (`score_sql`, `reasons_sql`) differ from the flag in force, or who reaches medium with none; its columns are
    CHANGE_COLUMNS (the reasons as JSON text, then the flag in force: id, level, score, reasons — None when there is
    none)."""
    ctes, params = signal_sql(enrolments, on, rules, semester=semester, bounds=bounds, weighing_only=True)
    score, score_params = score_sql(rules)
    reasons, reasons_params = reasons_sql(rules, "t")
    qn = connection.ops.quote_name
    level = f"CASE WHEN t.{qn('score')} >= %s THEN %s WHEN t.{qn('score')} >= %s THEN %s ELSE %s END"
    level_params = [rules.high, Level.HIGH.value, rules.medium, Level.MEDIUM.value, Level.LOW.value]
    # The reasons compared as JSON, not as their writing: SQLite keeps the text the field (or another writer) wrote,
    # compared as text first and through `json()` only when the texts differ; PostgreSQL's jsonb compares values.
    stored = f"f.{qn('reasons')}"
    # `t` is kept a subquery (not folded into the query below), so that each student's score is summed once; the level
    # and the reasons are then worked out from that column, the reasons only for the students compared or written
    # (folded, both databases wrote the sum out again in each use: the query took 6–15 % longer on PostgreSQL).
    if connection.vendor == "postgresql":
        differ, differ_params = f"{stored} <> CAST({reasons} AS jsonb)", reasons_params
        barrier = "OFFSET 0"
    else:
        differ = f"({stored} <> {reasons} AND json({stored}) <> json({reasons}))"
        differ_params = [*reasons_params, *reasons_params]
        barrier = "LIMIT -1"  # SQLite folds no subquery with a LIMIT into a join
    names = [qn(name) for name in CHANGE_COLUMNS]
    sql = (
        f"WITH {ctes}, t AS (SELECT s.*, {score} AS {qn('score')} FROM s {barrier}) "
        f"SELECT t.{qn('pk')} AS {names[0]}, t.{qn('class_group_id')} AS {names[1]}, t.{qn('score')} AS {names[2]}, "
        f"{level} AS {names[3]}, {reasons} AS {names[4]}, f.{qn('id')} AS {names[5]}, "
        f"f.{qn('level')} AS {names[6]}, f.{qn('score')} AS {names[7]}, f.{qn('reasons')} AS {names[8]} "
        f"FROM t {_flag_join()} "
        f"WHERE (f.{qn('id')} IS NULL AND t.{qn('score')} >= %s) OR (f.{qn('id')} IS NOT NULL AND "
        f"(f.{qn('level')} <> {level} OR f.{qn('score')} <> t.{qn('score')} OR {differ}))"
    )
    return sql, [*params, *score_params, *level_params, *reasons_params, rules.medium, *level_params, *differ_params]


def changes(enrolments, on: datetime.date, rules: Rules, *, semester: int = 2, bounds=None) -> list[tuple]:
    """The rows of `changes_sql` (what a recompute has to write), for a look from Python; the recomputes write them
    without them leaving the database (`services.flags_recompute`)."""
    return _fetch(*changes_sql(enrolments, on, rules, semester=semester, bounds=bounds))


raw_rows = _raw  # for the recompute's own reads (the enrolments' ids, the flags in force)
