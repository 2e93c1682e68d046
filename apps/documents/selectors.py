"""Reads of the documents app, each starting from the scoped queryset (`restrict`)."""

from apps.core import doctemplate
from apps.core.scoping import CHANGE, VIEW, get_scoped_or_404
from apps.documents.models import Attachment, Document, IssuingBody


def body_list(user, action: str = VIEW):
    return IssuingBody.objects.restrict(user, action).select_related("school", "org_unit", "organisation")


def body_for(user, pk: int, action: str = VIEW) -> IssuingBody:
    return get_scoped_or_404(IssuingBody, user, action, pk=pk)


def register(user, body: IssuingBody, *, year: int | None = None, type_code: str = ""):
    """The body's outgoing register (sổ văn bản đi), newest first, filtered by year and type."""
    rows = (
        Document.objects.restrict(user, VIEW).filter(body=body).select_related("body").prefetch_related("attachments")
    )
    if year:
        rows = rows.filter(year=year)
    if type_code:
        rows = rows.filter(type_code=type_code)
    return rows


def years_of(body: IssuingBody) -> list[int]:
    return list(Document.objects.filter(body=body).order_by("-year").values_list("year", flat=True).distinct())


def document_for(user, pk: int, action: str = VIEW) -> Document:
    return get_scoped_or_404(Document.objects.select_related("body"), user, action, pk=pk)


def attachment_for(user, pk: int) -> Attachment:
    return get_scoped_or_404(Attachment.objects.select_related("body"), user, VIEW, pk=pk)


def issuable_kinds() -> list[doctemplate.Kind]:
    """The kinds a person may issue from the register page (numbered ones; unnumbered kinds belong to their
    app's own flow, the thank-you letter to its donation)."""
    return sorted((k for k in doctemplate.kinds().values() if k.numbered), key=lambda k: k.name)


def may_issue(user, body: IssuingBody) -> bool:
    return IssuingBody.objects.restrict(user, CHANGE).filter(pk=body.pk).exists()
