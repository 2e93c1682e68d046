import pytest
from django.core.management import call_command

from apps.orgunits.resolver import resolve

TRA_LINH = "20950"


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
