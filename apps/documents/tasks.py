"""The documents' background work (django.tasks; `manage.py db_worker` runs it): a document's PDF through
LibreOffice (`apps.documents.pdf`, one at a time, with a timeout). A failure is kept on the document with its
reason; asking again retries."""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.tasks import task

from apps.documents import pdf
from apps.documents.models import Document

logger = logging.getLogger(__name__)


@task
def make_pdf(document_id: int) -> None:
    document = Document.objects.filter(pk=document_id, pdf_state=Document.PdfState.PENDING).first()
    if document is None:
        return
    try:
        with document.file.open("rb") as fh:
            content = fh.read()
        if hashlib.sha256(content).hexdigest() != document.sha256:
            raise pdf.PdfError("the stored file does not match its checksum")
        result = pdf.convert(content)
    except (pdf.PdfError, OSError) as exc:
        logger.warning("PDF of document %s failed: %s", document_id, exc)
        Document.objects.filter(pk=document_id).update(pdf_state=Document.PdfState.FAILED, pdf_error=str(exc)[:500])
        return
    name = f"{document.symbol.replace('/', '-') or document.kind}.pdf"
    document.pdf.save(name, ContentFile(result), save=False)
    Document.objects.filter(pk=document_id).update(pdf=document.pdf.name, pdf_state=Document.PdfState.READY)
