"""The PDF of an issued document, through LibreOffice headless, in the background task. Under CI (CI=1 or true)
a missing LibreOffice or poppler is a failure, never a skip: `.ci/run` installs libreoffice-writer-nogui,
fonts-liberation2 and poppler-utils."""

import os
import shutil
import subprocess

import pytest
from django.urls import reverse

from apps.core import statedoc
from apps.documents import pdf, services
from apps.documents.models import Document
from apps.documents.tests.conftest import issue

UNDER_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _need_tools():
    missing = [tool for tool in ("soffice", "pdffonts", "pdftotext") if not shutil.which(tool)]
    if missing:
        message = (
            f"missing {', '.join(missing)}: apt-get install libreoffice-writer-nogui fonts-liberation2 poppler-utils"
        )
        if UNDER_CI:
            pytest.fail(message)
        pytest.skip(message)


def _fonts(path) -> list[str]:
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    return [line.split()[0].split("+")[-1] for line in lines[2:] if line.strip()]


class TestThePdf:
    def test_it_is_made_in_the_background_in_liberation_serif_with_the_motto_intact(
        self, cast, body_a, client_for, tmp_path, django_capture_on_commit_callbacks
    ):
        _need_tools()
        document = issue(cast.principal_a, body_a, text="Huy động 100% trẻ 6 tuổi vào lớp 1.")
        client = client_for(cast.principal_a)
        assert client.get(reverse("documents:pdf", args=[document.pk])).status_code == 404  # not made yet
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("documents:pdf_make", args=[document.pk]))
        assert response.status_code == 302
        document.refresh_from_db()
        assert document.pdf_state == Document.PdfState.READY, document.pdf_error
        response = client.get(reverse("documents:pdf", args=[document.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment")
        path = tmp_path / "document.pdf"
        path.write_bytes(response.content)
        fonts = _fonts(path)
        serif = [f for f in fonts if "Serif" in f or "Times" in f or "Roman" in f]
        assert serif and all(f.startswith("LiberationSerif") for f in serif), fonts
        assert all(f.startswith("LiberationSerif") for f in fonts), fonts  # and nothing else was substituted
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert statedoc.MOTTO == "Độc lập - Tự do - Hạnh phúc"
        assert "Độc lập - Tự do - Hạnh phúc" in text
        assert "Số: 01/KH-THTN" in text and "TRƯỜNG PTDTBT TIỂU HỌC" in text

    def test_a_conversion_past_the_timeout_fails_cleanly(self, cast, body_a, settings, tmp_path):
        fake = tmp_path / "soffice"
        fake.write_text("#!/bin/sh\nsleep 30\n")
        fake.chmod(0o755)
        settings.PDF_TIMEOUT_SECONDS = 1
        original = pdf.soffice
        pdf.soffice = lambda: str(fake)
        try:
            with pytest.raises(pdf.PdfError, match="longer than 1 s"):
                pdf.convert(b"not even a docx")
        finally:
            pdf.soffice = original

    def test_a_failed_conversion_is_kept_with_its_reason(self, cast, body_a, django_capture_on_commit_callbacks):
        document = issue(cast.principal_a, body_a)
        original = pdf.soffice
        pdf.soffice = lambda: None
        try:
            with django_capture_on_commit_callbacks(execute=True):
                services.pdf_request(actor=cast.principal_a, document=document)
        finally:
            pdf.soffice = original
        document.refresh_from_db()
        assert document.pdf_state == Document.PdfState.FAILED and "not installed" in document.pdf_error


class TestTheRequest:
    def test_each_request_that_starts_a_pdf_is_audited_once(self, cast, body_a, django_capture_on_commit_callbacks):
        from apps.core.models import AuditEvent

        document = issue(cast.principal_a, body_a)
        original = pdf.soffice
        pdf.soffice = lambda: None  # the conversion fails at once: the document can be asked for again
        try:
            for _ in range(2):
                with django_capture_on_commit_callbacks(execute=True):
                    services.pdf_request(actor=cast.principal_a, document=document)
        finally:
            pdf.soffice = original
        events = AuditEvent.objects.filter(action="documents.pdf_request", object_id=str(document.pk))
        assert events.count() == 2
        event = events.first()
        assert event.actor == cast.principal_a and event.org_unit == body_a.commune
        assert event.changes["pdf_state"][1] == Document.PdfState.PENDING

    def test_asking_while_it_is_being_made_records_nothing(self, cast, body_a):
        from apps.core.models import AuditEvent

        document = issue(cast.principal_a, body_a)
        services.pdf_request(actor=cast.principal_a, document=document)  # outside a test's commit: stays pending
        services.pdf_request(actor=cast.principal_a, document=document)
        assert AuditEvent.objects.filter(action="documents.pdf_request").count() == 1
