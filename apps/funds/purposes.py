"""Purposes a payout may be for, as data (`data/purposes.csv`: code, label, the regimes that allow it, and the
rule quoted when a regime refuses it). Circular 16/2018 forbids spending sponsorship on teachers' pay, direct
staff payments, staff rewards, security, cleaning, parking and management costs; Circular 55/2011 forbids the
Parents' Association the same and school equipment and construction; a study-promotion (association) fund may
still reward teachers."""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PURPOSES_CSV = Path(__file__).parent / "data" / "purposes.csv"
LEVY_CSV = Path(__file__).parent / "data" / "levy_words.csv"


@dataclass(frozen=True)
class Purpose:
    code: str
    label: str
    regimes: frozenset[str]
    rule: str

    def allowed_under(self, regime: str) -> bool:
        return regime in self.regimes


@cache
def purposes() -> dict[str, Purpose]:
    with PURPOSES_CSV.open(encoding="utf-8") as handle:
        return {
            row["code"]: Purpose(
                code=row["code"],
                label=row["label"],
                regimes=frozenset(r for r in row["regimes"].split(";") if r),
                rule=row["rule"],
            )
            for row in csv.DictReader(handle)
        }


def purpose(code: str) -> Purpose | None:
    return purposes().get(code)


def choices() -> list[tuple[str, str]]:
    return [(p.code, p.label) for p in purposes().values()]


def _loose(text: str) -> str:
    """Lower case without diacritics, spaces collapsed, punctuation kept ("/học sinh" stays a per-head mark)."""
    from apps.core.text import strip_marks

    return re.sub(r"\s*/\s*", "/", " ".join(strip_marks(text).lower().split()))


@cache
def levy_phrases() -> list[tuple[str, str]]:
    """(folded phrase, why) of the words that make a collection a levy (Circular 55/2011, Circular 16/2018: no
    average, minimum or per-head amount, nothing compulsory)."""
    with LEVY_CSV.open(encoding="utf-8") as handle:
        return [(_loose(row["phrase"]), row["why"]) for row in csv.DictReader(handle)]


def levy_in(*texts: str) -> str | None:
    """Why the texts describe a levy (the first phrase found), or None."""
    folded = " ".join(_loose(t or "") for t in texts)
    for phrase, why in levy_phrases():
        if phrase in folded:
            return why
    return None
