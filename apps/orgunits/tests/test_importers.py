import io
import unicodedata

import pytest
import xlsxwriter

from apps.core.models import AuditEvent
from apps.orgunits.importers import HamletImportError, import_hamlets
from apps.orgunits.models import OrgUnit


def workbook(rows, merge_title=True) -> bytes:
    """An .xlsx laid out like the real ones: title rows, a merged title, the header, data, a signature."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    if merge_title:
        sheet.merge_range(0, 0, 0, 2, "UBND XÃ TRÀ LINH")
    sheet.write_row(1, 0, ["DANH SÁCH THÔN NĂM 2025"])
    sheet.write_row(3, 0, ["STT", "Tên thôn (*)", "Xã cũ"])
    for i, row in enumerate(rows):
        sheet.write_row(4 + i, 0, [i + 1, *row])
    sheet.write_row(5 + len(rows), 1, [])
    book.close()
    return buffer.getvalue()


def cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters (â, ê, ơ…) precomposed, tone marks as combining characters."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = b""
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out += (base + "".join(c for c in parts if c in tones)).encode("cp1258")
    return out


def hamlets_of(commune):
    return set(OrgUnit.objects.current().filter(parent=commune, type="hamlet").values_list("name", "qualifier"))


class TestImportHamlets:
    def test_it_adds_every_row_with_one_audit_event(self, cast):
        data = workbook([["Thôn 4", "xã Trà Nam cũ"], ["Thôn 5", ""], ["Làng Tăk Pổ", ""]])
        created = import_hamlets(actor=cast.commune_officer, commune=cast.commune_a, filename="thon.xlsx", data=data)
        assert {h.name for h in created} == {"Thôn 4", "Thôn 5", "Làng Tăk Pổ"}
        assert ("Thôn 4", "xã Trà Nam cũ") in hamlets_of(cast.commune_a)
        assert AuditEvent.objects.filter(action="orgunits.hamlet_import").count() == 1
        assert not AuditEvent.objects.filter(
            action="orgunits.hamlet_create", object_id__in=[h.pk for h in created]
        ).exists()

    def test_importing_the_same_file_twice_adds_nothing(self, cast):
        data = workbook([["Thôn 6", ""]])
        import_hamlets(actor=cast.commune_officer, commune=cast.commune_a, filename="thon.xlsx", data=data)
        assert import_hamlets(actor=cast.commune_officer, commune=cast.commune_a, filename="thon.xlsx", data=data) == []

    def test_a_bad_row_writes_nothing_and_names_file_row_and_column(self, cast):
        before = hamlets_of(cast.commune_a)
        data = workbook([["Thôn 7", ""], ["", "xã Trà Nam cũ"], ["Thôn 7", ""]])
        with pytest.raises(HamletImportError) as error:
            import_hamlets(actor=cast.commune_officer, commune=cast.commune_a, filename="thon.xlsx", data=data)
        messages = [str(e) for e in error.value.errors]
        assert messages[0].startswith("thon.xlsx: Dòng 6, cột “Tên thôn (*)”") and "thiếu tên thôn" in messages[0]
        assert "Dòng 7" in messages[1] and "trùng với dòng 5" in messages[1]
        assert hamlets_of(cast.commune_a) == before

    def test_a_windows_1258_csv_is_read(self, cast):
        data = cp1258("Tên thôn;Xã cũ\nThôn Suối Đá;\n")
        assert data.decode("cp1258") != "Tên thôn;Xã cũ\nThôn Suối Đá;\n"  # really decomposed tones
        created = import_hamlets(actor=cast.commune_officer, commune=cast.commune_a, filename="thon.csv", data=data)
        assert [h.name for h in created] == ["Thôn Suối Đá"]

    @pytest.mark.parametrize(
        "filename,data,message",
        [
            ("rong.xlsx", b"", "rỗng"),
            ("anh.xlsx", b"PK\x03\x04not really a zip", "Không đọc được"),
            ("khac.csv", "Họ tên,Ngày sinh\nA,1\n".encode(), "Không tìm thấy dòng tiêu đề"),
        ],
    )
    def test_unreadable_files_get_a_clear_message(self, cast, filename, data, message):
        with pytest.raises(HamletImportError) as error:
            import_hamlets(actor=cast.commune_officer, commune=cast.commune_a, filename=filename, data=data)
        assert message in str(error.value) and filename in str(error.value)


@pytest.mark.parametrize("header", ["Tên tổ dân phố", "Tên ấp", "Tên khu phố", "Khối phố"])
def test_wards_and_southern_communes_head_their_lists_their_own_way(cast, header):
    data = f"STT,{header}\n1,Tên Riêng {header}\n".encode()
    created = import_hamlets(actor=cast.commune_officer, commune=cast.commune_a, filename="ds.csv", data=data)
    assert [h.name for h in created] == [f"Tên Riêng {header}"]


def test_a_missing_header_is_named_in_words(cast):
    with pytest.raises(HamletImportError) as error:
        import_hamlets(actor=cast.commune_officer, commune=cast.commune_a, filename="ds.csv", data=b"STT,Ho ten\n1,A\n")
    assert "“Tên thôn (tổ dân phố, ấp, bản…)”" in str(error.value) and "name" not in str(error.value)
