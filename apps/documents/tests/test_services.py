import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from docx import Document as open_docx

from apps.core import doctemplate, statedoc
from apps.core.models import AuditEvent
from apps.documents import services
from apps.documents.models import Document
from apps.documents.tests.conftest import DAY, issue


def _text(document: Document) -> str:
    with document.file.open("rb") as fh:
        doc = open_docx(io.BytesIO(fh.read()))
    cells = [p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


class TestNumbering:
    def test_numbers_follow_each_other_per_type_and_restart_each_year(self, cast, body_a):
        first, second = issue(cast.principal_a, body_a), issue(cast.principal_a, body_a)
        report = issue(cast.principal_a, body_a, kind="bao_cao")
        new_year = issue(cast.principal_a, body_a, on=datetime.date(2026, 1, 2))
        assert [first.symbol, second.symbol, report.symbol] == ["01/KH-THTN", "02/KH-THTN", "01/BC-THTN"]
        assert (new_year.number, new_year.symbol, new_year.year) == (1, "01/KH-THTN", 2026)

    def test_a_shared_series_numbers_every_type_in_one_run(self, cast, shared_body):
        plan = issue(cast.commune_officer, shared_body)
        notice = issue(cast.commune_officer, shared_body, kind="thong_bao")
        assert [plan.symbol, notice.symbol] == ["01/KH-UBND", "02/TB-UBND"]

    def test_the_number_is_printed_in_the_issued_file(self, cast, body_a):
        document = issue(cast.principal_a, body_a)
        text = _text(document)
        assert "Số: 01/KH-THTN" in text and "Trà Linh, ngày 05 tháng 9 năm 2025" in text
        assert AuditEvent.objects.filter(action="documents.document_issue", object_id=str(document.pk)).exists()

    def test_an_issue_that_fails_gives_its_number_back(self, cast, body_a):
        def broken(number_line, symbol):
            raise RuntimeError("rendering failed")

        with pytest.raises(RuntimeError):
            issue(cast.principal_a, body_a, build=broken)
        assert issue(cast.principal_a, body_a).symbol == "01/KH-THTN"

    def test_a_builder_from_another_app_gets_the_number(self, cast, body_a):
        seen = []

        def build(number_line, symbol):
            seen.append(number_line)
            return statedoc.Document(
                header=statedoc.Header(body=body_a.name, place="Trà Linh", on=DAY, number=number_line),
                title="KẾ HOẠCH",
                sections=[statedoc.Section("MỤC ĐÍCH, YÊU CẦU", paragraphs=["…"])],
                signature=statedoc.Signature("HIỆU TRƯỞNG", "Trần Văn Bình"),
            )

        document = issue(cast.principal_a, body_a, build=build)
        assert seen == ["Số: 01/KH-THTN"] and "I. MỤC ĐÍCH, YÊU CẦU" in _text(document)
        assert document.signer_name == "Trần Văn Bình"


class TestThePaperBook:
    def test_a_paper_number_is_entered_and_the_series_continues_after_it(self, cast, body_a):
        issue(cast.principal_a, body_a)
        paper = services.document_enter_paper(
            actor=cast.principal_a, body=body_a, kind="ke_hoach", number=7, issued_on=DAY, summary="Kế hoạch giấy"
        )
        assert (paper.symbol, paper.source, bool(paper.file)) == ("07/KH-THTN", "paper", False)
        assert issue(cast.principal_a, body_a).symbol == "08/KH-THTN"

    def test_a_number_already_in_the_book_is_refused(self, cast, body_a):
        issue(cast.principal_a, body_a)
        with pytest.raises(ValidationError) as caught:
            services.document_enter_paper(
                actor=cast.principal_a, body=body_a, kind="ke_hoach", number=1, issued_on=DAY, summary="Trùng"
            )
        assert "Số 01 năm 2025 đã có trong sổ" in caught.value.message_dict["number"][0]

    def test_a_paper_document_without_a_number_takes_the_next(self, cast, body_a):
        issue(cast.principal_a, body_a)
        paper = services.document_enter_paper(
            actor=cast.principal_a, body=body_a, kind="ke_hoach", issued_on=DAY, summary="Kế hoạch giấy"
        )
        assert paper.symbol == "02/KH-THTN"


class TestWhoIssues:
    def test_a_teacher_reads_the_register_but_cannot_issue(self, cast, body_a):
        with pytest.raises(PermissionDenied):
            issue(cast.teacher_a, body_a)

    def test_a_teacher_of_another_school_does_not_see_the_body(self, cast, body_a):
        with pytest.raises(Http404):
            issue(cast.teacher_b, body_a)

    def test_a_teacher_cannot_open_a_body_for_their_school(self, cast):
        with pytest.raises(PermissionDenied):
            services.body_create(actor=cast.teacher_a, name="X", abbreviation="X", place="X", school=cast.school_a)


class TestKindsAndText:
    def test_user_text_enters_as_text_and_is_never_filled(self, cast, body_a):
        document = issue(
            cast.principal_a, body_a, summary="Về {year} <b>&", text="Đoạn một {body}.\n\nĐoạn hai\x07 {number}."
        )
        text = _text(document)
        assert "Đoạn một {body}." in text and "Đoạn hai {number}." in text
        assert "Về {year} <b>&" in text

    def test_every_kind_names_only_known_placeholders(self):
        kinds = doctemplate.kinds()
        assert {"ke_hoach", "bao_cao", "thong_bao", "quyet_dinh", "thu_cam_on"} <= set(kinds)
        assert kinds["thu_cam_on"].numbered is False and kinds["ke_hoach"].type_code == "KH"

    def test_a_kind_with_an_unknown_placeholder_fails_to_load(self, tmp_path):
        path = tmp_path / "x.toml"
        path.write_text('[kind]\ncode="xx"\nname="X"\ntitle="X"\ntype_code="X"\nsummary="{__class__}{secret}"\n')
        with pytest.raises(doctemplate.KindError, match="unknown placeholder"):
            doctemplate.load(path)

    def test_filling_is_one_pass(self):
        assert doctemplate.fill("{summary} {year}", {"summary": "{year}", "year": 2025}) == "{year} 2025"

    def test_the_thank_you_letter_is_an_unnumbered_kind(self, cast, body_a):
        document = issue(cast.principal_a, body_a, kind="thu_cam_on", summary="Quỹ khuyến học")
        assert document.number is None and document.symbol == ""


class TestTheStoredFile:
    def test_its_checksum_is_kept_and_a_tampered_file_is_not_served(self, cast, body_a, client_for):
        from django.urls import reverse

        document = issue(cast.principal_a, body_a)
        client = client_for(cast.principal_a)
        assert client.get(reverse("documents:docx", args=[document.pk])).status_code == 200
        with open(document.file.path, "ab") as fh:
            fh.write(b"tampered")
        assert client.get(reverse("documents:docx", args=[document.pk])).status_code == 404


class TestAPlanIssuedThroughTheService:
    """What the plans will do: build the full layout with the number the issue allocates, then read the stored file."""

    def test_the_stored_file_has_the_plans_outline_and_layout(self, cast, body_a):
        def build(number_line, symbol):
            return statedoc.Document(
                header=statedoc.Header(
                    body=body_a.name, parent=body_a.parent_name, place=body_a.place, on=DAY, number=number_line
                ),
                title="KẾ HOẠCH",
                summary="Phối hợp giữa nhà trường và các tổ chức",
                sections=[
                    statedoc.Section(
                        "KẾ HOẠCH HOẠT ĐỘNG",
                        tables=[statedoc.Table(["Tháng", "Nội dung"], [["10+11/2025", "Vận động trẻ ra lớp"]])],
                    )
                ],
                signatures=[
                    statedoc.Signature("CHỦ TỊCH", "", label="MẶT TRẬN TỔ QUỐC XÃ"),
                    statedoc.Signature("CT.CĐCS", ""),
                    statedoc.Signature("HIỆU TRƯỞNG", "Trần Văn Bình"),
                    statedoc.Signature("TỔNG PHỤ TRÁCH ĐỘI", ""),
                ],
                confirmation=statedoc.Signature(
                    "PHÓ CHỦ TỊCH",
                    "",
                    prefixes=("TM. ỦY BAN NHÂN DÂN XÃ", "KT. CHỦ TỊCH"),
                    label="XÁC NHẬN CỦA UBND XÃ",
                ),
                recipients=[statedoc.Recipient("UBND xã Trà Linh", "để báo cáo")],
                annexes=[statedoc.Annex("Chỉ tiêu", paragraphs=["Huy động 100% trẻ."])],
            )

        document = issue(cast.principal_a, body_a, build=build)
        with document.file.open("rb") as fh:
            doc = open_docx(io.BytesIO(fh.read()))
        assert "Số: 01/KH-THTN" in [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs]
        assert doc.tables[1].rows[1].cells[0].text == "10+11/2025"
        assert [c.paragraphs[0].text for c in doc.tables[2].rows[0].cells] == [
            "MẶT TRẬN TỔ QUỐC XÃ",
            "CT.CĐCS",
            "HIỆU TRƯỞNG",
            "TỔNG PHỤ TRÁCH ĐỘI",
        ]
        assert [p.text for p in doc.tables[3].rows[0].cells[0].paragraphs][1:3] == [
            "TM. ỦY BAN NHÂN DÂN XÃ",
            "KT. CHỦ TỊCH",
        ]
        texts = [p.text for p in doc.paragraphs]
        assert texts[texts.index("Nơi nhận:") + 1 :][:2] == ["- UBND xã Trà Linh (để báo cáo);", "- Lưu: VT."]
        assert "PHỤ LỤC I" in texts and doc.sections[0].different_first_page_header_footer
        assert document.recipients == "UBND xã Trà Linh (để báo cáo);\nLưu: VT."


class TestAsIssued:
    def test_the_database_refuses_to_change_an_issued_document(self, cast, body_a):
        from django.db import DatabaseError, transaction

        document = issue(cast.principal_a, body_a)
        for change in ({"number": 9}, {"summary": "Sửa sau khi ban hành"}, {"sha256": "0" * 64}, {"file": "x.docx"}):
            with pytest.raises(DatabaseError, match="kept as issued"), transaction.atomic():
                Document.objects.filter(pk=document.pk).update(**change)
        Document.objects.filter(pk=document.pk).update(pdf_state=Document.PdfState.FAILED)  # its PDF may follow
        document.refresh_from_db()
        assert (document.number, document.pdf_state) == (1, "failed")
