"""Load today's and the pre-2025 provinces, districts and communes from the `vietnam-provinces` package.

The supplement (data/successors_supplement.csv) adds the successor links the package lacks, and the pre-2025
communes it lacks altogether: those its 2025 conversion table names but its list of old units does not, and
those whose GSO code the package gives to another unit. These last are stored without a code (see `_uncoded`).

Idempotent: rows are keyed by (level, code, current or not), a commune without a code by its district and
name; a second run finds nothing to change and writes nothing. One audit event summarises a run that changed
anything.
"""

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.text import nfc
from apps.orgunits.models import LAST_DAY_BEFORE_REFORM, REFORM_DATE, OrgUnit, OrgUnitSuccession
from apps.orgunits.names import admin_key

SUPPLEMENT = Path(__file__).parent / "data" / "successors_supplement.csv"
PACKAGE_SOURCE = "vietnam-provinces"

T = OrgUnit.Type
L = OrgUnit.Level
# A key names a unit across runs: (level, code, current?). A pre-2025 commune without a code has
# (COMMUNE, "<district code>:<folded name>", False) instead (see `_uncoded`).
Key = tuple[int, str, bool]


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    successions_created: int = 0
    successions_updated: int = 0
    counts: dict = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any((self.created, self.updated, self.successions_created, self.successions_updated))


def _new_type(division_type) -> str:
    value = str(division_type.value if hasattr(division_type, "value") else division_type)
    return {"phường": T.WARD, "đặc khu": T.SPECIAL_ZONE}.get(value, T.COMMUNE)


def _legacy_type(division_type) -> str:
    value = str(division_type.value if hasattr(division_type, "value") else division_type)
    return T.WARD if value == "phường" else T.COMMUNE


def _uncoded(district_code: str, name: str) -> Key:
    """The key of a pre-2025 commune stored without a code: one whose GSO code the package (or its conversion
    table) gives to another unit, so that no code of ours can collide with it. An empty code is outside the
    model's uniqueness constraints; the district and the folded name tell such communes apart."""
    return (L.COMMUNE, f"{district_code}:{admin_key(name)}", False)


def _desired(province_code: str | None):
    """Rows and successions wanted, as plain dicts keyed by Key."""
    from vietnam_provinces import Province, Ward, legacy
    from vietnam_provinces._province_conversion_2025 import OLD_TO_NEW as PROVINCE_O2N
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARD_O2N

    rows: dict[Key, dict] = {}
    successions: dict[tuple[Key, Key], dict] = {}

    def add(level, code, current, type_, name, parent, key=None):
        rows[key or (level, code, current)] = {
            "code": code,
            "type": type_,
            "name": nfc(name),
            "parent": parent,
            "valid_from": REFORM_DATE if current else None,
            "valid_to": None if current else LAST_DAY_BEFORE_REFORM,
        }

    provinces = [p for p in Province.iter_all() if province_code is None or f"{int(p.code):02d}" == province_code]
    if province_code is not None and not provinces:
        raise ValueError(f"Không có tỉnh/thành phố nào mang mã {province_code}.")
    wanted = {int(p.code) for p in provinces}
    for p in provinces:
        add(L.PROVINCE, f"{int(p.code):02d}", True, T.PROVINCE, p.name, None)
    for w in Ward.iter_all():
        if int(w.province_code) in wanted:
            add(
                L.COMMUNE,
                f"{int(w.code):05d}",
                True,
                _new_type(w.division_type),
                w.name,
                (L.PROVINCE, f"{int(w.province_code):02d}", True),
            )

    legacy_provinces = {
        code: entry for code, entry in PROVINCE_O2N.items() if any(n.code in wanted for n in entry.new_provinces)
    }
    for lp in legacy.Province.iter_all():
        if int(lp.code) in legacy_provinces:
            add(L.PROVINCE, f"{int(lp.code):02d}", False, T.PROVINCE, lp.name, None)
            for n in legacy_provinces[int(lp.code)].new_provinces:
                successions[((L.PROVINCE, f"{int(lp.code):02d}", False), (L.PROVINCE, f"{n.code:02d}", True))] = {
                    "partial": False,
                    "source": PACKAGE_SOURCE,
                }
    district_province = {}
    districts_of = defaultdict(list)  # pre-2025 province code -> [(name, district code)], for the supplement
    for d in legacy.District.iter_all():
        if int(d.province_code) in legacy_provinces:
            district_province[int(d.code)] = int(d.province_code)
            districts_of[int(d.province_code)].append((nfc(d.name), int(d.code)))
            add(
                L.DISTRICT,
                f"{int(d.code):03d}",
                False,
                T.DISTRICT,
                d.name,
                (L.PROVINCE, f"{int(d.province_code):02d}", False),
            )
    district_successors = defaultdict(set)
    for w in legacy.Ward.iter_all():
        if int(w.district_code) not in district_province:
            continue
        key = (L.COMMUNE, f"{int(w.code):05d}", False)
        add(*key, _legacy_type(w.division_type), w.name, (L.DISTRICT, f"{int(w.district_code):03d}", False))
        entry = WARD_O2N.get(int(w.code))
        for n in entry.new_wards if entry else ():
            successions[(key, (L.COMMUNE, f"{n.code:05d}", True))] = {
                "partial": entry.old_ward.is_partly_merged,
                "source": PACKAGE_SOURCE,
            }
            district_successors[int(w.district_code)].add(n.code)
    for district_code, new_codes in district_successors.items():
        for code in new_codes:
            successions[((L.DISTRICT, f"{district_code:03d}", False), (L.COMMUNE, f"{code:05d}", True))] = {
                "partial": len(new_codes) > 1,
                "source": PACKAGE_SOURCE,
            }
    # Links and units the package lacks, checked by hand (see the file's `source` column).
    with SUPPLEMENT.open(encoding="utf-8", newline="") as fh:
        supplement = list(csv.DictReader(fh))
    province_by_name = {admin_key(lp.name): int(lp.code) for lp in legacy.Province.iter_all()}
    links = []
    for row in supplement:
        level = L.DISTRICT if row["old_level"] == "district" else L.COMMUNE
        old = (level, row["old_code"], False)
        if level == L.COMMUNE and old not in rows:
            old = _add_missing_commune(row, add, WARD_O2N, province_by_name, districts_of)
        if old in rows:
            links.append((old, (L.COMMUNE, row["successor_code"], True), row["source"][:255]))
    per_old = Counter(old for old, _, _ in links)  # an old unit with several rows was split
    for old, new, source in links:
        if new in rows:
            successions[(old, new)] = {"partial": per_old[old] > 1, "source": source}
    return rows, successions


def _add_missing_commune(row, add, ward_o2n, province_by_name, districts_of) -> Key | None:
    """Add the pre-2025 commune of a supplement row that the package's list lacks, under its district; its key,
    or None when its province is not being loaded (`districts_of` has the districts of those that are). The row
    names the district; where the package's conversion table has the code, its district must be the same one."""
    entry = ward_o2n.get(int(row["old_code"])) if row["old_code"] else None
    province = province_by_name.get(admin_key(row["old_province"]))
    if province is None:
        raise ValueError(f"Bảng bổ sung: không có tỉnh “{row['old_province']}” trước 2025 ({row['old_name']}).")
    if entry is not None and entry.old_ward.province_code != province:
        raise ValueError(f"Bảng bổ sung: mã {row['old_code']} thuộc tỉnh khác “{row['old_province']}”.")
    if province not in districts_of:
        return None
    districts = districts_of[province]
    named = [code for name, code in districts if name == nfc(row["old_district"])] or [
        code for name, code in districts if admin_key(name) == admin_key(row["old_district"])
    ]
    if len(named) != 1 or (entry is not None and named[0] != entry.old_ward.district_code):
        raise ValueError(
            f"Bảng bổ sung: không xác định được huyện “{row['old_district']}” của {row['old_name']} "
            f"({row['old_code'] or 'không mã'})."
        )
    district = f"{named[0]:03d}"
    name = nfc(row["old_name"])
    type_ = T.WARD if name.lower().startswith("phường ") else T.COMMUNE
    key = (L.COMMUNE, row["old_code"], False) if row["old_code"] else _uncoded(district, name)
    add(L.COMMUNE, row["old_code"], False, type_, name, (L.DISTRICT, district, False), key=key)
    return key


def load_admin_units(*, actor=None, province_code: str | None = None) -> LoadResult:
    """Create or update the administrative units (one province's when `province_code` is given)."""
    rows, successions = _desired(province_code)
    result = LoadResult()
    moved: list[tuple[str, str]] = []  # (old path, new path) of units whose parent changed
    existing: dict[Key, OrgUnit] = {
        (u.level, u.code, u.valid_to is None): u for u in OrgUnit.objects.filter(level__lte=L.COMMUNE).exclude(code="")
    }
    uncoded = OrgUnit.objects.historical().filter(level=L.COMMUNE, code="", parent__isnull=False)
    for unit in uncoded.select_related("parent"):
        existing.setdefault(_uncoded(unit.parent.code, unit.name), unit)
    with transaction.atomic():
        # Level by level, so that parents exist (with their paths) before their children.
        for level in (L.PROVINCE, L.DISTRICT, L.COMMUNE):
            to_create, to_update = [], []
            for key, want in rows.items():
                if key[0] != level:
                    continue
                parent = existing[want["parent"]] if want["parent"] else None
                fields = {k: v for k, v in want.items() if k != "parent"}
                fields |= {"parent_id": parent.pk if parent else None, "name_folded": admin_key(want["name"])}
                unit = existing.get(key)
                if unit is None:
                    unit = OrgUnit(level=level, path="/", **fields)
                    to_create.append(unit)
                    existing[key] = unit
                else:
                    fields["path"] = f"{parent.path if parent else '/'}{unit.pk}/"
                    if unit.path != fields["path"]:
                        moved.append((unit.path, fields["path"]))
                    if any(getattr(unit, k) != v for k, v in fields.items()):
                        for k, v in fields.items():
                            setattr(unit, k, v)
                        to_update.append(unit)
            OrgUnit.objects.bulk_create(to_create, batch_size=2000)
            _set_paths(level, [u.pk for u in to_create])
            OrgUnit.objects.bulk_update(
                to_update, ["type", "name", "name_folded", "parent", "path", "valid_from", "valid_to"], batch_size=500
            )
            paths = dict(OrgUnit.objects.filter(pk__in=[u.pk for u in to_create]).values_list("pk", "path"))
            for unit in to_create:
                unit.path = paths[unit.pk]
            result.created += len(to_create)
            result.updated += len(to_update)
        _move_descendants(moved)
        _sync_successions(existing, successions, result)
        result.counts = {
            "provinces": sum(1 for k in rows if k[0] == L.PROVINCE and k[2]),
            "communes": sum(1 for k in rows if k[0] == L.COMMUNE and k[2]),
            "legacy_provinces": sum(1 for k in rows if k[0] == L.PROVINCE and not k[2]),
            "legacy_districts": sum(1 for k in rows if k[0] == L.DISTRICT),
            "legacy_communes": sum(1 for k in rows if k[0] == L.COMMUNE and not k[2]),
            "successions": len(successions),
        }
        if result.changed:
            audit_record(
                actor=actor,
                action="orgunits.load_admin_units",
                kind=AuditEvent.Kind.BULK,
                object_type="orgunits.orgunit",
                object_repr=f"Nạp đơn vị hành chính{f' tỉnh {province_code}' if province_code else ''}",
                changes={
                    "created": result.created,
                    "updated": result.updated,
                    "successions_created": result.successions_created,
                    "successions_updated": result.successions_updated,
                    **result.counts,
                },
            )
    return result


def _move_descendants(moved: list[tuple[str, str]]) -> None:
    """A unit that changed parent takes its hamlets (and anything else below it) along."""
    for old, new in moved:
        below = list(OrgUnit.objects.filter(path__startswith=old).exclude(path=new))
        for node in below:
            node.path = new + node.path[len(old) :]
        OrgUnit.objects.bulk_update(below, ["path"], batch_size=500)


def _set_paths(level: int, ids: list[int]) -> None:
    """Paths of new rows in one statement per batch: the parent's path (or '/') followed by the row's own id."""
    parent_path = OrgUnit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
    prefix = Value("/") if level == L.PROVINCE else Subquery(parent_path)
    for start in range(0, len(ids), 5000):
        OrgUnit.objects.filter(pk__in=ids[start : start + 5000]).update(
            path=Concat(prefix, Cast("pk", CharField()), Value("/"), output_field=CharField())
        )


def _sync_successions(units: dict[Key, OrgUnit], wanted: dict, result: LoadResult) -> None:
    ids = {k: u.pk for k, u in units.items()}
    current = {
        (s.predecessor_id, s.successor_id): s
        for s in OrgUnitSuccession.objects.filter(predecessor_id__in=[ids[k] for k, _ in wanted])
    }
    to_create, to_update = [], []
    for (old, new), attrs in wanted.items():
        pair = (ids[old], ids[new])
        link = current.get(pair)
        if link is None:
            to_create.append(
                OrgUnitSuccession(predecessor_id=pair[0], successor_id=pair[1], effective_on=REFORM_DATE, **attrs)
            )
        elif link.partial != attrs["partial"] or link.source != attrs["source"]:
            link.partial, link.source = attrs["partial"], attrs["source"]
            to_update.append(link)
    OrgUnitSuccession.objects.bulk_create(to_create, batch_size=2000)
    OrgUnitSuccession.objects.bulk_update(to_update, ["partial", "source"], batch_size=2000)
    result.successions_created += len(to_create)
    result.successions_updated += len(to_update)
