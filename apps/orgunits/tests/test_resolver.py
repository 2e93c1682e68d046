import io

import pytest
from django.core.management import call_command
from django.db import transaction

from apps.orgunits.models import OrgUnit
from apps.orgunits.resolver import Memo, batch, resolve

TRA_LINH = "20950"


@pytest.fixture(autouse=True, params=["alone", "batch", "batch-complete"])
def memo(request):
    """Every test three ways: each resolution reading the database, many in a batch reading each unit once, and a
    batch that has read every unit at once (what a province's file reaches): the same answers."""
    if request.param == "alone":
        yield None
        return
    memo = Memo()
    if request.param == "batch-complete":
        memo.EAGER_AFTER = 0
    with batch(memo):
        yield memo


@pytest.fixture(scope="class")
def provinces(request, django_db_setup, django_db_blocker):
    """The provinces a class lists in `provinces`, loaded beside Đà Nẵng once for all its tests and rolled back
    after them, so that the rest of the suite still sees Đà Nẵng alone."""
    with django_db_blocker.unblock(), transaction.atomic():
        for code in request.cls.provinces:
            call_command("load_admin_units", province=code, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.current().get(level__lte=OrgUnit.Level.COMMUNE, code=code)


class TestResolveOldAddresses:
    @pytest.mark.parametrize(
        "text",
        [
            "xã Trà Nam, huyện Nam Trà My, tỉnh Quảng Nam",
            "Xã Trà Nam - Huyện Nam Trà My - Tỉnh Quảng Nam",
            "X. Trà Nam, H. Nam Trà My, T. Quảng Nam",
            "TRÀ NAM, NAM TRÀ MY, QUẢNG NAM",
            "xa tra nam huyen nam tra my tinh quang nam",
            "xã Trà Nam huyện Nam Trà My tỉnh Quảng Nam",
            "  xã   Trà Nam ,  Nam Trà My  ",
            "xã Trà Nam, thành phố Đà Nẵng",
            "Trà Nam",
        ],
    )
    def test_tra_nam_resolves_to_tra_linh(self, db, text):
        result = resolve(text)
        assert result.status == "ok", result.units
        assert result.unit.code == TRA_LINH

    def test_nfd_text_resolves_like_nfc(self, db):
        import unicodedata

        assert resolve(unicodedata.normalize("NFD", "xã Trà Nam, Quảng Nam")).unit.code == TRA_LINH

    def test_today_names_resolve_to_themselves(self, db):
        assert resolve("Phường Hải Châu, Thành phố Đà Nẵng").unit.code == "20242"
        assert resolve("20242").unit.code == "20242"

    def test_an_old_province_resolves_to_the_new_one(self, db):
        assert resolve("tỉnh Quảng Nam").unit.code == "48"
        assert resolve("TP. Đà Nẵng").unit.code == "48"

    def test_an_island_district_resolves_to_its_special_zone(self, db):
        assert resolve("huyện Hoàng Sa, thành phố Đà Nẵng").unit.code == "20333"

    def test_an_old_district_alone_is_ambiguous(self, db):
        result = resolve("huyện Nam Trà My")
        assert result.status == "ambiguous"
        assert TRA_LINH in {u.code for u in result.units}

    def test_an_unknown_name_is_unknown(self, db):
        assert resolve("xã Không Có Thật").status == "unknown"
        assert resolve("").status == "unknown"

    def test_hamlets_out_of_sight_decide_nothing(self, db, cast):
        from apps.orgunits.models import OrgUnit
        from apps.orgunits.selectors import resolve_for
        from apps.orgunits.services import hamlet_create

        hai_van = OrgUnit.objects.current().get(level=3, code="20194")
        hamlet_create(actor=cast.admin, commune=hai_van, name="Thôn Bí Mật")
        # A teacher in Hải Châu cannot learn that Hải Vân has such a hamlet by resolving addresses.
        assert resolve_for(cast.teacher_b, "Thôn Bí Mật, xã Hòa Liên, huyện Hòa Vang").status == "ambiguous"
        assert resolve_for(cast.province_officer, "Thôn Bí Mật, xã Hòa Liên, huyện Hòa Vang").unit == hai_van

    def test_a_split_commune_is_decided_by_its_hamlet(self, db, cast):
        from apps.orgunits.models import OrgUnit
        from apps.orgunits.services import hamlet_create

        # Xã Hòa Liên (huyện Hòa Vang) was split between Phường Hải Vân and Phường Liên Chiểu.
        hai_van = OrgUnit.objects.current().get(level=3, code="20194")
        lien_chieu = OrgUnit.objects.current().get(level=3, code="20197")
        hamlet_create(actor=cast.admin, commune=hai_van, name="Thôn Quan Nam 1")
        hamlet_create(actor=cast.admin, commune=lien_chieu, name="Thôn Hiền Phước")
        assert {u.code for u in resolve("xã Hòa Liên, huyện Hòa Vang").units} == {"20194", "20197"}
        result = resolve("thôn Hiền Phước, xã Hòa Liên, huyện Hòa Vang")
        assert result.status == "ok" and result.unit == lien_chieu
        assert result.hamlet.name == "Thôn Hiền Phước"
        assert resolve("Thôn Không Có, xã Hòa Liên, huyện Hòa Vang").status == "ambiguous"


class TestAddressesAsWritten:
    @pytest.mark.parametrize(
        "text,code",
        [
            ("Số 12 Lê Lợi, phường Hải Châu, Đà Nẵng", "20242"),
            ("Phường Hải Châu, Đà Nẵng, Việt Nam", "20242"),
            ("P.Hải Châu, Q.Hải Châu, TP.Đà Nẵng", "20242"),
            ("Nam Trà My, Quảng Nam", "20944"),
            ("Tổ 5, phường Hải Châu, quận Hải Châu, Đà Nẵng", "20242"),
            ("Thôn 7, Phường Điện Minh, Thị xã Điện Bàn, Tỉnh Quảng Nam", "20551"),  # "Thị xã" is one prefix
            ("Phường Điện Minh Thị xã Điện Bàn", "20551"),
        ],
    )
    def test_it_reads_addresses_the_way_people_write_them(self, db, text, code):
        from apps.orgunits.models import OrgUnit

        result = resolve(text)
        assert result.status == "ok", (text, result.units)
        assert result.unit == OrgUnit.objects.current().get(level=3, code=code)


class TestHamletsInAddresses:
    def test_abbreviated_and_zero_padded_hamlets_are_found(self, db):
        assert resolve("TDP 03, Phường Hải Châu").hamlet.name == "Tổ dân phố 3"
        assert resolve("Thôn 01, xã Trà Nam, Nam Trà My").hamlet.display_name == "Thôn 1 (xã Trà Nam cũ)"

    def test_a_hamlet_kept_in_the_apps_own_format(self, db):
        result = resolve("Thôn 1 (xã Trà Nam cũ), xã Trà Linh")
        assert result.unit.code == TRA_LINH and result.hamlet.qualifier == "xã Trà Nam cũ"

    def test_namesakes_are_not_guessed_when_the_new_commune_is_written(self, db):
        result = resolve("Thôn 1, xã Trà Linh, TP Đà Nẵng")
        assert result.unit.code == TRA_LINH and result.hamlet is None

    def test_a_leading_hamlet_before_the_ward(self, db):
        result = resolve("Khối phố Cẩm Phô, phường Cẩm Phô, TP Hội An, Quảng Nam")
        assert result.unit.code == "20410" and result.hamlet.name == "Khối phố Cẩm Phô"

    def test_a_hamlet_written_before_its_commune_without_a_comma(self, db):
        assert resolve("Thôn 2 xã Trà Linh, Nam Trà My").unit.code == TRA_LINH

    def test_the_qualifier_picks_the_namesake_of_the_former_commune(self, db):
        result = resolve("Thôn 1, xã Trà Nam, huyện Nam Trà My")
        assert result.unit.code == TRA_LINH
        assert result.hamlet.display_name == "Thôn 1 (xã Trà Nam cũ)"

    def test_the_former_commune_written_as_a_part_of_its_own_picks_the_namesake(self, db):
        result = resolve("Thôn 3, xã Trà Nam cũ, xã Trà Linh")
        assert result.unit.code == TRA_LINH
        assert result.hamlet.display_name == "Thôn 3 (xã Trà Nam cũ)"
        assert result.hamlet_candidates == []

    def test_the_former_commune_alone_also_picks_the_namesake(self, db):
        result = resolve("Thôn 3, xã Trà Nam cũ")
        assert result.unit.code == TRA_LINH and result.hamlet.display_name == "Thôn 3 (xã Trà Nam cũ)"

    def test_a_former_commune_written_before_todays_is_no_ancestor(self, db):
        assert resolve("xã Trà Nam cũ, xã Trà Linh, TP Đà Nẵng").unit.code == TRA_LINH

    def test_namesakes_without_a_qualifier_are_offered_as_candidates(self, db):
        result = resolve("Thôn 3, xã Trà Linh, TP Đà Nẵng")
        assert result.unit.code == TRA_LINH and result.hamlet is None
        assert [h.display_name for h in result.hamlet_candidates] == [
            "Thôn 3 (xã Trà Linh cũ)",
            "Thôn 3 (xã Trà Nam cũ)",
        ]

    def test_candidates_are_only_hamlets_the_caller_may_see(self, db, cast):
        from apps.orgunits.selectors import resolve_for

        assert len(resolve_for(cast.commune_officer, "Thôn 3, xã Trà Linh").hamlet_candidates) == 2
        outsider = resolve_for(cast.teacher_b, "Thôn 3, xã Trà Linh")
        assert outsider.unit.code == TRA_LINH and outsider.hamlet_candidates == []


@pytest.mark.usefixtures("provinces")
class TestFormsOfHoChiMinhCityExports:
    provinces = ("79",)

    @pytest.mark.parametrize(
        "text,code",
        [
            ("Phường Phường 2, Quận Quận 6, TP Hồ Chí Minh", "27367"),  # Phường Bình Tây
            ("P. Phường 1, Q. Quận 6, Hồ Chí Minh", "27373"),  # Phường Bình Tiên
            ("Phường Phường 3, Quận Quận 3, TP Hồ Chí Minh", "27154"),  # Phường Bàn Cờ
            ("P. Phường 3, Q. Quận 3, Hồ Chí Minh", "27154"),
        ],
    )
    def test_a_doubled_prefix_of_numbered_wards_and_districts_is_read_once(self, db, text, code):
        result = resolve(text)
        assert result.status == "ok", (text, result.units)
        assert result.unit == unit(code)

    @pytest.mark.parametrize(
        "text", ["Phường Phường 3, Quận Quận 6, TP Hồ Chí Minh", "P. Phường 3, Q. Quận 6, Hồ Chí Minh"]
    )
    def test_phuong_3_of_quan_6_which_the_package_lacks_is_binh_tien_today(self, db, text):
        result = resolve(text)
        assert result.status == "ok", (text, result.units)
        assert result.unit == unit("27373")  # Phường Bình Tiên
        assert [(u.name, u.code) for u in result.matched] == [("Phường 3", "")]

    def test_the_sector_databases_upper_case_dashed_layout(self, db):
        result = resolve("  PHƯỜNG BẾN THÀNH  -  Quận Quận 1 - Hồ Chí Minh ")
        assert result.status == "ok", result.units
        assert result.unit.name == "Phường Bến Thành" and result.unit.code == "26743"

    def test_a_name_ending_in_a_province_name_is_not_cut(self, db):
        # Phường Nguyễn Thái Bình (Quận 1) was split between Phường Sài Gòn and Phường Bến Thành.
        for text in ("Phường Nguyễn Thái Bình", "Phường Nguyễn Thái Bình Quận 1 TP.HCM"):
            assert {u.code for u in resolve(text).units} == {"26740", "26743"}, text


@pytest.mark.usefixtures("provinces")
class TestOfficialNamesWithAPrefixInside:
    provinces = ("46",)

    def test_a_ward_officially_named_with_its_prefix_twice_is_still_found(self, db):
        old = resolve("Phường Phường Đúc, Thành phố Huế").matched
        assert [u.name for u in old] == ["Phường Phường Đúc"]


@pytest.mark.usefixtures("provinces")
class TestNamesThatContainAProvinceName:
    provinces = ("01", "25")  # Phú Thọ brings the former Tỉnh Vĩnh Phúc

    @pytest.mark.parametrize(
        "text",
        [
            "phường Vĩnh Phúc quận Ba Đình thành phố hà nội",
            "phường Vĩnh Phúc quận Ba Đình hà nội",
            "Phường Vĩnh Phúc, Quận Ba Đình Hà Nội",
        ],
    )
    def test_phuong_vinh_phuc_of_ba_dinh_is_the_ward_not_the_province(self, db, text):
        result = resolve(text)
        assert result.status == "ok", (text, result.units)
        assert result.unit.name == "Phường Ngọc Hà" and result.unit.code == "00008"

    def test_the_province_vinh_phuc_alone_is_still_the_province(self, db):
        assert resolve("tỉnh Vĩnh Phúc").unit.name == "Tỉnh Phú Thọ"


@pytest.mark.usefixtures("provinces")
class TestDistrictsNamedLikeTheirProvince:
    provinces = ("19", "38")

    @pytest.mark.parametrize(
        "text",
        [
            "Phường Hoàng Văn Thụ, Thành phố Thái Nguyên, Tỉnh Thái Nguyên",
            "Phường Hoàng Văn Thụ Thành phố Thái Nguyên Thái Nguyên",
        ],
    )
    def test_the_city_narrows_the_ward(self, db, text):
        result = resolve(text)
        assert result.status == "ok", (text, result.units)
        assert result.unit.name == "Phường Phan Đình Phùng" and result.unit.code == "05443"

    def test_the_city_decides_between_namesake_wards_of_the_province(self, db):
        # Phường Ba Đình existed in Thành phố Thanh Hóa and in Thị xã Bỉm Sơn.
        assert resolve("Phường Ba Đình, Thành phố Thanh Hóa, Tỉnh Thanh Hóa").unit.name == "Phường Hạc Thành"
        assert resolve("Phường Ba Đình, Thị xã Bỉm Sơn, Tỉnh Thanh Hóa").unit.name == "Phường Bỉm Sơn"

    def test_the_city_with_its_province_is_the_city_not_the_province(self, db):
        result = resolve("Thành phố Thái Nguyên, Tỉnh Thái Nguyên")
        assert result.status == "ambiguous"
        assert "05443" in {u.code for u in result.units}
        assert all(u.level == OrgUnit.Level.COMMUNE for u in result.units)


@pytest.mark.usefixtures("provinces")
class TestFarmTownships:
    provinces = ("14", "08")

    @pytest.mark.parametrize(
        "text",
        ["Thị trấn Nông trường Mộc Châu, huyện Mộc Châu, tỉnh Sơn La", "TT NT Mộc Châu, Mộc Châu, Sơn La"],
    )
    def test_nong_truong_and_nt_are_one_word(self, db, text):
        result = resolve(text)
        assert result.status == "ok", (text, result.units)
        assert result.unit.name == "Phường Thảo Nguyên" and result.unit.code == "03982"

    def test_nt_also_finds_a_name_the_data_spells_out(self, db):
        # The package writes "Thị trấn Nông Trường Việt Lâm" in full.
        result = resolve("TT NT Việt Lâm, huyện Vị Xuyên, tỉnh Hà Giang")
        assert [u.name for u in result.matched] == ["Thị trấn Nông Trường Việt Lâm"]
        assert result.unit.name == "Xã Vị Xuyên"


@pytest.mark.usefixtures("provinces")
class TestWardsOfTheTownOfMocChau:
    """Thị xã Mộc Châu's wards of 2025, which the package's list of old units lacks (it has the district before)."""

    provinces = ("14",)

    @pytest.mark.parametrize(
        "text,code,old",
        [
            ("Phường Mộc Lỵ, Thị xã Mộc Châu, Tỉnh Sơn La", "03980", "03980"),  # Phường Mộc Châu
            ("P. Cờ Đỏ, TX Mộc Châu, Sơn La", "03982", "03984"),  # Phường Thảo Nguyên
        ],
    )
    def test_a_ward_written_with_its_town_and_province_resolves_to_its_successor(self, db, text, code, old):
        result = resolve(text)
        assert result.status == "ok", (text, result.units)
        assert result.unit == unit(code)
        assert [u.code for u in result.matched] == [old]


@pytest.mark.usefixtures("provinces")
class TestAbbreviationsWithoutTheProvincePrefix:
    provinces = ("91",)

    @pytest.mark.parametrize(
        "text",
        [
            "X. Vĩnh Bình Bắc, H. Vĩnh Thuận, Kiên Giang",
            "X. Vĩnh Bình Bắc H. Vĩnh Thuận Kiên Giang",
            "X.Vĩnh Bình Bắc H.Vĩnh Thuận Kiên Giang",
        ],
    )
    def test_vinh_binh_bac_of_vinh_thuan(self, db, text):
        result = resolve(text)
        assert result.status == "ok", (text, result.units)
        assert result.unit.name == "Xã Vĩnh Bình" and result.unit.code == "31064"


class TestResolveUnitCommand:
    def test_it_prints_code_tab_full_name(self, db, capsys):
        call_command("resolve_unit", "xã Trà Nam, huyện Nam Trà My, tỉnh Quảng Nam")
        assert capsys.readouterr().out == "20950\tXã Trà Linh, Thành phố Đà Nẵng\n"

    def test_unknown_exits_1_with_a_message_on_stderr(self, db, capsys):
        with pytest.raises(SystemExit) as exit_info:
            call_command("resolve_unit", "xã Không Có Thật")
        assert exit_info.value.code == 1
        out = capsys.readouterr()
        assert out.out == "" and "Không tìm thấy" in out.err

    def test_ambiguous_exits_3_with_the_candidates_on_stdout(self, db, capsys):
        with pytest.raises(SystemExit) as exit_info:
            call_command("resolve_unit", "huyện Nam Trà My")
        assert exit_info.value.code == 3
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) > 1 and all("\t" in line and line.endswith("Thành phố Đà Nẵng") for line in lines)


class TestBatch:
    TEXTS = [
        "xã Trà Nam, huyện Nam Trà My, tỉnh Quảng Nam",
        "Phường Hải Châu, Thành phố Đà Nẵng",
        "xã Trà Linh, Đà Nẵng",
        "thôn 1, xã Trà Nam, Quảng Nam",
        "phường Thạch Thang, quận Hải Châu",
        "xã Hòa Bắc, huyện Hòa Vang",
        "xã Hòa Ninh, Hòa Vang, Đà Nẵng",
        "phường An Hải Bắc, quận Sơn Trà",
        "phường Mỹ An, Ngũ Hành Sơn",
        "xã Tam Kỳ, Quảng Nam",
    ]

    def test_a_batch_reads_each_unit_once_then_everything_at_once(self, db, django_assert_max_num_queries, memo):
        if memo is None:
            memo = Memo()
        memo.EAGER_AFTER = 3
        with batch(memo):
            for text in self.TEXTS:
                resolve(text)
        assert memo.complete
        with django_assert_max_num_queries(len(self.TEXTS)), batch(memo):  # the hamlets that decide, at most
            answers = {text: resolve(text).units for text in self.TEXTS}
        assert answers == {text: resolve(text).units for text in self.TEXTS}
