"""The documents' pages and API, each against the cast: without permission, with it, and with a narrower grant."""

import io

import pytest
from django.urls import reverse
from docx import Document as open_docx

from apps.documents.models import Document, IssuingBody
from apps.documents.tests.conftest import issue


class TestTheBodies:
    def test_the_list_shows_only_bodies_in_scope(self, cast, body_a, body_b, client_for):
        page = client_for(cast.teacher_a).get(reverse("documents:list")).content.decode()
        assert body_a.name in page and body_b.name not in page

    def test_a_principal_opens_a_body_for_their_school(self, cast, client_for):
        client = client_for(cast.principal_a)
        form = client.get(reverse("documents:body_create")).content.decode()
        assert f'value="school:{cast.school_a.pk}"' in form and f"school:{cast.school_b.pk}" not in form
        response = client.post(
            reverse("documents:body_create"),
            {
                "owner": f"school:{cast.school_a.pk}",
                "name": "Trường PTDTBT Tiểu học Trà Nam",
                "abbreviation": "THTN",
                "place": "Trà Linh",
                "numbering": "per_type",
            },
        )
        body = IssuingBody.objects.get(school=cast.school_a, abbreviation="THTN")  # the demo's plan made another
        assert response.status_code == 302 and response["Location"] == reverse("documents:register", args=[body.pk])

    def test_a_teacher_may_not_open_a_body(self, cast, client_for):
        assert client_for(cast.teacher_a).get(reverse("documents:body_create")).status_code == 403

    def test_a_principal_cannot_open_one_for_another_school(self, cast, client_for):
        response = client_for(cast.principal_a).post(
            reverse("documents:body_create"),
            {
                "owner": f"school:{cast.school_b.pk}",
                "name": "X",
                "abbreviation": "X",
                "place": "X",
                "numbering": "per_type",
            },
        )
        assert response.status_code == 200 and not IssuingBody.objects.filter(school=cast.school_b).exists()


class TestTheRegister:
    def test_it_lists_the_year_and_type_asked_for(self, cast, body_a, client_for):
        import datetime

        issue(cast.principal_a, body_a, summary="Kế hoạch năm nay")
        issue(cast.principal_a, body_a, kind="bao_cao", summary="Báo cáo năm nay")
        issue(cast.principal_a, body_a, on=datetime.date(2024, 10, 1), summary="Kế hoạch năm trước")
        url = reverse("documents:register", args=[body_a.pk])
        client = client_for(cast.teacher_a)
        page = client.get(url, {"year": 2025, "type_code": "KH"}).content.decode()
        assert "Kế hoạch năm nay" in page and "01/KH-THTN" in page
        assert "Báo cáo năm nay" not in page and "Kế hoạch năm trước" not in page
        assert "Ban hành văn bản" not in page  # a teacher reads, does not issue
        assert client_for(cast.teacher_b).get(url).status_code == 404

    def test_the_register_keeps_a_fixed_number_of_queries(
        self, cast, body_a, client_for, django_assert_max_num_queries, django_assert_num_queries
    ):
        for _ in range(3):
            issue(cast.principal_a, body_a)
        client = client_for(cast.principal_a)
        url = reverse("documents:register", args=[body_a.pk])
        client.get(url)
        with django_assert_max_num_queries(20) as few:
            client.get(url)
        for _ in range(5):
            issue(cast.principal_a, body_a)
        with django_assert_num_queries(len(few.captured_queries)):  # the same, whatever the number of rows
            client.get(url)


class TestIssuing:
    def test_a_principal_issues_and_downloads_the_word_file(self, cast, body_a, client_for):
        client = client_for(cast.principal_a)
        url = reverse("documents:issue", args=[body_a.pk])
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "kind": "ke_hoach",
                "summary": "Huy động trẻ ra lớp năm học 2025-2026",
                "issued_on": "05/09/2025",
                "text": "Mục tiêu một.\n\nMục tiêu hai.",
                "signer_position": "Phó hiệu trưởng",
                "signer_name": "Lê Văn Phó",
                "prefixes": "KT. HIỆU TRƯỞNG",
                "recipients": "UBND xã Trà Linh | để báo cáo\nLưu: VT\nCác tổ | để thực hiện",
            },
        )
        assert response.status_code == 302
        document = Document.objects.get(body=body_a)
        assert document.symbol == "01/KH-THTN"
        download = client.get(reverse("documents:docx", args=[document.pk]))
        assert download["Content-Disposition"] == 'attachment; filename="01-KH-THTN.docx"'
        assert download["X-Content-Type-Options"] == "nosniff"
        doc = open_docx(io.BytesIO(download.content))
        texts = [p.text for p in doc.paragraphs]
        assert "Mục tiêu một." in texts and "Mục tiêu hai." in texts
        sign = [p.text for p in doc.tables[1].rows[0].cells[1].paragraphs]
        assert sign[:2] == ["KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"] and sign[-1] == "Lê Văn Phó"
        recipients = [p.text for p in doc.tables[1].rows[0].cells[0].paragraphs]
        assert recipients == ["Nơi nhận:", "- UBND xã Trà Linh (để báo cáo);", "- Các tổ (để thực hiện);", "- Lưu: VT."]

    @pytest.mark.parametrize("member, status", [("teacher_a", 403), ("teacher_b", 404), ("partner", 403)])
    def test_others_may_not_issue(self, cast, body_a, client_for, member, status):
        response = client_for(getattr(cast, member)).get(reverse("documents:issue", args=[body_a.pk]))
        assert response.status_code == status

    def test_a_bad_date_is_named(self, cast, body_a, client_for):
        response = client_for(cast.principal_a).post(
            reverse("documents:issue", args=[body_a.pk]),
            {"kind": "ke_hoach", "summary": "X", "issued_on": "31/02/2025"},
        )
        assert response.status_code == 200 and not Document.objects.exists()

    def test_a_download_out_of_scope_is_404(self, cast, body_a, client_for):
        document = issue(cast.principal_a, body_a)
        assert client_for(cast.teacher_b).get(reverse("documents:docx", args=[document.pk])).status_code == 404
        assert client_for(cast.teacher_a).get(reverse("documents:docx", args=[document.pk])).status_code == 200


class TestPaperEntries:
    def test_a_paper_document_is_entered_with_its_scan(self, cast, body_a, client_for):
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = client_for(cast.principal_a).post(
            reverse("documents:paper", args=[body_a.pk]),
            {
                "kind": "ke_hoach",
                "number": "12",
                "issued_on": "01/09/2025",
                "summary": "Kế hoạch ký trên giấy",
                "scan": SimpleUploadedFile("ban-quet.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n"),
            },
        )
        assert response.status_code == 302
        paper = Document.objects.get(body=body_a)
        assert paper.symbol == "12/KH-THTN" and paper.attachments.get().filename == "ban-quet.pdf"
        assert issue(cast.principal_a, body_a).symbol == "13/KH-THTN"

    def test_a_clashing_number_is_shown_on_the_form(self, cast, body_a, client_for):
        issue(cast.principal_a, body_a)
        response = client_for(cast.principal_a).post(
            reverse("documents:paper", args=[body_a.pk]),
            {"kind": "ke_hoach", "number": "1", "issued_on": "01/09/2025", "summary": "Trùng số"},
        )
        assert response.status_code == 200 and "đã có trong sổ" in response.content.decode()


class TestTheApi:
    def test_the_register_is_scoped(self, cast, body_a, client_for):
        issue(cast.principal_a, body_a)
        client = client_for(cast.teacher_a)
        bodies = client.get("/api/v1/documents/bodies").json()
        own = IssuingBody.objects.filter(school=cast.school_a)  # body_a, and the one the demo's plan of Trà Nam made
        assert sorted(b["abbreviation"] for b in bodies["items"]) == sorted(own.values_list("abbreviation", flat=True))
        assert "THTN" in [b["abbreviation"] for b in bodies["items"]]
        rows = client.get(f"/api/v1/documents/bodies/{body_a.pk}/register", {"year": 2025}).json()
        assert [r["symbol"] for r in rows["items"]] == ["01/KH-THTN"] and rows["items"][0]["has_file"]
        assert client_for(cast.teacher_b).get(f"/api/v1/documents/bodies/{body_a.pk}/register").status_code == 404
