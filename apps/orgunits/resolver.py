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

from apps.core.text import exact_key, fold, nfc, strip_marks
from apps.orgunits.models import OrgUnit, OrgUnitSuccession
from apps.orgunits.names import admin_key, hamlet_key, has_hamlet_prefix, split_admin_prefix

_SEPARATORS = re.compile(r"\s*[,;\n|]\s*|\s+-\s+")
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
}
_PREFIX_WORDS = {w for words in _SPLIT_BEFORE for w in words}
_CODE = re.compile(r"^\d{2}$|^\d{5}$")


@dataclass(frozen=True)
class Part:
    text: str  # as written, NFC
    key: str  # folded, prefix removed
    exact: str  # NFC case-insensitive, prefix removed (for the exact-first rule)
    levels: frozenset[int] | None  # levels the written prefix allows; None when no prefix
    hamlet_key: str  # folded with its prefix, if it reads as a hamlet


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


def _strip_exact(text: str) -> str:
    """The NFC case-folded text with the same prefix removed as the folded key."""
    words = exact_key(text).replace(".", ". ").split()
    levels, rest = split_admin_prefix(fold(text))
    if levels is None:
        return " ".join(words)
    keep = len(rest.split())
    return " ".join(words[len(words) - keep :]) if keep else ""


def _split_on_prefixes(text: str) -> list[str]:
    """Cut a text without separators before each unit prefix. Text with diacritics is cut only on the
    prefixes as spelled ("quận", not the name "Quan Sơn"); text without them on the folded words, but never
    right after another prefix ("huyen Tinh Gia" stays whole)."""
    words = text.split()
    folded = [fold(w) for w in words]
    ascii_only = text == strip_marks(text)
    cuts = [0]
    for i in range(1, len(words)):
        for prefix, spelled in _SPLIT_BEFORE.items():
            n = len(prefix)
            if (
                tuple(folded[i : i + n]) == prefix
                and i + n < len(words)
                and folded[i - 1] not in _PREFIX_WORDS
                and (ascii_only or " ".join(words[i : i + n]).lower() == spelled)
            ):
                cuts.append(i)
                break
    return [" ".join(words[a:b]) for a, b in zip(cuts, cuts[1:] + [len(words)])]


def parse(text: str) -> list[Part]:
    text = nfc(text)
    chunks = [piece for c in _SEPARATORS.split(text) if c.strip() for piece in _split_on_prefixes(c)]
    parts = []
    for chunk in chunks:
        folded = fold(chunk)
        levels, key = split_admin_prefix(folded)
        if not key:
            continue
        parts.append(
            Part(nfc(chunk), key, _strip_exact(chunk), levels, hamlet_key(chunk) if has_hamlet_prefix(folded) else "")
        )
    return parts


def _fits(unit: OrgUnit, part: Part) -> bool:
    return unit.level <= OrgUnit.Level.COMMUNE and (part.levels is None or unit.level in part.levels)


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


def resolve(text: str, *, within: OrgUnit | None = None) -> Resolution:
    """Today's unit(s) that the text names. `within` keeps only candidates in that unit's subtree."""
    res = Resolution(text=nfc(text))
    raw = res.text.strip()
    if _CODE.match(raw):
        level = OrgUnit.Level.PROVINCE if len(raw) == 2 else OrgUnit.Level.COMMUNE
        res.units = list(OrgUnit.objects.current().filter(level=level, code=raw))
        res.matched = list(res.units)
        return _keep_within(res, within)
    parts = parse(text)
    if not parts:
        return res
    hamlet_part = None
    pool = _units_named(parts)
    candidates = _match(parts, pool)
    if not candidates and len(parts) > 1 and parts[0].hamlet_key:
        hamlet_part, parts = parts[0], parts[1:]
        candidates = _match(parts, pool)
    res.matched = candidates
    successors = _current_successors(candidates)
    units = {}
    for cand in candidates:
        for unit in successors.get(cand.pk, []):
            units[unit.pk] = unit
    res.units = sorted(units.values(), key=lambda u: (u.level, u.code))
    res = _keep_within(res, within)
    if hamlet_part is not None and res.units:
        _decide_by_hamlet(res, hamlet_part)
    return res


def _units_named(parts: list[Part]) -> dict[str, list[OrgUnit]]:
    pool: dict[str, list[OrgUnit]] = {}
    for unit in OrgUnit.objects.filter(name_folded__in={p.key for p in parts}, level__lte=OrgUnit.Level.COMMUNE):
        pool.setdefault(unit.name_folded, []).append(unit)
    return pool


def _match(parts: list[Part], pool: dict[str, list[OrgUnit]]) -> list[OrgUnit]:
    first, rest = parts[0], parts[1:]
    candidates = [u for u in pool.get(first.key, []) if _fits(u, first)]
    # Exact spelling first: among units of one parent that differ only in diacritics it decides; across
    # places it only orders, because old spellings differ ("Bình Lăng" in the data, "Bình Lãng" in plans).
    exact = {u.pk for u in candidates if exact_key(u.name).endswith(first.exact)}
    exact_parents = {u.parent_id for u in candidates if u.pk in exact}
    candidates = sorted(
        (u for u in candidates if u.pk in exact or u.parent_id not in exact_parents), key=lambda u: u.pk not in exact
    )
    if first.levels is None and candidates:
        # No prefix written: a commune of that name is meant rather than the district or province.
        deepest = max(u.level for u in candidates)
        candidates = [u for u in candidates if u.level == deepest]
    if not rest or not candidates:
        return candidates
    # The other parts must each name an ancestor: of the candidate, or of what succeeded it.
    successors = _current_successors([u for u in candidates if not u.is_current])
    lineage_ids = set()
    for u in candidates:
        lineage_ids.update(u.ancestor_ids())
        for s in successors.get(u.pk, []):
            lineage_ids.update(s.ancestor_ids())
    names = dict(OrgUnit.objects.filter(pk__in=lineage_ids).values_list("pk", "name_folded"))
    levels = dict(OrgUnit.objects.filter(pk__in=lineage_ids).values_list("pk", "level"))
    kept = []
    for u in candidates:
        lineages = [u.ancestor_ids()] + [s.ancestor_ids() for s in successors.get(u.pk, [])]
        if any(
            all(
                any(names.get(a) == p.key and (p.levels is None or levels.get(a) in p.levels) for a in lineage)
                for p in rest
            )
            for lineage in lineages
        ):
            kept.append(u)
    return kept


def _keep_within(res: Resolution, within: OrgUnit | None) -> Resolution:
    if within is not None:
        res.units = [u for u in res.units if u.path.startswith(within.path)]
    return res


def _decide_by_hamlet(res: Resolution, part: Part) -> None:
    hamlets = list(
        OrgUnit.objects.current().filter(type=OrgUnit.Type.HAMLET, name_folded=part.hamlet_key, parent__in=res.units)
    )
    communes = {h.parent_id for h in hamlets}
    if len(communes) == 1:
        res.units = [u for u in res.units if u.pk in communes]
        if len(hamlets) > 1:
            # Namesakes inherited from merged communes: the qualifier names the former commune the text wrote.
            written = {admin_key(u.name) for u in res.matched if not u.is_current}
            hamlets = [h for h in hamlets if any(k and k in fold(h.qualifier) for k in written)] or hamlets
        res.hamlet = hamlets[0] if len(hamlets) == 1 else None
