"""Resolve an address as people write it ("xã Trà Nam, huyện Nam Trà My, tỉnh Quảng Nam") to today's unit.

The text is split into parts, most specific first; each part loses its prefix (written, abbreviated or
omitted) and is matched on the exact text first (NFC, case-insensitive), then on the folded form (no
diacritics, đ→d), so old spellings ("Bình Lăng"/"Bình Lãng", "Thuỷ"/"Thủy") still meet. The remaining parts
must name ancestors of the candidate (or of its successors, for an old commune written with its new province).
A pre-2025 unit is followed to its successor(s); a commune split between several successors is ambiguous
unless a hamlet written in the text exists in only one of them.

A part that names nothing as written is read in the other ways of `names.name_readings` ("Phường Phường 3" as
"Phường 3", "Nông trường" as "NT"). Two parts with the same name ("Thành phố Thái Nguyên, Tỉnh Thái Nguyên") are
read as two levels where some candidate allows it. A province written after the last unit without a separator
or prefix ("quận Ba Đình hà nội") is cut off when the part names nothing whole. A former commune ("xã Trà Nam
cũ") written before today's is a note, not an ancestor: after a hamlet it tells namesake hamlets apart.
"""

import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

from apps.core.text import fold, nfc, strip_marks
from apps.orgunits.models import OrgUnit, OrgUnitSuccession
from apps.orgunits.names import (
    ABBREVIATIONS,
    ALIASES,
    COUNTRY,
    Prefix,
    admin_exact,
    admin_key,
    by_qualifier,
    hamlet_key,
    is_former,
    is_hamlet,
    name_readings,
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
_CODE = re.compile(r"^\d{2}$|^\d{5}$")

MAX_SKIPPED = 3  # leading parts that may name no unit: a house number, a street, a hamlet or a group
_STREET_WORDS = {"so", "duong", "pho", "ngo", "ngach", "hem", "kiet", "d", "lo", "can"}


@dataclass
class Memo:
    """What the resolutions of one batch read from the database, each row once: units by folded name and by id,
    successions by either end. Units do not change while a file is checked. After `EAGER_AFTER` reads it reads
    every unit down to communes and every succession at once (a province's file names hundreds of communes; a
    country holds some 14,000 units), and from then on asks the database nothing."""

    named: dict[str, list[OrgUnit]] = field(default_factory=dict)
    by_id: dict[int, OrgUnit] = field(default_factory=dict)
    successors: dict[int, list[OrgUnit]] = field(default_factory=dict)
    predecessors: dict[int, list[OrgUnit]] = field(default_factory=dict)
    reads: int = 0
    complete: bool = False

    EAGER_AFTER = 40

    def read(self) -> None:
        """Count a read; past `EAGER_AFTER`, load everything."""
        self.reads += 1
        if self.reads > self.EAGER_AFTER and not self.complete:
            self.named.clear()
            for unit in OrgUnit.objects.filter(level__lte=OrgUnit.Level.COMMUNE):
                self.named.setdefault(unit.name_folded, []).append(unit)
                self.by_id[unit.pk] = unit
            self.successors.clear()
            self.predecessors.clear()
            for link in OrgUnitSuccession.objects.select_related("predecessor", "successor"):
                self.successors.setdefault(link.predecessor_id, []).append(link.successor)
                self.predecessors.setdefault(link.successor_id, []).append(link.predecessor)
            self.complete = True


_memo: ContextVar[Memo | None] = ContextVar("resolver_memo", default=None)


@contextmanager
def batch(memo: Memo | None = None):
    """Resolve many addresses reading each unit and succession once (an import's check resolves a few hundred
    distinct addresses that share their communes, districts and province):

        with resolver.batch():
            for text in texts: resolve(text)

    A `memo` kept by the caller carries what was read from one batch to the next."""
    token = _memo.set(memo or _memo.get() or Memo())
    try:
        yield
    finally:
        _memo.reset(token)


def _links(pks: set[int], *, forward: bool) -> dict[int, list[OrgUnit]]:
    """Successors (`forward`) or predecessors of the units `pks`, each unit's list read once per batch."""
    memo = _memo.get()
    if memo is not None and not memo.complete and pks - (memo.successors if forward else memo.predecessors).keys():
        memo.read()
    known = (memo.successors if forward else memo.predecessors) if memo else {}
    missing = set() if memo is not None and memo.complete else pks - known.keys()
    if missing:
        found: dict[int, list[OrgUnit]] = {pk: [] for pk in missing}
        if forward:
            for s in OrgUnitSuccession.objects.filter(predecessor_id__in=missing).select_related("successor"):
                found[s.predecessor_id].append(s.successor)
        else:
            for s in OrgUnitSuccession.objects.filter(successor_id__in=missing).select_related("predecessor"):
                found[s.successor_id].append(s.predecessor)
        if memo is None:
            return found
        known.update(found)
    return {pk: known.get(pk, []) for pk in pks}


def _units(ids: set[int]) -> dict[int, OrgUnit]:
    memo = _memo.get()
    if memo is None:
        return OrgUnit.objects.in_bulk(ids)
    missing = ids - memo.by_id.keys()
    if missing:  # ancestors are provinces and districts: loaded with everything once the memo is complete
        memo.by_id.update(OrgUnit.objects.in_bulk(missing))
    return {pk: memo.by_id[pk] for pk in ids if pk in memo.by_id}


@dataclass(frozen=True)
class Part:
    text: str  # as written, NFC
    key: str  # folded, prefix removed, common aliases applied
    raw_key: str  # folded, prefix kept: "quan son" typed without diacritics is Quan Sơn, not Quận Sơn
    exact: str  # NFC lower case, prefix removed (for the exact-first rule)
    prefix: Prefix | None  # the prefix written, if any
    hamlet_key: str  # the key of a hamlet, when the part reads as one
    qualifier: str  # folded text in brackets after a hamlet ("xa tra nam cu")
    others: tuple[tuple[str, str], ...] = ()  # other readings (exact, key), for when the part names nothing as written
    former: bool = False  # written as the former unit: "xã Trà Nam cũ"

    @property
    def readings(self) -> tuple[tuple[str, str], ...]:
        return ((self.exact, self.key), *self.others)

    @property
    def keys(self) -> set[str]:
        return {key for _, key in self.readings}


@dataclass
class Resolution:
    text: str
    units: list[OrgUnit] = field(default_factory=list)  # today's candidates
    matched: list[OrgUnit] = field(default_factory=list)  # the units the text named (may be pre-2025)
    hamlet: OrgUnit | None = None
    # The hamlets the written hamlet may be when several fit and none was chosen (namesakes of a merged commune
    # and no qualifier), among the `hamlets` the caller may see: for the caller to ask which.
    hamlet_candidates: list[OrgUnit] = field(default_factory=list)

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

    def spells(start: int, prefix: tuple[str, ...], spelled: str) -> bool:
        n = len(prefix)
        return (
            start >= 0
            and tuple(folded[start : start + n]) == prefix
            and (ascii_only or " ".join(words[start : start + n]).lower().rstrip(".") == spelled)
        )

    def after_prefix(i: int) -> bool:
        # A whole prefix, as spelled: a name word that folds like one ("Phúc Xá", "Nho Quan", "Giàng Phố") is no
        # prefix, so "Phường Phúc Xá Quận Ba Đình" is still cut before "Quận". Nor right after an abbreviation:
        # "P. Phường 3", "Q. Quận 6" (a doubled prefix) are one part each.
        return words[i - 1].lower() in ABBREVIATIONS or any(
            spells(i - len(prefix), prefix, spelled) for prefix, spelled in _SPLIT_BEFORE.items()
        )

    cuts = [0]
    inside = {  # the second word of "thị xã", "thành phố"…: never a cut ("Thị xã Điện Bàn" is one district)
        start + k
        for start in range(len(words))
        for prefix in _SPLIT_BEFORE
        if len(prefix) > 1 and tuple(folded[start : start + len(prefix)]) == prefix
        for k in range(1, len(prefix))
    }
    for i in range(1, len(words)):
        if i in inside or after_prefix(i):
            continue
        if _abbreviation_starts(words[i], i + 1 < len(words)):
            cuts.append(i)  # "X. Vĩnh Bình Bắc H. Vĩnh Thuận": an abbreviation begins a part as a prefix does
        elif any(
            spells(i, prefix, spelled) and i + len(prefix) < len(words) for prefix, spelled in _SPLIT_BEFORE.items()
        ):
            cuts.append(i)
    return [" ".join(words[a:b]) for a, b in zip(cuts, cuts[1:] + [len(words)])]


def _abbreviation_starts(word: str, followed: bool) -> bool:
    """Whether a word is a dotted abbreviation of a prefix: "H." before a name, or glued to it ("H.Vĩnh",
    "TP.HCM"). Without its dot a lone letter may begin a name ("H Bông")."""
    lowered = word.lower()
    if lowered.endswith(".") and lowered in ABBREVIATIONS:
        return followed
    head, dot, tail = lowered.partition(".")
    return bool(dot and tail) and head + "." in ABBREVIATIONS


def parse(text: str, *, split_dashes: bool = True) -> list[Part]:
    text = nfc(text)
    chunks = [c for c in _SEPARATORS.split(text) if c.strip()]
    if split_dashes:
        chunks = [d for c in chunks for d in _DASH.split(c) if d.strip()]
    return [p for p in (_part(piece) for c in chunks for piece in _split_on_prefixes(c)) if p is not None]


def _part(chunk: str) -> Part | None:
    chunk, qualifier = split_qualifier(chunk)
    prefix, rest = split_written_prefix(chunk)
    readings = [(exact, _key(exact, prefix)) for exact in name_readings(prefix, rest)]
    if not readings[0][1] or fold(chunk) in COUNTRY:
        return None
    hamlet = hamlet_key(chunk) if is_hamlet(chunk) else ""
    others = tuple(r for r in readings[1:] if r[1])
    former = qualifier == "cu" or is_former(rest)  # "xã Trà Nam (cũ)" or "xã Trà Nam cũ"
    return Part(chunk, readings[0][1], fold(chunk), rest, prefix, hamlet, qualifier, others, former)


def _key(exact: str, prefix: Prefix | None) -> str:
    key = fold(exact)
    if prefix is None or 1 in prefix.levels:  # "Sài Gòn" is the city; "phường Sài Gòn" is the ward
        key = ALIASES.get(key, key)
    return key


def _fits(unit: OrgUnit, prefix: Prefix | None) -> bool:
    return unit.level <= OrgUnit.Level.COMMUNE and (prefix is None or unit.level in prefix.levels)


def _names(unit: OrgUnit, part: Part) -> bool:
    return (unit.name_folded in part.keys or unit.name_folded == part.raw_key) and _fits(unit, part.prefix)


def _names_any(part: Part, pool: dict[str, list[OrgUnit]]) -> bool:
    return any(_fits(u, part.prefix) for key in part.keys for u in pool.get(key, [])) or any(
        _fits(u, None) for u in pool.get(part.raw_key, [])
    )


def _current_successors(units: list[OrgUnit]) -> dict[int, list[OrgUnit]]:
    """For each unit, today's units that took it over (itself when it is current)."""
    result = {u.pk: [u] for u in units if u.is_current}
    frontier = {u.pk: {u.pk} for u in units if not u.is_current}
    for _ in range(4):  # successions chain at most a step or two; bound it all the same
        if not frontier:
            break
        pending = {pk for pks in frontier.values() for pk in pks}
        links = _links(pending, forward=True)
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
    parts = _cut_province(parts, pool)
    hamlet_part, candidates = None, []
    for skip in range(min(MAX_SKIPPED, len(parts) - 1) + 1):
        if skip and not _skippable(parts[skip - 1]):
            break
        candidates = _match(parts[skip:], pool)
        if candidates:
            hamlet_part = _hamlet_written(parts[:skip])
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
    """A leading part that names no administrative unit: a hamlet or group, a house number, a street; or a former
    commune written before today's ("xã Trà Nam cũ, xã Trà Linh"), which is a note on the place, not its parent."""
    return part.former or (
        part.prefix is None
        and bool(part.hamlet_key or any(ch.isdigit() for ch in part.text) or part.raw_key.split()[0] in _STREET_WORDS)
    )


def _hamlet_written(skipped: list[Part]) -> Part | None:
    """The hamlet written right before the unit, or before the former commune that qualifies it: "Thôn 3, xã Trà
    Nam cũ, xã Trà Linh" is written the way the app keeps it, "Thôn 3 (xã Trà Nam cũ)"."""
    if len(skipped) > 1 and skipped[-1].former and skipped[-2].hamlet_key:
        hamlet = skipped[-2]
        return replace(hamlet, qualifier=hamlet.qualifier or fold(skipped[-1].text))
    return skipped[-1] if skipped and skipped[-1].hamlet_key else None


def _cut_province(parts: list[Part], pool: dict[str, list[OrgUnit]]) -> list[Part]:
    """The parts with a province written after the last unit without a separator or its prefix ("quận Ba Đình hà
    nội", "H. Vĩnh Thuận Kiên Giang") cut off as a part of its own. Only when the last part names nothing whole,
    since names may end with a province's ("Phường Nguyễn Thái Bình", "Xã Hòa Quang Nam"); one more query then."""
    last = parts[-1]
    if last.prefix is None or last.prefix.levels == {1} or last.qualifier or last.hamlet_key or _names_any(last, pool):
        return parts
    words, length = last.text.split(), len(last.exact.split())
    cuts = [
        (head, tail)
        for k in range(min(4, length - 1), 0, -1)  # the longest province name first ("Bà Rịa - Vũng Tàu")
        if (head := _part(" ".join(words[:-k]))) and (tail := _part(" ".join(words[-k:]))) and tail.prefix is None
    ]
    if not cuts:
        return parts
    more = _units_named([p for cut in cuts for p in cut])
    for head, tail in cuts:
        province = any(u.level == OrgUnit.Level.PROVINCE for key in tail.keys for u in more.get(key, []))
        if province and _names_any(head, more):
            for key, units in more.items():
                pool.setdefault(key, units)
            return parts[:-1] + [head, tail]
    return parts


def _units_named(parts: list[Part]) -> dict[str, list[OrgUnit]]:
    keys = {k for p in parts for k in p.keys} | {p.raw_key for p in parts}
    memo = _memo.get()
    if memo is not None and not memo.complete and keys - memo.named.keys():
        memo.read()
    known = memo.named if memo else {}
    missing = set() if memo is not None and memo.complete else keys - known.keys()
    if missing:
        found: dict[str, list[OrgUnit]] = {key: [] for key in missing}
        for unit in OrgUnit.objects.filter(name_folded__in=missing, level__lte=OrgUnit.Level.COMMUNE):
            found[unit.name_folded].append(unit)
        if memo is None:
            return {key: units for key, units in found.items() if units}
        known.update(found)
        memo.by_id.update((u.pk, u) for units in found.values() for u in units)
    return {key: known[key] for key in keys if known.get(key)}


def _match(parts: list[Part], pool: dict[str, list[OrgUnit]]) -> list[OrgUnit]:
    first, rest = parts[0], parts[1:]
    candidates = []
    for written, key in first.readings:  # as written first, then "Phường Phường 3" as "Phường 3"…
        if candidates := [u for u in pool.get(key, []) if _fits(u, first.prefix)]:
            break
    if not candidates and first.raw_key != first.key:  # "quan son": a name, not "quận Sơn"
        written, candidates = first.exact, [u for u in pool.get(first.raw_key, []) if _fits(u, None)]
    if first.prefix is not None:  # "phường Hải Châu" is the ward, not Xã Hải Châu elsewhere
        candidates = [u for u in candidates if u.type in first.prefix.types] or candidates
    # Exact spelling first. A current unit spelled exactly as written wins ("Trà Linh" over "Trà Lĩnh");
    # among old units it decides only between units of one parent, because old spellings in the data differ
    # from how people write ("Bình Lăng" in the data, "Bình Lãng" in plans).
    exact = {u.pk for u in candidates if admin_exact(u.name) == written}
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
    ward written with its old province). Also the ids of those that matched through their own ancestors.

    An address names each level once, so two parts with one name ("Thành phố Thái Nguyên, Tỉnh Thái Nguyên") are
    the district and its province: candidates where every part names a level of its own win over those where
    two parts must name one unit (a ward of the same name elsewhere in the province, or the province itself)."""
    successors = _current_successors([u for u in candidates if not u.is_current])
    predecessors = _links({u.pk for u in candidates if u.is_current}, forward=False)
    lineages = {
        u.pk: [u.ancestor_ids()]
        + [s.ancestor_ids() for s in successors.get(u.pk, []) if s.pk != u.pk]
        + [p.ancestor_ids() + [p.pk] for p in predecessors.get(u.pk, [])]
        for u in candidates
    }
    ids = {pk for lines in lineages.values() for line in lines for pk in line}
    ancestors = _units(ids)

    def fit(unit: OrgUnit, line: list[int]) -> int:
        """0: a part names no unit of the line; 1: each names one; 2: each names a level of its own."""
        levels = [{ancestors[a].level for a in line if a in ancestors and _names(ancestors[a], p)} for p in rest]
        if not all(levels):
            return 0
        return 2 if _one_level_each(levels, {unit.level}) else 1

    scores = {u.pk: max(fit(u, line) for line in lineages[u.pk]) for u in candidates}
    best = max(scores.values(), default=0)
    kept = [u for u in candidates if best and scores[u.pk] == best]
    return kept, {u.pk for u in kept if fit(u, lineages[u.pk][0])}


def _one_level_each(levels: list[set[int]], taken: set[int]) -> bool:
    """Whether each part can name a different level (an address has two or three parts: a short search)."""
    return not levels or any(_one_level_each(levels[1:], taken | {level}) for level in levels[0] - taken)


def _keep_within(res: Resolution, within: OrgUnit | None) -> Resolution:
    if within is not None:
        res.units = [u for u in res.units if u.path.startswith(within.path)]
    return res


def _decide_by_hamlet(res: Resolution, part: Part, hamlets=None) -> None:
    pool = (hamlets if hamlets is not None else OrgUnit.objects.all()).filter(
        type=OrgUnit.Type.HAMLET, valid_to__isnull=True, name_folded=part.hamlet_key, parent__in=res.units
    )
    found = sorted(pool, key=lambda h: (h.parent_id, h.qualifier, h.pk))
    communes = {h.parent_id for h in found}
    if len(communes) == 1:
        res.units = [u for u in res.units if u.pk in communes]
        if len(found) > 1 and part.qualifier:  # "Thôn 1 (xã Trà Nam cũ)"
            found = by_qualifier(found, part.qualifier)
        elif len(found) > 1 and not any(u.is_current for u in res.matched):
            # Namesakes inherited from merged communes, and the text was written with the former commune's name.
            written = {admin_key(u.name) for u in res.matched}
            found = [h for h in found if any(k and k in fold(h.qualifier) for k in written)] or found
    res.hamlet = found[0] if len(found) == 1 else None
    res.hamlet_candidates = found if len(found) > 1 else []
