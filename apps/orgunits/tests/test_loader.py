import csv
from collections import defaultdict

import pytest
from django.db import transaction

from apps.core.models import AuditEvent
from apps.orgunits import loader
from apps.orgunits.loader import load_admin_units
from apps.orgunits.models import OrgUnit, OrgUnitSuccession
from apps.orgunits.resolver import resolve


class TestLoadOneProvince:
    def test_da_nang_has_its_94_communes_and_both_former_provinces(self, db):
        current = OrgUnit.objects.current()
        province = current.get(level=OrgUnit.Level.PROVINCE, code="48")
        assert province.name == "Thành phố Đà Nẵng"
        assert current.filter(parent=province, level=OrgUnit.Level.COMMUNE).count() == 94
        old = OrgUnit.objects.historical().filter(level=OrgUnit.Level.PROVINCE)
        assert set(old.values_list("name", flat=True)) >= {"Thành phố Đà Nẵng", "Tỉnh Quảng Nam"}

    def test_a_second_run_changes_nothing_and_writes_no_audit_event(self, db):
        before = AuditEvent.objects.count()
        result = load_admin_units(province_code="48")
        assert not result.changed
        assert (result.created, result.updated, result.successions_created) == (0, 0, 0)
        assert AuditEvent.objects.count() == before

    def test_codes_are_zero_padded_strings(self, db):
        assert OrgUnit.objects.current().get(name="Phường Hải Châu").code == "20242"
        assert OrgUnit.objects.historical().get(name="Huyện Nam Trà My").code == "516"
        assert OrgUnit.objects.current().get(level=OrgUnit.Level.PROVINCE, code="48").code == "48"

    def test_old_commune_points_to_its_successor(self, db):
        tra_nam = OrgUnit.objects.historical().get(level=OrgUnit.Level.COMMUNE, code="20953")
        assert tra_nam.valid_to.isoformat() == "2025-06-30"
        successors = [s.successor.code for s in tra_nam.successions.all()]
        assert successors == ["20950"]

    def test_paths_follow_the_parents(self, db):
        commune = OrgUnit.objects.current().get(code="20950", level=OrgUnit.Level.COMMUNE)
        assert commune.path == f"{commune.parent.path}{commune.pk}/"
        old = OrgUnit.objects.historical().get(code="20953", level=OrgUnit.Level.COMMUNE)
        assert [u.level for u in old.ancestors()] == [1, 2]

    def test_an_unknown_province_code_is_refused(self, db):
        with pytest.raises(ValueError, match="99"):
            load_admin_units(province_code="99")

    def test_island_districts_point_to_their_special_zone(self, db):
        hoang_sa = OrgUnit.objects.historical().get(level=OrgUnit.Level.DISTRICT, code="498")
        zone = OrgUnit.objects.current().get(level=OrgUnit.Level.COMMUNE, code="20333")
        assert zone.type == OrgUnit.Type.SPECIAL_ZONE
        assert OrgUnitSuccession.objects.filter(predecessor=hoang_sa, successor=zone).exists()


@pytest.fixture(scope="class")
def ho_chi_minh_city(django_db_setup, django_db_blocker):
    """Thành phố Hồ Chí Minh loaded beside Đà Nẵng once for the class, and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_admin_units(province_code="79")
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("ho_chi_minh_city")
class TestUnitsThePackageLacks:
    def test_phuong_3_and_4_of_quan_6_are_wards_without_a_code_that_lead_to_binh_tien(self, db):
        quan_6 = OrgUnit.objects.historical().get(level=OrgUnit.Level.DISTRICT, code="775")
        for name in ("Phường 3", "Phường 4"):
            ward = OrgUnit.objects.get(parent=quan_6, name=name)
            assert (ward.code, ward.type, ward.valid_to.isoformat()) == ("", OrgUnit.Type.WARD, "2025-06-30")
            assert ward.path == f"{quan_6.path}{ward.pk}/"
            assert [(s.successor.name, s.partial) for s in ward.successions.all()] == [("Phường Bình Tiên", False)]

    def test_a_code_of_the_conversion_table_missing_from_the_old_list_is_a_ward_of_its_district(self, db):
        phuong_1 = OrgUnit.objects.historical().get(level=OrgUnit.Level.COMMUNE, code="27373")
        assert (phuong_1.name, phuong_1.parent.name, phuong_1.type) == ("Phường 1", "Quận 6", OrgUnit.Type.WARD)
        assert [s.successor.code for s in phuong_1.successions.all()] == ["27373"]

    def test_a_split_one_leads_partly_to_each_successor(self, db):
        phuong_15 = OrgUnit.objects.historical().get(level=OrgUnit.Level.COMMUNE, code="27076")
        assert phuong_15.parent.name == "Quận Phú Nhuận"
        links = sorted((s.successor.name, s.partial) for s in phuong_15.successions.all())
        assert links == [("Phường Cầu Kiệu", True), ("Phường Phú Nhuận", True)]

    def test_a_second_run_changes_nothing_and_writes_no_audit_event(self, db):
        before = AuditEvent.objects.count()
        result = load_admin_units(province_code="79")
        assert not result.changed
        assert (result.created, result.updated, result.successions_created) == (0, 0, 0)
        assert AuditEvent.objects.count() == before


class TestTheSupplement:
    def test_it_names_every_old_unit_of_the_conversion_table_the_old_list_lacks_with_the_tables_successors(self):
        from vietnam_provinces import legacy
        from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW

        listed = {int(w.code) for w in legacy.Ward.iter_all()}
        wanted = {code: {n.code for n in e.new_wards} for code, e in OLD_TO_NEW.items() if code not in listed}
        with loader.SUPPLEMENT.open(encoding="utf-8", newline="") as fh:
            rows = [r for r in csv.DictReader(fh) if r["old_level"] == "commune" and r["old_code"]]
        given = defaultdict(set)
        for row in rows:
            if int(row["old_code"]) in wanted:
                given[int(row["old_code"])].add(int(row["successor_code"]))
        assert len(wanted) == 10 and given == wanted

    def test_a_row_whose_district_names_none_is_refused(self, db, tmp_path, monkeypatch):
        bad = tmp_path / "supplement.csv"
        with loader.SUPPLEMENT.open(encoding="utf-8") as fh:
            header = fh.readline()
        row = "commune,,Phường 99,Quận Không Có,Thành phố Đà Nẵng,,,20242,Phường Hải Châu,thử\n"
        bad.write_text(header + row, encoding="utf-8")
        monkeypatch.setattr(loader, "SUPPLEMENT", bad)
        with pytest.raises(ValueError, match="Quận Không Có"):
            load_admin_units(province_code="48")


@pytest.mark.slow
class TestLoadTheWholeCountry:
    def test_34_provinces_and_3321_communes_valid_today_a_rerun_changes_nothing_and_bare_names_are_ambiguous(self, db):
        load_admin_units()
        current = OrgUnit.objects.current()
        assert current.filter(level=OrgUnit.Level.PROVINCE).count() == 34
        assert current.filter(level=OrgUnit.Level.COMMUNE).exclude(type=OrgUnit.Type.HAMLET).count() == 3321
        assert OrgUnit.objects.historical().filter(level=OrgUnit.Level.PROVINCE).count() == 63
        # Every pre-2025 commune and district leads somewhere today.
        orphans = OrgUnit.objects.historical().filter(level__in=[2, 3], successions__isnull=True)
        assert list(orphans.values_list("name", flat=True)) == []
        again = load_admin_units()
        assert not again.changed
        # Bare names across the country: "Bình Lãng" was a commune in Long An and in Hải Dương.
        assert resolve("Bình Lãng").status == "ambiguous"
        assert resolve("xã Bình Lãng, huyện Tứ Kỳ, tỉnh Hải Dương").status == "ok"
        assert resolve("Thuỷ An").units == resolve("Thủy An").units
        # Names that begin like a prefix, names with a dash, numbered wards, the written type, new wards written
        # with their old province.
        named = {
            "Phường Văn Miếu - Quốc Tử Giám, Hà Nội": "Phường Văn Miếu - Quốc Tử Giám",
            "Quan Sơn, Thanh Hóa": "Xã Quan Sơn",
            "xã Quản Bạ, Hà Giang": "Xã Quản Bạ",
            "Phường 14, Quận Bình Thạnh, TP.HCM": "Phường Bình Thạnh",
            "Phường 14 Quận Bình Thạnh TP HCM": "Phường Bình Thạnh",
            "Phường Hải Châu": "Phường Hải Châu",
            "xã Trà Linh": "Xã Trà Linh",
            "Phường Thủ Dầu Một, Bình Dương": "Phường Thủ Dầu Một",
            "Phường Sài Gòn": "Phường Sài Gòn",
            "Sài Gòn": "Thành phố Hồ Chí Minh",
            "Thừa Thiên Huế": "Thành phố Huế",
        }
        for text, name in named.items():
            result = resolve(text)
            assert result.unit is not None and result.unit.name == name, (text, result.units)


def test_a_reload_puts_a_misplaced_commune_back_with_its_hamlets(cast):
    commune = cast.commune_a
    right = commune.path
    wrong = f"{cast.commune_b.path}{commune.pk}/"  # pretend it sat below another commune
    for unit in OrgUnit.objects.filter(path__startswith=right):
        OrgUnit.objects.filter(pk=unit.pk).update(path=wrong + unit.path[len(right) :])
    OrgUnit.objects.filter(pk=commune.pk).update(parent=cast.commune_b)
    load_admin_units(province_code="48")
    commune.refresh_from_db()
    assert commune.parent == cast.province and commune.path == right
    hamlets = OrgUnit.objects.filter(parent=commune, type="hamlet")
    assert hamlets.exists() and all(h.path == f"{right}{h.pk}/" for h in hamlets)
