"""Attachments are accepted by content: forged files are refused with a message naming them, photos come back
without their location, zip bombs stop at the limit, and downloads are scoped and never rendered in the browser."""

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.documents import attachments, services


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    gps = {1: "N", 2: (15.0, 30.0, 0.0), 3: "E", 4: (108.0, 10.0, 0.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _png(width=32, height=32) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 120, 0)).save(out, "PNG")
    return out.getvalue()


def _docx_bomb(size=5 * 2**20) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b"\0" * size + b"</w:document>")
    return out.getvalue()


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Chỉ tiêu"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class TestWhatIsAccepted:
    def test_a_png_that_is_html_is_refused(self):
        with pytest.raises(ValidationError, match=r"anh\.png không thuộc loại được nhận"):
            attachments.accept("anh.png", b"<html><script>alert(1)</script></html>")

    def test_a_png_header_over_html_is_refused(self):
        with pytest.raises(ValidationError, match="không phải ảnh JPEG hay PNG hợp lệ"):
            attachments.accept("anh.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>")

    def test_a_forged_extension_is_refused(self):
        with pytest.raises(ValidationError, match=r"mang đuôi \.pdf nhưng nội dung là PNG"):
            attachments.accept("bien-ban.pdf", _png())

    def test_a_docx_that_is_a_zip_bomb_is_refused(self, settings):
        settings.ATTACHMENT_MAX_UNCOMPRESSED_BYTES = 2**20
        data = _docx_bomb()
        assert len(data) < 50_000  # small on the wire, five megabytes inflated
        with pytest.raises(ValidationError, match="khi giải nén vượt quá 1 MB"):
            attachments.accept("ke-hoach.docx", data)

    def test_a_zip_that_is_no_office_file_is_refused(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("evil.html", "<html></html>")
        with pytest.raises(ValidationError, match="không phải tệp Word hay Excel hợp lệ"):
            attachments.accept("bao-cao.docx", out.getvalue())

    def test_a_jpeg_comes_back_without_its_location(self):
        data = _jpeg_with_gps()
        assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the original has GPS
        accepted = attachments.accept("C:\\Users\\x\\anh-le-khai-giang.JPG", data)
        assert accepted.filename == "anh-le-khai-giang.jpg" and accepted.content_type == attachments.JPEG
        image = Image.open(io.BytesIO(accepted.data))
        assert image.size == (64, 48)
        assert not image.getexif() and b"Exif" not in accepted.data

    def test_an_image_too_large_is_refused_before_it_is_decoded(self, settings):
        settings.ATTACHMENT_MAX_PIXELS = 1000
        with pytest.raises(ValidationError, match="100 × 100 điểm ảnh"):
            attachments.accept("anh.png", _png(100, 100))

    def test_a_file_over_the_size_setting_is_refused(self, settings):
        settings.ATTACHMENT_MAX_BYTES = 100
        with pytest.raises(ValidationError, match="lớn hơn"):
            attachments.accept("a.pdf", b"%PDF-1.4\n" + b"x" * 200 + b"\n%%EOF")

    def test_pdf_docx_and_xlsx_are_accepted(self):
        from docx import Document as new_docx

        out = io.BytesIO()
        new_docx().save(out)
        assert attachments.accept("a.docx", out.getvalue()).content_type == attachments.DOCX
        assert attachments.accept("a.xlsx", _xlsx()).content_type == attachments.XLSX
        assert attachments.accept("a.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n").content_type == attachments.PDF


class TestTheDownload:
    def test_it_is_scoped_and_sent_as_an_attachment_with_nosniff(self, cast, body_a, client_for):
        item = services.attachment_add(
            actor=cast.principal_a, body=body_a, upload=SimpleUploadedFile("anh.jpg", _jpeg_with_gps())
        )
        url = reverse("documents:attachment", args=[item.pk])
        response = client_for(cast.teacher_a).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="anh.jpg"'
        assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "image/jpeg"
        assert not Image.open(io.BytesIO(response.content)).getexif()
        assert client_for(cast.teacher_b).get(url).status_code == 404
        assert client_for(cast.anonymous).get(url).status_code == 302

    def test_the_upload_page_refuses_a_forged_file_with_its_name(self, cast, body_a, client_for):
        response = client_for(cast.principal_a).post(
            reverse("documents:attach", args=[body_a.pk]),
            {"file": SimpleUploadedFile("anh.png", b"<html>hi</html>")},
            follow=True,
        )
        assert "anh.png không thuộc loại được nhận" in response.content.decode()
        assert not body_a.attachments.exists()

    def test_a_teacher_cannot_upload(self, cast, body_a, client_for):
        response = client_for(cast.teacher_a).post(
            reverse("documents:attach", args=[body_a.pk]), {"file": SimpleUploadedFile("a.png", _png())}
        )
        assert response.status_code == 403
