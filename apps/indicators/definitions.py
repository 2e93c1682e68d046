"""The indicators of `indicators.md`, each one registered definition (`registry.Indicator`).

School-based indicators sum `EnrolmentCount` over the schools located in a unit's subtree (or one school);
census-based ones sum `CensusCount` over the unit's hamlets, and for a school over its catchment
(`schools.Catchment`) for the level. Age = the year's start year − birth year."""

from collections import Counter, defaultdict

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.indicators.models import (
    CIRCUMSTANCE_BITS,
    MEASURES,
    CensusAgeCount,
    CensusCount,
    EnrolmentCount,
    EnrolmentGradeCount,
    Period,
    Snapshot,
    SnapshotRow,
)
from apps.indicators.registry import NOT_YET, ZERO, Indicator, Value, register
from apps.orgunits.models import OrgUnit
from apps.schools.models import Catchment, Level, School
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


def _unit_paths(targets) -> list[str]:
    """The unit targets' paths without those inside another one's: a province's communes add nothing to the
    province's filter."""
    paths = sorted({t.unit.path for t in targets if t.school is None})
    return [p for i, p in enumerate(paths) if not any(p.startswith(q) for q in paths[:i])]


def _schools_q(targets) -> Q:
    """The schools of the targets: the schools named, and those located in a unit target's subtree."""
    q = Q(pk__in=[t.school.pk for t in targets if t.school is not None])
    for path in _unit_paths(targets):
        q |= Q(location__path__startswith=path)
    return q


def _school_filter(targets) -> Q:
    """A count's or snapshot row's school is one of the targets' (a subquery: the rows are not joined to their
    schools and units one by one)."""
    return Q(school_id__in=School.objects.filter(_schools_q(targets)).values("pk"))


def _targets_of_schools(query) -> dict[int, list[str]]:
    """{school id: [target keys it counts for]} of the targets' schools (one query, kept on the query)."""
    if "schools" not in query.official:
        named, under = defaultdict(list), defaultdict(list)
        for t in query.targets:
            (named[t.school.pk] if t.school is not None else under[t.unit.path]).append(t.key)
        schools = School.objects.filter(_schools_q(query.targets)).order_by().values_list("pk", "location__path")
        query.official["schools"] = {
            school_id: list(dict.fromkeys([*named.get(school_id, ()), *_keys_under(under, path)]))
            for school_id, path in schools
        }
    return query.official["schools"]


def _keys_under(keys_at: dict, path: str) -> list[str]:
    """The keys of `keys_at` ({unit path: [keys]}) at the unit of `path` or above it: a unit lies under a path when
    the path is one of its ancestors' or its own (paths are "/id/id/…/")."""
    parts = path.strip("/").split("/")
    return [key for i in range(1, len(parts) + 1) for key in keys_at.get("/" + "/".join(parts[:i]) + "/", ())]


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


def school_sums(query, measures=MEASURES, *, period=None, level="query") -> dict[str, dict[str, dict[str, int]]]:
    """{target key: {group: {measure: Σ}}} of the enrolment counts of a period and level. Every measure is summed
    (`measures` names those the caller reads) in one query per period, level and breakdown, kept on the query
    (`query.official`): the indicators of one page share it, so a page costs a few queries whatever the number of
    indicators, and each row is read once per school, not once per target and indicator."""
    level = query.level if level == "query" else level
    period = period or query.period
    cache_key = ("enrolments", period, level, query.breakdown)
    if cache_key not in query.official:
        query.official[cache_key] = _school_sums(query, period, level)
    return query.official[cache_key]


def _school_sums(query, period: str, level: int | None) -> dict[str, dict[str, dict[str, int]]]:
    breakdown = group_field(query.breakdown)
    fields = ["school_id"]
    if breakdown:
        fields.append("circumstances" if breakdown in CIRCUMSTANCE_BITS else breakdown)
    # Without a breakdown by the child (sex, ethnicity, a circumstance) the counts summed over them are enough.
    table = EnrolmentGradeCount if breakdown in ("", "grade") else EnrolmentCount
    rows = table.objects.filter(_school_filter(query.targets), year=query.year, period=period)
    if level is not None:
        rows = rows.filter(grade__in=grades_of(level))
    out: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
    keys_of = _targets_of_schools(query)
    for row in rows.values(*fields).annotate(**{m: Sum(m) for m in MEASURES}).order_by():
        name = _group(row, breakdown)
        for key in keys_of.get(row["school_id"], ()):
            group = out[key].get(name)
            if group is None:
                group = out[key][name] = dict.fromkeys(MEASURES, 0)
            for m in MEASURES:
                group[m] += row[m] or 0
    return dict(out)


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
    fields = ["school_id"]
    if breakdown:
        fields.append("circumstances" if breakdown in CIRCUMSTANCE_BITS else breakdown)
    rows = SnapshotRow.objects.filter(_school_filter(query.targets), snapshot=snapshot, status__in=list(ONGOING))
    if level is not None:
        rows = rows.filter(grade__in=grades_of(level))
    out: dict = defaultdict(lambda: defaultdict(int))
    keys_of = _targets_of_schools(query)
    for row in rows.values(*fields).annotate(n=Count("pk")).order_by():
        for key in keys_of.get(row["school_id"], ()):
            out[key][_group(row, breakdown)] += row["n"]
    query.official[cache_key] = out
    return out


def census_rows(query, level: int) -> dict[str, list]:
    """{target key: [(age, group, status, grade, enrolled, n)]} of the census of each target: a unit's hamlets, a
    school's catchment for `level`; the group is the row's in the query's census breakdown ("" without one).
    Each target's rows are summed over its hamlets (one row per distinct tuple: the rules add counts). The census
    of the targets is read once per query (`_census_by_hamlet`) whatever the number of census indicators and
    levels (two queries); a school's catchment adds one query per level."""
    school_targets = [t for t in query.targets if t.school is not None]
    # Without a school target the level changes nothing: the units' rows are the same for every level.
    cache_key = ("census", level if school_targets else None, query.breakdown)
    if cache_key in query.official:
        return query.official[cache_key]
    keys_at: dict[str, list[str]] = defaultdict(list)  # a unit's path → the targets counting the hamlets under it
    if school_targets:
        rows = Catchment.objects.filter(school__in=[t.school.pk for t in school_targets])
        rows = rows.filter(level__in=[lv for lv in Level if int(lv) & level] or [level])
        catch = defaultdict(set)
        for school_id, path in rows.values_list("school_id", "unit__path"):
            catch[school_id].add(path)
        for t in school_targets:
            for path in catch.get(t.school.pk, ()):
                keys_at[path].append(t.key)
    for t in query.targets:
        if t.school is None:
            keys_at[t.unit.path].append(t.key)
    by_hamlet = _census_by_hamlet(query, set(keys_at))
    # The hamlets that count for the same targets (a commune's, for the province and the commune) are summed
    # together first, then added to each of their targets.
    by_keys: dict[tuple, Counter] = defaultdict(Counter)
    for path, rows in by_hamlet.items():
        keys = tuple(dict.fromkeys(_keys_under(keys_at, path)))
        if keys:
            by_keys[keys].update(rows)
    totals: dict[str, Counter] = {t.key: Counter() for t in query.targets}
    for keys, rows in by_keys.items():
        for key in keys:
            totals[key].update(rows)
    out = {key: [(*row, n) for row, n in rows.items() if n] for key, rows in totals.items()}
    query.official[cache_key] = out
    return out


def _census_by_hamlet(query, paths) -> dict[str, Counter]:
    """{hamlet path: {(age, group, status, grade, enrolled): children}} of the census counts under these paths
    (two queries, kept on the query for every level)."""
    cache_key = ("census_by_hamlet", frozenset(paths), query.breakdown)
    if cache_key in query.official:
        return query.official[cache_key]
    out: dict[str, Counter] = defaultdict(Counter)
    if paths:
        ordered = sorted(paths)
        q = Q(pk__in=[])
        for p in (p for i, p in enumerate(ordered) if not any(p.startswith(o) for o in ordered[:i])):
            q |= Q(path__startswith=p)
        # The units under the paths, read once; the counts are filtered by a subquery of them, not joined row by row.
        units = OrgUnit.objects.filter(q)
        path_of = dict(units.order_by().values_list("pk", "path"))
        start = query.year.start_year
        # A row's second value is its group in the query's breakdown (the census is counted by sex, ethnicity and
        # each household circumstance), "" without one: then the counts summed over them (`CensusAgeCount`, a
        # fraction of the rows) are read, one row per key, and the rules read only the other values.
        breakdown = query.breakdown if query.breakdown in CENSUS_BREAKDOWNS else ""
        bit = CIRCUMSTANCE_BITS.get(breakdown)
        fields = ("hamlet_id", "birth_year", "status", "grade", "enrolled")
        if breakdown:
            fields += ("circumstances" if bit is not None else breakdown,)
            rows = CensusCount.objects.filter(year=query.year, hamlet_id__in=units.values("pk"))
            rows = rows.values_list(*fields).annotate(n=Sum("children")).order_by()
        else:
            rows = CensusAgeCount.objects.filter(year=query.year, hamlet_id__in=units.values("pk"))
            rows = rows.values_list(*fields, "children").order_by()
        for hamlet_id, birth_year, status, grade, enrolled, *value, n in rows:
            value = ("yes" if value[0] & bit else "no") if bit is not None else (value[0] if value else "")
            out[path_of[hamlet_id]][(start - birth_year, value, status, grade, enrolled)] += n
    out = dict(out)
    query.official[cache_key] = out
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
