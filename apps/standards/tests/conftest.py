"""Fixtures of the standards' tests: a test-only verified set for primary schools (two standards, three criteria,
indicators at levels 1–3 and one level 4 requirement — texts of our own, never a circular's), and helpers."""

import datetime

import pytest

from apps.standards.models import CriteriaSet, Criterion, Indicator, Standard

# standard → criterion → level → labels
SHAPE = {1: {1: {1: "ab", 2: "a", 3: "a"}, 2: {1: "a", 2: "a", 3: "a"}}, 2: {1: {1: "ab", 2: "a", 3: "a"}}}


def build_set(code: str, kind: str = "primary", verified: bool = True) -> CriteriaSet:
    criteria_set = CriteriaSet.objects.create(
        code=code,
        name=f"Bộ thử {code}",
        circular="(bộ dùng cho kiểm thử)",
        kind=kind,
        effective_from=datetime.date(2030, 1, 1),
        verified=verified,
        national_levels={"1": 2, "2": 3},
    )
    for s, criteria in SHAPE.items():
        standard = Standard.objects.create(criteria_set=criteria_set, number=s, title=f"Tiêu chuẩn thử {s}")
        for c, levels in criteria.items():
            criterion = Criterion.objects.create(standard=standard, number=c, text=f"Tiêu chí thử {s}.{c}")
            for level, labels in levels.items():
                for label in labels:
                    Indicator.objects.create(
                        criteria_set=criteria_set,
                        criterion=criterion,
                        level=level,
                        label=label,
                        text=f"Chỉ báo thử {s}.{c} mức {level} {label}",
                    )
    Indicator.objects.create(criteria_set=criteria_set, level=4, label="1", text="Yêu cầu thử của mức 4")
    return criteria_set


@pytest.fixture
def test_set(db):
    return build_set("test-primary")


@pytest.fixture
def cycle(cast, test_set):
    from apps.standards import services

    return services.cycle_start(actor=cast.principal_a, school=cast.school_a, year=2031, criteria_set=test_set)


def indicators(criteria_set, *, upto: int = 3):
    return list(Indicator.objects.filter(criteria_set=criteria_set, criterion__isnull=False, level__lte=upto))


def rate_all(actor, cycle, items, met=True):
    from apps.standards import services

    for indicator in items:
        services.indicator_rate(actor=actor, cycle=cycle, indicator=indicator, met=met)
