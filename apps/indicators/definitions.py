"""The indicators of `indicators.md`, each one registered definition (`registry.Indicator`).

School-based indicators sum `EnrolmentCount` over the schools located in a unit's subtree (or one school);
census-based ones sum `CensusCount` over the unit's hamlets, and for a school over its catchment
(`schools.Catchment`) for the level. Age = the year's start year − birth year."""

from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.indicators.models import CIRCUMSTANCE_BITS, CensusCount, EnrolmentCount, Period, Snapshot, SnapshotRow
from apps.indicators.registry import NOT_YET, ZERO, Indicator, Value, register
from apps.schools.models import Catchment, Level
from apps.students.models import CensusStatus, Grade, level_of
from apps.students.rules import ONGOING

PRESCHOOL = Level.CRECHE | Level.KINDERGARTEN
# The right ages of each level (age = start year − birth year); preschool's whole level is 0–5.
AGES = {
    int(Level.CRECHE): range(0, 3),
    int(Level.KINDERGARTEN): range(3, 6),
    int(PRESCHOOL): range(0, 6),
    int(Level.PRIMARY): range(6, 11),
    int(Level.LOWER_SECONDARY): range(11, 15),
    int(Level.UPPER_SECONDARY): range(15, 18),
}
SCHOOL_LEVELS = (int(PRESCHOOL), int(Level.PRIMARY), int(Level.LOWER_SECONDARY), int(Level.UPPER_SECONDARY))
NET_LEVELS = (int(PRESCHOOL), int(Level.CRECHE), int(Level.KINDERGARTEN), *SCHOOL_LEVELS[1:])
NOT_TO_UNIVERSALISE = {CensusStatus.EXEMPT_DISABILITY, CensusStatus.MOVED_AWAY, CensusStatus.DECEASED}
BREAKDOWNS = ("sex", "ethnicity", "grade", *CIRCUMSTANCE_BITS)
CENSUS_BREAKDOWNS = ("sex", "ethnicity", *CIRCUMSTANCE_BITS)  # the census counts' (`CensusCount`) own


def grades_of(level: int | None) -> list[str]:
    return [g for g in Grade.values if level is None or level_of(g) & level]


def grade_level(grade: str) -> int:
    return int(level_of(grade)) if grade else 0


def grade_number(grade: str) -> int:
    return int(grade) if grade.isdigit() else 0


# ---- targets ------------------------------------------------------------------------------------------------------


def _school_filter(targets) -> Q:
    q = Q(pk__in=[])
    for t in targets:
        q |= Q(school_id=t.school.pk) if t.school is not None else Q(school__location__path__startswith=t.unit.path)
    return q


def _targets_of_school(targets, school_id: int, path: str) -> list[str]:
    return [
        t.key
        for t in targets
        if (t.school is not None and t.school.pk == school_id) or (t.school is None and path.startswith(t.unit.path))
    ]


def group_field(breakdown: str) -> str:
    """The count table's field a breakdown groups by ("" for none or per phase). Only the known breakdowns: the
    name goes into `.values()`, where anything else would follow relations (to a child's name) or fail."""
    if breakdown and breakdown != "phase" and breakdown not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {breakdown!r}")
    return "" if breakdown == "phase" else breakdown


def _group(row: dict, breakdown: str) -> str:
    if not breakdown:
        return ""
    if breakdown in CIRCUMSTANCE_BITS:
        return "yes" if row["circumstances"] & CIRCUMSTANCE_BITS[breakdown] else "no"
    return str(row[breakdown])


# Every measure of `EnrolmentCount`: `school_sums` sums them all at once, so that the indicators computed from one
# `Query` (a page's whole table, a dashboard's level) share one grouped query per period and level.
MEASURES = (
    "enrolled",
    "insured",
    "transfers_in",
    "transfers_out",
    "transfers_in_after_count",
    "transfers_out_after_count",
    "dropouts",
    "dropouts_after_count",
    "returned",
    "continuing",
    "not_continued",
    "grade9_completers",
    "grade9_not_grade10",
)


def school_sums(query, measures, *, period=None, level="query") -> dict[str, dict[str, dict[str, int]]]:
    """{target key: {group: {measure: Σ}}} of the enrolment counts (one query per period and level for a `Query`:
    every measure is summed the first time and kept in the query's cache; the caller reads the ones it names)."""
    level = query.level if level == "query" else level
    period = period or query.period
    cache_key = ("sums", period, level)
    if cache_key in query.official and set(measures) <= set(query.official[cache_key][0]):
        return query.official[cache_key][1]
    measures = list(dict.fromkeys([*MEASURES, *measures]))
    breakdown = group_field(query.breakdown)
    fields = ["school_id", "school__location__path"]
    if breakdown:
        fields.append("circumstances" if breakdown in CIRCUMSTANCE_BITS else breakdown)
    rows = EnrolmentCount.objects.filter(_school_filter(query.targets), year=query.year, period=period)
    if level is not None:
        rows = rows.filter(grade__in=grades_of(level))
    out: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for row in rows.values(*fields).annotate(**{m: Sum(m) for m in measures}).order_by():
        for key in _targets_of_school(query.targets, row["school_id"], row["school__location__path"]):
            group = out[key][_group(row, breakdown)]
            for m in measures:
                group[m] += row[m] or 0
    query.official[cache_key] = (measures, out)
    return out


def official_counts(query, *, level="query") -> dict[str, dict[str, int]] | None:
    """{target key: {group: n}} of the official (snapshot) head count, or None when no snapshot was taken."""
    level = query.level if level == "query" else level
    cache_key = ("official", level, query.breakdown)
    if cache_key in query.official:
        return query.official[cache_key]
    snapshot = Snapshot.objects.filter(year=query.year).first()
    if snapshot is None:
        query.official[cache_key] = None
        return None
    breakdown = group_field(query.breakdown)
    fields = ["school_id", "school__location__path"]
    if breakdown:
        fields.append("circumstances" if breakdown in CIRCUMSTANCE_BITS else breakdown)
    rows = SnapshotRow.objects.filter(_school_filter(query.targets), snapshot=snapshot, status__in=list(ONGOING))
    if level is not None:
        rows = rows.filter(grade__in=grades_of(level))
    out: dict = defaultdict(lambda: defaultdict(int))
    for row in rows.values(*fields).annotate(n=Count("pk")).order_by():
        for key in _targets_of_school(query.targets, row["school_id"], row["school__location__path"]):
            out[key][_group(row, breakdown)] += row["n"]
    query.official[cache_key] = out
    return out


def census_rows(query, level: int) -> dict[str, list]:
    """{target key: [(age, group, status, grade, enrolled, n)]} of the census of each target: a unit's hamlets, a
    school's catchment for `level` (two queries); the group is the row's in the query's census breakdown (its sex
    without one). Kept in the query's cache: the indicators of one level share it."""
    cache_key = ("census", level)
    if cache_key not in query.official:
        query.official[cache_key] = _census_rows(query, level)
    return query.official[cache_key]


def _census_rows(query, level: int) -> dict[str, list]:
    paths = {}
    school_targets = [t for t in query.targets if t.school is not None]
    if school_targets:
        catch = defaultdict(list)
        rows = Catchment.objects.filter(school__in=[t.school.pk for t in school_targets])
        rows = rows.filter(level__in=[lv for lv in Level if int(lv) & level] or [level])
        for school_id, path in rows.values_list("school_id", "unit__path"):
            catch[school_id].append(path)
        for t in school_targets:
            paths[t.key] = catch.get(t.school.pk, [])
    for t in query.targets:
        if t.school is None:
            paths[t.key] = [t.unit.path]
    every = {p for ps in paths.values() for p in ps}
    if not every:
        return {t.key: [] for t in query.targets}
    q = Q(pk__in=[])
    for p in every:
        q |= Q(hamlet__path__startswith=p)
    start = query.year.start_year
    out = {t.key: [] for t in query.targets}
    # A row's second value is its group in the query's breakdown (the census is counted by sex, ethnicity and each
    # household circumstance), the child's sex otherwise; the rules read only the others.
    breakdown = query.breakdown if query.breakdown in CENSUS_BREAKDOWNS else "sex"
    group = "circumstances" if breakdown in CIRCUMSTANCE_BITS else breakdown
    fields = ("hamlet__path", "birth_year", group, "status", "grade", "enrolled")
    for path, birth_year, value, status, grade, enrolled, n in (
        CensusCount.objects.filter(q, year=query.year).values_list(*fields).annotate(n=Sum("children")).order_by()
    ):
        if breakdown in CIRCUMSTANCE_BITS:
            value = "yes" if value & CIRCUMSTANCE_BITS[breakdown] else "no"
        row = (start - birth_year, value, status, grade, enrolled, n)
        for key, ps in paths.items():
            if any(path.startswith(p) for p in ps):
                out[key].append(row)
    return out


def _by_group(rows, breakdown: str, count) -> dict[str, Value]:
    """Sum `count(row) -> (numerator, denominator)` over census rows, and by group when a census breakdown (sex,
    ethnicity, a household circumstance) is asked."""
    out: dict = defaultdict(lambda: ZERO)
    for row in rows:
        num, den = count(row)
        if den:
            out[""] = out[""] + Value(num, den)
            if breakdown in CENSUS_BREAKDOWNS:
                out[row[1]] = out[row[1]] + Value(num, den)
    return out


def census_indicator(level: int, counts):
    """A census-based compute: `counts(query)` gives the rule (age, group, status, grade, enrolled, n) → (num, den)."""

    def compute(query):
        rows = census_rows(query, level if level else (query.level or int(PRESCHOOL)))
        rule = counts(query)
        return {key: dict(_by_group(rs, query.breakdown, rule)) or {"": ZERO} for key, rs in rows.items()}

    return compute


def _universal(status) -> bool:
    return status not in NOT_TO_UNIVERSALISE


def net_rule(query):
    level = query.level or int(PRESCHOOL)
    ages = AGES.get(level, range(0))

    def rule(row):
        age, _group, status, grade, _enrolled, n = row
        if age not in ages or not _universal(status):
            return 0, 0
        return (n if grade_level(grade) & level else 0), n

    return rule


def age_rule(ages, numerator):
    def make(query):
        def rule(row):
            age, _group, status, grade, _enrolled, n = row
            if age not in ages or not _universal(status):
                return 0, 0
            return (n if numerator(status, grade) else 0), n

        return rule

    return make


def completed_primary(status, grade) -> bool:
    done = (CensusStatus.COMPLETED_PRIMARY, CensusStatus.COMPLETED_LOWER_SECONDARY)
    return status in done or grade_number(grade) >= 6


def lower_secondary_diploma(status, grade) -> bool:
    return status == CensusStatus.COMPLETED_LOWER_SECONDARY or grade_number(grade) >= 10


def in_primary(status, grade) -> bool:
    return 1 <= grade_number(grade) <= 5


def in_upper_secondary(status, grade) -> bool:
    return grade_number(grade) >= 10


# ---- school-based -------------------------------------------------------------------------------------------------


def _before_count(query) -> bool:
    on = query.on or timezone.localdate()
    return on <= query.year.count_on


def _official_start(query) -> dict[str, dict[str, int]]:
    """The start-of-year count per target and group: the snapshot where one was taken, else the live count on the
    count day."""
    official = official_counts(query)
    if official is not None:
        return official
    live = school_sums(query, ["enrolled"], period=Period.COUNT)
    return {k: {g: m["enrolled"] for g, m in groups.items()} for k, groups in live.items()}


def _phased(query, one):
    """Per phase when the breakdown is "phase" (the total is the query's own period), else `one(query)`."""
    if query.breakdown != "phase":
        return one(query, query.period)
    out = one(query, query.period)
    for phase in (Period.PHASE1, Period.PHASE2, Period.PHASE3):
        for key, groups in one(query, phase).items():
            out.setdefault(key, {})[phase] = groups.get("", ZERO)
    return out


def retention(query):
    """Retention (duy trì sĩ số) — there is no official national formula, so the rule lives here and only here:
    enrolled at the period's end ÷ (the official start-of-year count — the snapshot, else the live count on the
    count day — plus transfers in, minus transfers out, between the count day and the period's end). Before the
    count day, and for the periods ending by it, "not yet"."""
    if _before_count(query) or query.period in (Period.COUNT, Period.PHASE1):
        return {t.key: {"": Value(None, None, NOT_YET)} for t in query.targets}

    def one(query, period):
        sums = school_sums(query, ["enrolled", "transfers_in_after_count", "transfers_out_after_count"], period=period)
        start = _official_start(query)
        out = {}
        for t in query.targets:
            groups = set(sums.get(t.key, {})) | set(start.get(t.key, {})) | {""}
            out[t.key] = {}
            for g in groups:
                m = sums.get(t.key, {}).get(g, {})
                den = start.get(t.key, {}).get(g, 0) + m.get("transfers_in_after_count", 0)
                den -= m.get("transfers_out_after_count", 0)
                out[t.key][g] = Value(m.get("enrolled", 0), max(den, 0))
        return out

    return _phased(query, one)


def dropout(query):
    """Dropout (bỏ học): enrolments that dropped out after the count day up to the period's end (once each, even if
    they came back: returns are the `returned` indicator) ÷ the official start-of-year count plus transfers in after
    the count day. Dropouts before the count are their own indicator (`dropout_before_count`). "Not yet" before the
    count day."""
    if _before_count(query):
        return {t.key: {"": Value(None, None, NOT_YET)} for t in query.targets}

    def one(query, period):
        sums = school_sums(query, ["dropouts_after_count", "transfers_in_after_count"], period=period)
        start = _official_start(query)
        out = {}
        for t in query.targets:
            groups = set(sums.get(t.key, {})) | set(start.get(t.key, {})) | {""}
            out[t.key] = {}
            for g in groups:
                m = sums.get(t.key, {}).get(g, {})
                den = start.get(t.key, {}).get(g, 0) + m.get("transfers_in_after_count", 0)
                out[t.key][g] = Value(m.get("dropouts_after_count", 0), den)
        return out

    return _phased(query, one)


def ratio(numerator: str, denominator, *, period=None):
    """A school-based compute: Σ `numerator` ÷ Σ `denominator` (a measure, or a function of the sums)."""

    def compute(query):
        def one(query, p):
            names = [numerator] + (
                [denominator] if isinstance(denominator, str) else ["enrolled", "dropouts", "returned"]
            )
            sums = school_sums(query, names, period=period or p)
            out = {}
            for t in query.targets:
                groups = sums.get(t.key, {}) or {"": defaultdict(int)}
                out[t.key] = {}
                for g, m in groups.items():
                    den = m[denominator] if isinstance(denominator, str) else denominator(m)
                    out[t.key][g] = Value(m[numerator], den)
            return out

        return _phased(query, one) if period is None else one(query, period)

    return compute


def gross(query):
    """Gross enrolment (đi học chung): every student enrolled in the level at the unit's schools (or this school) at
    the period's end ÷ the census children of the level's official ages (may exceed 100 %)."""
    level = query.level or int(PRESCHOOL)
    sums = school_sums(query, ["enrolled"], level=level)
    ages = AGES.get(level, range(0))
    rows = census_rows(query, level)
    out = {}
    for t in query.targets:
        den = sum(r[5] for r in rows.get(t.key, []) if r[0] in ages and _universal(r[2]))
        num = sum(m["enrolled"] for m in sums.get(t.key, {}).values())
        out[t.key] = {"": Value(num, den)}
    return out


ALL_PERIODS = tuple(Period.values)
YEAR_PERIODS = (Period.SEMESTER1, Period.SEMESTER2, Period.YEAR, Period.PHASE2, Period.PHASE3)


def register_all() -> None:
    L = Level
    census = dict(source="census", breakdowns=CENSUS_BREAKDOWNS)
    school = dict(source="enrolments", breakdowns=(*BREAKDOWNS, "phase"), levels=SCHOOL_LEVELS)
    register(
        Indicator(
            "enrol_net",
            _("Tỷ lệ huy động đúng độ tuổi"),
            census_indicator(0, net_rule),
            levels=NET_LEVELS,
            order=10,
            **census,
        )
    )
    register(
        Indicator(
            "enrol_gross",
            _("Tỷ lệ đi học chung"),
            gross,
            levels=NET_LEVELS,
            order=20,
            source="census",
            periods=ALL_PERIODS,
        )
    )
    register(
        Indicator(
            "grade1_at_6",
            _("Trẻ 6 tuổi vào lớp 1"),
            census_indicator(int(L.PRIMARY), age_rule(range(6, 7), lambda s, g: g == "1")),
            order=30,
            **census,
        )
    )
    register(
        Indicator(
            "kinder5_attend",
            _("Trẻ 5 tuổi ra lớp"),
            census_indicator(int(L.KINDERGARTEN), age_rule(range(5, 6), lambda s, g: g.startswith("MG"))),
            order=40,
            **census,
        )
    )
    register(Indicator("retention", _("Tỷ lệ duy trì sĩ số"), retention, order=50, periods=YEAR_PERIODS, **school))
    register(Indicator("dropout", _("Tỷ lệ bỏ học"), dropout, order=60, periods=YEAR_PERIODS, **school))
    register(
        Indicator(
            "returned",
            _("Học sinh bỏ học trở lại"),
            ratio("returned", "dropouts"),
            order=70,
            periods=ALL_PERIODS,
            **school,
        )
    )
    register(
        Indicator(
            "completion_primary",
            _("Hoàn thành tiểu học (11 tuổi)"),
            census_indicator(int(L.PRIMARY), age_rule(range(11, 12), completed_primary)),
            order=80,
            **census,
        )
    )
    register(
        Indicator(
            "completion_primary_14",
            _("Hoàn thành tiểu học (14 tuổi)"),
            census_indicator(int(L.PRIMARY), age_rule(range(14, 15), completed_primary)),
            order=81,
            **census,
        )
    )
    register(
        Indicator(
            "thcs_diploma_15_18",
            _("Tốt nghiệp THCS 15–18 tuổi"),
            census_indicator(int(L.LOWER_SECONDARY), age_rule(range(15, 19), lower_secondary_diploma)),
            order=90,
            **census,
        )
    )
    register(
        Indicator(
            "studying_15_18",
            _("Thanh thiếu niên 15–18 tuổi đang học THPT, GDTX, học nghề"),
            census_indicator(int(L.UPPER_SECONDARY), age_rule(range(15, 19), in_upper_secondary)),
            order=95,
            **census,
        )
    )
    register(
        Indicator(
            "health_insurance",
            _("Tham gia BHYT"),
            ratio("insured", "enrolled"),
            order=100,
            periods=ALL_PERIODS,
            **school,
        )
    )
    # The phase-1 figures: their own indicators, counted on the count day.
    register(
        Indicator(
            "did_not_continue",
            _("Không tiếp tục đi học sau hè"),
            ratio("not_continued", "continuing", period=Period.COUNT),
            order=110,
            source="enrolments",
            breakdowns=BREAKDOWNS,
            levels=SCHOOL_LEVELS,
            periods=(Period.COUNT,),
        )
    )
    register(
        Indicator(
            "dropout_before_count",
            _("Bỏ học trước ngày chốt số liệu"),
            ratio("dropouts", lambda m: m["enrolled"] + m["dropouts"] - m["returned"], period=Period.COUNT),
            order=120,
            source="enrolments",
            breakdowns=BREAKDOWNS,
            levels=SCHOOL_LEVELS,
            periods=(Period.COUNT,),
        )
    )
    register(
        Indicator(
            "grade9_not_grade10",
            _("Tốt nghiệp THCS không vào lớp 10"),
            ratio("grade9_not_grade10", "grade9_completers", period=Period.COUNT),
            order=130,
            source="enrolments",
            breakdowns=BREAKDOWNS,
            levels=(int(L.LOWER_SECONDARY),),
            periods=(Period.COUNT,),
        )
    )
