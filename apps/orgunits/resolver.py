"""Resolve an address as people write it ("xã Trà Nam, huyện Nam Trà My, tỉnh Quảng Nam") to today's unit.

The text is split into parts, most specific first; each part loses its prefix (written, abbreviated or
omitted) and is matched on the exact text first (NFC, case-insensitive), then on the folded form (no
diacritics, đ→d), so old spellings ("Bình Lăng"/"Bình Lãng", "Thuỷ"/"Thủy") still meet. The remaining parts
must name ancestors of the candidate (or of its successors, for an old commune written with its new province).
A pre-2025 unit is followed to its successor(s); a commune split between several successors is ambiguous
unless a hamlet written in the text exists in only one of them.
"""

import re
from dataclasses import dataclass, field

from apps.core.text import fold, nfc, strip_marks
from apps.orgunits.models import OrgUnit, OrgUnitSuccession
from apps.orgunits.names import (
    ALIASES,
    COUNTRY,
    Prefix,
    admin_exact,
    admin_key,
    by_qualifier,
    hamlet_key,
    is_hamlet,
    split_qualifier,
    split_written_prefix,
)

_SEPARATORS = re.compile(r"\s*[,;\n|]\s*")
_DASH = re.compile(r"\s+[-–]\s+")  # a separator, unless the official name has one ("Bà Rịa - Vũng Tàu")
# Where a part begins when the text has no separators ("xã Trà Nam huyện Nam Trà My tỉnh Quảng Nam").
_SPLIT_BEFORE = {
    ("thi", "tran"): "thị trấn",
    ("thi", "xa"): "thị xã",
    ("thanh", "pho"): "thành phố",
    ("dac", "khu"): "đặc khu",
    ("xa",): "xã",
    ("phuong",): "phường",
    ("huyen",): "huyện",
    ("quan",): "quận",
    ("tinh",): "tỉnh",
    ("tp",): "tp",
}
_PREFIX_WORDS = {words[-1] for words in _SPLIT_BEFORE}  # a word that ends a prefix: "huyện Tĩnh Gia" stays whole
_CODE = re.compile(r"^\d{2}$|^\d{5}$")
MAX_SKIPPED = 3  # leading parts that may name no unit: a house number, a street, a hamlet or a group
_STREET_WORDS = {"so", "duong", "pho", "ngo", "ngach", "hem", "kiet", "d", "lo", "can"}


@dataclass(frozen=True)
class Part:
    text: str  # as written, NFC
    key: str  # folded, prefix removed, common aliases applied
    raw_key: str  # folded, prefix kept: "quan son" typed without diacritics is Quan Sơn, not Quận Sơn
    exact: str  # NFC lower case, prefix removed (for the exact-first rule)
    prefix: Prefix | None  # the prefix written, if any
    hamlet_key: str  # the key of a hamlet, when the part reads as one
    qualifier: str  # folded text in brackets after a hamlet ("xa tra nam cu")


@dataclass
class Resolution:
    text: str
    units: list[OrgUnit] = field(default_factory=list)  # today's candidates
    matched: list[OrgUnit] = field(default_factory=list)  # the units the text named (may be pre-2025)
    hamlet: OrgUnit | None = None

    @property
    def status(self) -> str:
        return "unknown" if not self.units else ("ok" if len(self.units) == 1 else "ambiguous")

    @property
    def unit(self) -> OrgUnit | None:
        return self.units[0] if len(self.units) == 1 else None


def _split_on_prefixes(text: str) -> list[str]:
    """Cut a text without separators before each unit prefix. Text with diacritics is cut only on the
    prefixes as spelled ("quận", not the name "Quan Sơn"); text without them on the folded words, but never
    right after another prefix ("huyen Tinh Gia" stays whole)."""
    words = text.split()
    folded = [fold(w) for w in words]
    ascii_only = text == strip_marks(text)
    cuts = [0]
    inside = {  # the second word of "thị xã", "thành phố"…: never a cut ("Thị xã Điện Bàn" is one district)
        start + k
        for start in range(len(words))
        for prefix in _SPLIT_BEFORE
        if len(prefix) > 1 and tuple(folded[start : start + len(prefix)]) == prefix
        for k in range(1, len(prefix))
    }
    for i in range(1, len(words)):
        if i in inside:
            continue
        for prefix, spelled in _SPLIT_BEFORE.items():
            n = len(prefix)
            if (
                tuple(folded[i : i + n]) == prefix
                and i + n < len(words)
                and folded[i - 1] not in _PREFIX_WORDS
                and (ascii_only or " ".join(words[i : i + n]).lower().rstrip(".") == spelled)
            ):
                cuts.append(i)
                break
    return [" ".join(words[a:b]) for a, b in zip(cuts, cuts[1:] + [len(words)])]


def parse(text: str, *, split_dashes: bool = True) -> list[Part]:
    text = nfc(text)
    chunks = [c for c in _SEPARATORS.split(text) if c.strip()]
    if split_dashes:
        chunks = [d for c in chunks for d in _DASH.split(c) if d.strip()]
    parts = []
    for chunk in (piece for c in chunks for piece in _split_on_prefixes(c)):
        chunk, qualifier = split_qualifier(chunk)
        prefix, rest = split_written_prefix(chunk)
        key = fold(rest)
        if prefix is None or 1 in prefix.levels:  # "Sài Gòn" is the city; "phường Sài Gòn" is the ward
            key = ALIASES.get(key, key)
        if not key or fold(chunk) in COUNTRY:
            continue
        hamlet = hamlet_key(chunk) if is_hamlet(chunk) else ""
        parts.append(Part(chunk, key, fold(chunk), rest, prefix, hamlet, qualifier))
    return parts


def _fits(unit: OrgUnit, prefix: Prefix | None) -> bool:
    return unit.level <= OrgUnit.Level.COMMUNE and (prefix is None or unit.level in prefix.levels)


def _names(unit: OrgUnit, part: Part) -> bool:
    return unit.name_folded in (part.key, part.raw_key) and _fits(unit, part.prefix)


def _current_successors(units: list[OrgUnit]) -> dict[int, list[OrgUnit]]:
    """For each unit, today's units that took it over (itself when it is current)."""
    result = {u.pk: [u] for u in units if u.is_current}
    frontier = {u.pk: {u.pk} for u in units if not u.is_current}
    for _ in range(4):  # successions chain at most a step or two; bound it all the same
        if not frontier:
            break
        pending = {pk for pks in frontier.values() for pk in pks}
        links = {}
        for s in OrgUnitSuccession.objects.filter(predecessor_id__in=pending).select_related("successor"):
            links.setdefault(s.predecessor_id, []).append(s.successor)
        next_frontier = {}
        for origin, pks in frontier.items():
            for pk in pks:
                for succ in links.get(pk, []):
                    if succ.is_current:
                        result.setdefault(origin, [])
                        if succ not in result[origin]:
                            result[origin].append(succ)
                    else:
                        next_frontier.setdefault(origin, set()).add(succ.pk)
        frontier = next_frontier
    return result


def resolve(text: str, *, within: OrgUnit | None = None, hamlets=None) -> Resolution:
    """Today's unit(s) that the text names. `within` keeps only candidates in that unit's subtree; `hamlets`
    (a queryset, default all) limits the hamlets that may decide between the successors of a split commune,
    so that nobody learns of a hamlet they may not see."""
    res = Resolution(text=nfc(text))
    raw = res.text.strip()
    if _CODE.match(raw):
        level = OrgUnit.Level.PROVINCE if len(raw) == 2 else OrgUnit.Level.COMMUNE
        res.units = list(OrgUnit.objects.current().filter(level=level, code=raw))
        res.matched = list(res.units)
        return _keep_within(res, within)
    for split_dashes in (True, False):
        res = _resolve_parts(Resolution(text=res.text), parse(raw, split_dashes=split_dashes), within, hamlets)
        if res.units or not _DASH.search(raw):
            break
    return res


def _resolve_parts(res: Resolution, parts: list[Part], within, hamlets) -> Resolution:
    if not parts:
        return res
    pool = _units_named(parts)
    hamlet_part, candidates = None, []
    for skip in range(min(MAX_SKIPPED, len(parts) - 1) + 1):
        if skip and not _skippable(parts[skip - 1]):
            break
        candidates = _match(parts[skip:], pool)
        if candidates:
            hamlet_part = parts[skip - 1] if skip and parts[skip - 1].hamlet_key else None
            break
    res.matched = candidates
    successors = _current_successors(candidates)
    units = {}
    for cand in candidates:
        for unit in successors.get(cand.pk, []):
            units[unit.pk] = unit
    res.units = sorted(units.values(), key=lambda u: (u.level, u.code))
    res = _keep_within(res, within)
    if hamlet_part is not None and res.units:
        _decide_by_hamlet(res, hamlet_part, hamlets)
    return res


def _skippable(part: Part) -> bool:
    """A leading part that names no administrative unit: a hamlet or group, a house number, a street."""
    return part.prefix is None and bool(
        part.hamlet_key or any(ch.isdigit() for ch in part.text) or part.raw_key.split()[0] in _STREET_WORDS
    )


def _units_named(parts: list[Part]) -> dict[str, list[OrgUnit]]:
    keys = {p.key for p in parts} | {p.raw_key for p in parts}
    pool: dict[str, list[OrgUnit]] = {}
    for unit in OrgUnit.objects.filter(name_folded__in=keys, level__lte=OrgUnit.Level.COMMUNE):
        pool.setdefault(unit.name_folded, []).append(unit)
    return pool


def _match(parts: list[Part], pool: dict[str, list[OrgUnit]]) -> list[OrgUnit]:
    first, rest = parts[0], parts[1:]
    candidates = [u for u in pool.get(first.key, []) if _fits(u, first.prefix)]
    if not candidates and first.raw_key != first.key:  # "quan son": a name, not "quận Sơn"
        candidates = [u for u in pool.get(first.raw_key, []) if _fits(u, None)]
    if first.prefix is not None:  # "phường Hải Châu" is the ward, not Xã Hải Châu elsewhere
        candidates = [u for u in candidates if u.type in first.prefix.types] or candidates
    # Exact spelling first. A current unit spelled exactly as written wins ("Trà Linh" over "Trà Lĩnh");
    # among old units it decides only between units of one parent, because old spellings in the data differ
    # from how people write ("Bình Lăng" in the data, "Bình Lãng" in plans).
    exact = {u.pk for u in candidates if admin_exact(u.name) == first.exact}
    if any(u.is_current for u in candidates if u.pk in exact):
        candidates = [u for u in candidates if u.pk in exact]
    else:
        exact_parents = {u.parent_id for u in candidates if u.pk in exact}
        candidates = [u for u in candidates if u.pk in exact or u.parent_id not in exact_parents]
    own = {u.pk for u in candidates}
    if rest and candidates:
        candidates, own = _within_written_ancestors(candidates, rest)
    # A name that exists today, in the place written, means today's unit rather than an old namesake.
    if any(u.is_current and u.pk in own for u in candidates):
        candidates = [u for u in candidates if u.is_current and u.pk in own]
    if first.prefix is None and candidates:
        # No prefix written: a commune of that name is meant rather than the district or province.
        deepest = max(u.level for u in candidates)
        candidates = [u for u in candidates if u.level == deepest]
    return candidates


def _within_written_ancestors(candidates: list[OrgUnit], rest: list[Part]) -> tuple[list[OrgUnit], set[int]]:
    """The candidates whose ancestors include a unit named by each other part: their own ancestors, those of
    what succeeded them (an old commune written with its new province) or of what they were formed from (a new
    ward written with its old province). Also the ids of those that matched through their own ancestors."""
    successors = _current_successors([u for u in candidates if not u.is_current])
    predecessors: dict[int, list[OrgUnit]] = {}
    for link in OrgUnitSuccession.objects.filter(successor__in=[u for u in candidates if u.is_current]).select_related(
        "predecessor"
    ):
        predecessors.setdefault(link.successor_id, []).append(link.predecessor)
    lineages = {
        u.pk: [u.ancestor_ids()]
        + [s.ancestor_ids() for s in successors.get(u.pk, []) if s.pk != u.pk]
        + [p.ancestor_ids() + [p.pk] for p in predecessors.get(u.pk, [])]
        for u in candidates
    }
    ids = {pk for lines in lineages.values() for line in lines for pk in line}
    ancestors = OrgUnit.objects.in_bulk(ids)

    def fits(line):
        return all(any(a in ancestors and _names(ancestors[a], p) for a in line) for p in rest)

    kept = [u for u in candidates if any(fits(line) for line in lineages[u.pk])]
    return kept, {u.pk for u in kept if fits(lineages[u.pk][0])}


def _keep_within(res: Resolution, within: OrgUnit | None) -> Resolution:
    if within is not None:
        res.units = [u for u in res.units if u.path.startswith(within.path)]
    return res


def _decide_by_hamlet(res: Resolution, part: Part, hamlets=None) -> None:
    pool = (hamlets if hamlets is not None else OrgUnit.objects.all()).filter(
        type=OrgUnit.Type.HAMLET, valid_to__isnull=True, name_folded=part.hamlet_key, parent__in=res.units
    )
    found = list(pool)
    communes = {h.parent_id for h in found}
    if len(communes) != 1:
        return
    res.units = [u for u in res.units if u.pk in communes]
    if len(found) > 1 and part.qualifier:  # "Thôn 1 (xã Trà Nam cũ)"
        found = by_qualifier(found, part.qualifier)
    elif len(found) > 1 and not any(u.is_current for u in res.matched):
        # Namesakes inherited from merged communes, and the text was written with the former commune's name.
        written = {admin_key(u.name) for u in res.matched}
        found = [h for h in found if any(k and k in fold(h.qualifier) for k in written)] or found
    res.hamlet = found[0] if len(found) == 1 else None
