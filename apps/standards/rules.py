"""The rules of national standard schools as plain functions on plain data: which kind of set a school takes,
when a criterion is met at a level, and the level a school reaches under its set's rule."""

from apps.schools.models import Level

PRESCHOOL, PRIMARY, SECONDARY = "preschool", "primary", "secondary"
LEVELS = (1, 2, 3)
EXTRA_LEVEL = 4


def set_kind(levels: int) -> str | None:
    """The kind of set for a school teaching `levels` (a mask of `schools.Level`): preschool levels → Circular 19;
    any secondary level → 18 (a TH&THCS school takes 18); primary only → 17. None for a school none applies to
    (continuing education)."""
    if levels & (Level.CRECHE | Level.KINDERGARTEN):
        return PRESCHOOL
    if levels & (Level.LOWER_SECONDARY | Level.UPPER_SECONDARY):
        return SECONDARY
    if levels & Level.PRIMARY:
        return PRIMARY
    return None


def criterion_level(indicator_levels: list[tuple[int, bool]]) -> int:
    """The highest level 1–3 a criterion reaches from its indicators' (level, met) pairs: level L when it has
    indicators at levels up to L, every one of them met, and it reached L − 1. A criterion with no indicators is
    never met (0)."""
    reached = 0
    for level in LEVELS:
        upto = [met for at, met in indicator_levels if at <= level]
        if not upto or not all(upto):
            break
        if not any(at == level for at, _met in indicator_levels) and level == 1:
            break
        reached = level
    return reached


def school_level(criterion_levels: list[int], extras: list[bool]) -> int:
    """The school's assessment level (0–4): level L (1–3) when every criterion of the set reaches L; level 4 when
    it reaches 3 and every one of level 4's extra requirements (at least one) is met. A set with no criteria gives
    0."""
    if not criterion_levels:
        return 0
    level = min(criterion_levels)
    if level == 3 and extras and all(extras):
        return EXTRA_LEVEL
    return level


def national_level(assessment_level: int, national_levels: dict) -> int:
    """The national standard level (0, 1, 2) an assessment level gives under a set's rule ({"1": 2, "2": 3}: level
    1 needs assessment level 2, level 2 needs 3)."""
    reached = 0
    for national, needed in sorted(national_levels.items(), key=lambda kv: int(kv[0])):
        if assessment_level >= int(needed):
            reached = max(reached, int(national))
    return reached


def evidence_code(box: int, standard: int, criterion: int, number: int) -> str:
    """`[H1-1.10-01]`: box 1, criterion 10 of standard 1, item 01."""
    return f"[H{box}-{standard}.{criterion}-{number:02d}]"
