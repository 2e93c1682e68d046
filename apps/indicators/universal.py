"""Universal education (phổ cập) of a commune for a school year (Decree 20/2014): each level of each programme
evaluated as a chain (a level needs the one before), from the census and the enrolments where they can say, and
from attested inputs (with their evidence) where they cannot. Thresholds are data (`models.Threshold`, edited by
system administrators); an especially difficult commune (ĐBKK: the orgunits designation valid on the year's count
day) takes the lower thresholds. A level missing an input is "not evaluable", never a pass; a failing criterion says
how many children short, in integers: for "≥ v %" of d children the number needed is ⌈v·d/100⌉."""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from apps.indicators.models import AttestedInput, Threshold, UniversalLevel
from apps.indicators.registry import Query, Target, get
from apps.orgunits.models import Designation, OrgUnit

L = UniversalLevel
# The chain: the level each one needs first.
NEEDS = {
    L.PRESCHOOL_5: None,
    L.PRIMARY_1: None,
    L.PRIMARY_2: L.PRIMARY_1,
    L.PRIMARY_3: L.PRIMARY_2,
    L.LOWER_1: L.PRIMARY_1,
    L.LOWER_2: L.LOWER_1,
    L.LOWER_3: L.LOWER_2,
}
# What each criterion is measured by: a registered indicator (with its level), or an attested input.
MEASURED = {
    "kinder5_attend": ("kinder5_attend", None),
    "grade1_at_6": ("grade1_at_6", None),
    "completion_primary_11": ("completion_primary", None),
    "completion_primary_14": ("completion_primary_14", None),
    "thcs_diploma_15_18": ("thcs_diploma_15_18", None),
    "upper_15_18": ("studying_15_18", None),
}
ATTESTED = {
    "preschool_programme_5": _("Trẻ 5 tuổi hoàn thành chương trình GDMN"),
    "literacy_1": _("Đạt chuẩn xóa mù chữ mức độ 1"),
    "conditions_preschool": _("Đội ngũ và cơ sở vật chất GDMN đạt yêu cầu"),
    "conditions_primary": _("Đội ngũ và cơ sở vật chất tiểu học đạt yêu cầu"),
    "conditions_lower": _("Đội ngũ và cơ sở vật chất THCS đạt yêu cầu"),
}

PASSED, FAILED, NOT_EVALUABLE, CHAIN = "passed", "failed", "not_evaluable", "chain"
STATUS_LABELS = {
    PASSED: _("Đạt"),
    FAILED: _("Chưa đạt"),
    NOT_EVALUABLE: _("Chưa đánh giá được"),
    CHAIN: _("Chưa đạt mức dưới"),
}


def needed(value: Decimal, denominator: int) -> int:
    """Children needed for "≥ value %" of `denominator`: ⌈v·d/100⌉, in integers (no float rounding)."""
    v = Decimal(value)
    return math.ceil(v * denominator / 100)


# An attested criterion the enrolments can give where they are there: the completion of the preschool programme by
# last year's 5-year-olds, from last year's MG5 enrolments.
DERIVED = {"preschool_programme_5"}


def preschool_completion(commune: OrgUnit, year) -> tuple[int, int] | None:
    """(completed, children) of the preschool programme for a commune's school year: of the children of this
    year's census of the commune's hamlets born `start_year − 6` (the 5-year-olds of last year, those to be
    universalised), how many have an MG5 enrolment of last year, at any school of any province, that was completed.
    None when no child of them has any MG5 enrolment last year (the records of last year are missing, e.g. the
    first year on the system): then the criterion is an attested input. Two queries."""
    from django.db.models import Exists, OuterRef

    from apps.indicators.definitions import NOT_TO_UNIVERSALISE
    from apps.students.models import CensusRecord, Enrolment, EnrolmentEvent, Grade

    last = year.start_year - 1
    mg5 = Enrolment.objects.filter(child=OuterRef("child"), start_year=last, grade=Grade.KINDER_5)
    completed = EnrolmentEvent.objects.filter(
        enrolment__child=OuterRef("child"),
        enrolment__start_year=last,
        enrolment__grade=Grade.KINDER_5,
        kind=EnrolmentEvent.Kind.COMPLETED,
    )
    cohort = (
        CensusRecord.objects.filter(
            hamlet__path__startswith=commune.path, year=year, child__birth_year=year.start_year - 6
        )
        .exclude(status__in=list(NOT_TO_UNIVERSALISE))
        .annotate(had=Exists(mg5), done=Exists(completed))
    )
    rows = list(cohort.values_list("had", "done"))
    if not any(had for had, _done in rows):
        return None
    return sum(1 for _had, done in rows if done), len(rows)


@dataclass
class Criterion:
    threshold: Threshold
    value: Decimal  # the threshold that applies (ĐBKK or not)
    numerator: int | None = None
    denominator: int | None = None
    attested: AttestedInput | None = None
    status: str = NOT_EVALUABLE
    short: int = 0  # children short, when it fails
    derived: bool = False  # an attested input the records give this year (`DERIVED`)

    @property
    def rate(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (Decimal(self.numerator * 100) / self.denominator).quantize(Decimal("0.1"))


@dataclass
class LevelResult:
    level: str
    status: str
    criteria: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return UniversalLevel(self.level).label

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def failing(self) -> list:
        return [c for c in self.criteria if c.status == FAILED]


def is_dbkk(commune: OrgUnit, year) -> bool:
    return Designation.objects.valid_on(year.count_on).filter(unit=commune, kind=Designation.Kind.DBKK).exists()


def evaluate(commune: OrgUnit, year) -> dict:
    """{"dbkk": bool, "levels": [LevelResult]} for a commune's school year."""
    dbkk = is_dbkk(commune, year)
    thresholds = list(Threshold.objects.order_by("level", "criterion"))
    attested = {a.criterion: a for a in AttestedInput.objects.filter(commune=commune, year=year)}
    query = Query(targets=(Target(unit=commune),), year=year)
    computed = {}
    for code, _level in set(MEASURED.values()):
        computed[code] = get(code).compute(query)[f"u{commune.pk}"].get("")
    derived = {"preschool_programme_5": preschool_completion(commune, year)}
    results: dict[str, LevelResult] = {}
    for level in UniversalLevel:
        criteria = []
        for t in (t for t in thresholds if t.level == level):
            value = t.dbkk_value if dbkk and t.dbkk_value is not None else t.value
            c = Criterion(threshold=t, value=value)
            if t.criterion in MEASURED or derived.get(t.criterion) is not None:
                if t.criterion in MEASURED:
                    v = computed[MEASURED[t.criterion][0]]
                    counted = (v.numerator, v.denominator) if v is not None else None
                else:
                    counted, c.derived = derived[t.criterion], True
                if counted is not None and counted[1]:
                    c.numerator, c.denominator = counted
                    c.short = max(0, needed(value, c.denominator) - c.numerator)
                    c.status = PASSED if c.short == 0 else FAILED
            else:
                c.attested = attested.get(t.criterion)
                if c.attested is not None:
                    if c.attested.value is not None:
                        c.status = PASSED if c.attested.value >= value else FAILED
                    elif c.attested.met is not None:
                        c.status = PASSED if c.attested.met else FAILED
            criteria.append(c)
        statuses = {c.status for c in criteria}
        if not criteria:
            status = NOT_EVALUABLE
        elif FAILED in statuses:
            status = FAILED
        elif NOT_EVALUABLE in statuses:
            status = NOT_EVALUABLE
        else:
            status = PASSED
        before = NEEDS[level]
        if status == PASSED and before is not None and results[before].status != PASSED:
            status = CHAIN
        results[level] = LevelResult(level=level, status=status, criteria=criteria)
    to_attest = [code for code in ATTESTED if derived.get(code) is None]
    return {"dbkk": dbkk, "levels": list(results.values()), "to_attest": to_attest}


def province_rollup(province: OrgUnit, year, communes=None) -> list[dict]:
    """The share of a province's communes at each level (a level above a commune is recognised when enough of its
    communes are: 90 % in Decree 20/2014, 100 % for some levels)."""
    if communes is None:
        communes = OrgUnit.objects.current().filter(parent=province, level=OrgUnit.Level.COMMUNE)
        communes = communes.filter(pk__in=_communes_with_census(province, year))
    communes = list(communes)
    passed = {level: 0 for level in UniversalLevel}
    for commune in communes:
        for result in evaluate(commune, year)["levels"]:
            if result.status == PASSED:
                passed[result.level] += 1
    total = len(communes)
    return [
        {
            "level": level,
            "label": UniversalLevel(level).label,
            "passed": passed[level],
            "communes": total,
            "share": None if not total else (Decimal(passed[level] * 100) / total).quantize(Decimal("0.1")),
        }
        for level in UniversalLevel
    ]


def _communes_with_census(province: OrgUnit, year):
    from apps.indicators.models import CensusCount

    return (
        CensusCount.objects.filter(year=year, hamlet__path__startswith=province.path)
        .values_list("hamlet__parent_id", flat=True)
        .distinct()
    )
