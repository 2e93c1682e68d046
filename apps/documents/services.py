"""Writes of the documents app, each an audited transaction: issuing bodies, issuing a document (its number
allocated in the same transaction as the register entry and its stored file), entering a paper document in the
register, attachments, and asking for a PDF (made in the background).

For the plans (and any app above): `document_issue(..., build=...)` takes a function that receives the number and
symbol line ("Số: 12/KH-THTN", "" when unnumbered) and returns the `statedoc.Document` to render; the number is
known only inside the issuing transaction, so the caller's content is rendered there."""

import datetime
import hashlib
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core import doctemplate, statedoc
from apps.core.audit import audit_record
from apps.core.counters import advance_to, next_number
from apps.core.scoping import CHANGE, get_scoped_or_404, scope_for
from apps.documents import attachments
from apps.documents.models import Attachment, Document, IssuingBody, Numbering


def _check_owner(actor, *, school=None, org_unit=None, organisation=None) -> None:
    """The actor runs this owner (the rule `models.body_q` gives for change): its principal or its managing unit's
    officers for a school, that unit's own officers for a unit, its partner officers for an organisation."""
    owners = [(k, v) for k, v in (("school", school), ("org_unit", org_unit), ("organisation", organisation)) if v]
    if len(owners) != 1:
        raise ValidationError(_("Cơ quan ban hành phải thuộc đúng một trường, một đơn vị hoặc một tổ chức."))
    scope = scope_for(actor)
    key, value = owners[0]
    if not (scope.is_admin or _may_create_for(scope, key, value)):
        raise PermissionDenied


def _may_create_for(scope, key: str, value) -> bool:
    if key == "school":
        return value.pk in scope.principal_school_ids or value.managed_by.path in scope.officer_paths
    if key == "org_unit":
        return value.path in scope.officer_paths
    return value.pk in scope.organisation_ids


def body_create(
    *,
    actor,
    name: str,
    abbreviation: str,
    place: str,
    parent_name: str = "",
    numbering: str = Numbering.PER_TYPE,
    school=None,
    org_unit=None,
    organisation=None,
) -> IssuingBody:
    with transaction.atomic():
        _check_owner(actor, school=school, org_unit=org_unit, organisation=organisation)
        body = IssuingBody(
            name=name.strip(),
            abbreviation=abbreviation.strip().upper(),
            place=place.strip(),
            parent_name=parent_name.strip(),
            numbering=numbering,
            school=school,
            org_unit=org_unit,
            organisation=organisation,
            created_by=actor,
        )
        body.full_clean()
        body.save()
        audit_record(
            actor=actor,
            action="documents.body_create",
            obj=body,
            org_unit=body.commune,
            changes={"abbreviation": body.abbreviation, "numbering": body.numbering},
        )
    return body


def series_of(body: IssuingBody, type_code: str) -> str:
    return "" if body.numbering == Numbering.SHARED else type_code


def counter_key(body: IssuingBody, year: int, series: str) -> str:
    return f"documents:{body.pk}:{year}:{series or '*'}"


def symbol(body: IssuingBody, number: int | None, type_code: str) -> str:
    """ "07/KH-THTN": the number (two digits at least) over the type and the body's abbreviation."""
    if number is None:
        return ""
    return f"{number:02d}/{type_code}-{body.abbreviation}" if type_code else f"{number:02d}/{body.abbreviation}"


def context_of(body: IssuingBody, *, on: datetime.date, number: str = "", summary: str = "", **more) -> dict:
    """The fixed placeholders' values for a body on a day (`apps.core.doctemplate.PLACEHOLDERS`)."""
    start = on.year if on.month >= 7 else on.year - 1
    return {
        "body": body.name,
        "parent": body.parent_name,
        "abbreviation": body.abbreviation,
        "place": body.place,
        "date": f"{on:%d/%m/%Y}",
        "year": on.year,
        "school_year": f"{start}-{start + 1}",
        "number": number,
        "summary": summary,
        **more,
    }


def build_from_kind(
    body: IssuingBody,
    kind: doctemplate.Kind,
    *,
    on: datetime.date,
    summary: str,
    text: str = "",
    signer_name: str = "",
    signer_position: str = "",
    prefixes: tuple[str, ...] = (),
    recipients: list[statedoc.Recipient] | None = None,
) -> Callable[[str, str], statedoc.Document]:
    """The builder `document_issue` calls with the number: the kind's text filled, then the person's own text
    as paragraphs of its own (one per blank-line-separated block; never filled, so "{year}" in it stays)."""
    own = [doctemplate.clean(block.strip()) for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]

    def build(number_line: str, symbol_: str) -> statedoc.Document:
        context = context_of(body, on=on, number=symbol_, summary=summary)
        listed = (
            recipients
            if recipients is not None
            else [statedoc.Recipient(*doctemplate.recipient(line, context)) for line in kind.recipients]
        )
        return statedoc.Document(
            header=statedoc.Header(
                body=body.name, parent=body.parent_name, number=number_line, place=body.place, on=on
            ),
            title=kind.title,
            summary=doctemplate.fill(kind.summary, context),
            addressee=doctemplate.fill(kind.addressee, context) if kind.addressee else "",
            paragraphs=[doctemplate.fill(p, context) for p in kind.paragraphs] + own,
            signature=statedoc.Signature(
                signer_position or kind.position, doctemplate.clean(signer_name), prefixes=tuple(prefixes)
            ),
            recipients=[r for r in listed if r.name],
        )

    return build


def document_issue(
    *,
    actor,
    body: IssuingBody,
    kind: str,
    summary: str,
    issued_on: datetime.date,
    build: Callable[[str, str], statedoc.Document] | None = None,
    text: str = "",
    signer_name: str = "",
    signer_position: str = "",
    prefixes: tuple[str, ...] = (),
    recipients: list[statedoc.Recipient] | None = None,
    supersedes: Document | None = None,
) -> Document:
    """Issue a document: its number (when its kind is numbered) is the next of the body's series for the year,
    allocated in this transaction, so concurrent issues get consecutive numbers and a failed one gives its
    number back; the rendered file is stored with its checksum and never rewritten."""
    found = doctemplate.kind(kind)
    summary = doctemplate.clean(summary).strip()
    if not summary:
        raise ValidationError({"summary": _("Văn bản cần có trích yếu.")})
    if build is None:
        build = build_from_kind(
            body,
            found,
            on=issued_on,
            summary=summary,
            text=text,
            signer_name=signer_name,
            signer_position=signer_position,
            prefixes=prefixes,
            recipients=recipients,
        )
    with transaction.atomic():
        body = get_scoped_or_404(IssuingBody, actor, CHANGE, pk=body.pk)
        series = series_of(body, found.type_code)
        number = next_number(counter_key(body, issued_on.year, series)) if found.numbered else None
        symbol_ = symbol(body, number, found.type_code)
        document = build(f"Số: {symbol_}" if symbol_ else "", symbol_)
        content = statedoc.render(document)
        signer = document.signers()[0] if document.signers() else None
        entry = Document(
            body=body,
            kind=found.code,
            type_code=found.type_code,
            series=series if found.numbered else "",
            year=issued_on.year,
            number=number,
            symbol=symbol_,
            issued_on=issued_on,
            summary=summary[:500],
            signer_name=signer.name if signer else "",
            signer_position=signer.position if signer else "",
            recipients="\n".join(statedoc.recipient_lines(document.recipients)),
            source=Document.Source.SYSTEM,
            sha256=hashlib.sha256(content).hexdigest(),
            supersedes=supersedes,
            created_by=actor,
        )
        entry.full_clean(exclude=["file"])
        entry.file.save(f"{symbol_.replace('/', '-') or found.code}.docx", ContentFile(content), save=False)
        entry.save()
        audit_record(
            actor=actor,
            action="documents.document_issue",
            obj=entry,
            org_unit=body.commune,
            changes={"symbol": symbol_, "kind": found.code, "sha256": entry.sha256},
        )
    return entry


def owner_document_issue(
    *,
    actor,
    school=None,
    org_unit=None,
    organisation=None,
    facts: dict,
    kind: str,
    summary: str,
    issued_on: datetime.date,
    build: Callable[[IssuingBody, str, str], statedoc.Document],
) -> Document:
    """`document_issue` for an owner (exactly one of a school, a unit, an organisation), by its issuing body: its
    first, as a plan's owner finds its own, or one made from `facts` (name, abbreviation, place, parent_name) when
    it has none yet. `build` receives the body, the number line and the symbol. Registered for the apps below this
    one (`apps.core.issuing`)."""
    with transaction.atomic():
        body = (
            IssuingBody.objects.filter(school=school, org_unit=org_unit, organisation=organisation)
            .order_by("pk")
            .first()
        )
        if body is None:
            body = body_create(actor=actor, school=school, org_unit=org_unit, organisation=organisation, **facts)
        return document_issue(
            actor=actor,
            body=body,
            kind=kind,
            summary=summary,
            issued_on=issued_on,
            build=lambda number_line, symbol_: build(body, number_line, symbol_),
        )


def document_enter_paper(
    *,
    actor,
    body: IssuingBody,
    kind: str,
    summary: str,
    issued_on: datetime.date,
    number: int | None = None,
    signer_name: str = "",
    signer_position: str = "",
    scan=None,
) -> Document:
    """Enter a document issued on paper in the register, so that the numbers match the office's book: with the
    number written on it (refused when the series already holds it; the series then continues after it), or
    without one to take the next number. A scan, if given, is attached through the attachment service."""
    found = doctemplate.kind(kind)
    summary = doctemplate.clean(summary).strip()
    if not summary:
        raise ValidationError({"summary": _("Văn bản cần có trích yếu.")})
    if found.numbered is False and number is not None:
        raise ValidationError({"number": _("Loại văn bản này không đánh số.")})
    with transaction.atomic():
        body = get_scoped_or_404(IssuingBody, actor, CHANGE, pk=body.pk)
        series = series_of(body, found.type_code) if found.numbered else ""
        key = counter_key(body, issued_on.year, series)
        if found.numbered:
            if number is None:
                number = next_number(key)
            else:
                if number < 1:
                    raise ValidationError({"number": _("Số văn bản phải từ 1 trở lên.")})
                advance_to(key, number)
                if Document.objects.filter(body=body, year=issued_on.year, series=series, number=number).exists():
                    raise ValidationError(
                        {
                            "number": _("Số %(number)s năm %(year)s đã có trong sổ của %(body)s.")
                            % {"number": f"{number:02d}", "year": issued_on.year, "body": body.name}
                        }
                    )
        symbol_ = symbol(body, number, found.type_code)
        entry = Document(
            body=body,
            kind=found.code,
            type_code=found.type_code,
            series=series,
            year=issued_on.year,
            number=number,
            symbol=symbol_,
            issued_on=issued_on,
            summary=summary[:500],
            signer_name=doctemplate.clean(signer_name)[:150],
            signer_position=doctemplate.clean(signer_position)[:150],
            source=Document.Source.PAPER,
            created_by=actor,
        )
        entry.full_clean()
        entry.save()
        audit_record(
            actor=actor,
            action="documents.document_enter_paper",
            obj=entry,
            org_unit=body.commune,
            changes={"symbol": symbol_, "kind": found.code},
        )
        if scan is not None:
            attachment_add(actor=actor, body=body, upload=scan, document=entry)
    return entry


def attachment_add(*, actor, body: IssuingBody, upload, document: Document | None = None) -> Attachment:
    """Store one uploaded file after `attachments.accept` (content checked, images re-encoded)."""
    size_limit = attachments.max_bytes()
    if getattr(upload, "size", 0) > size_limit:
        raise ValidationError(
            _("Tệp %(file)s lớn hơn %(max)s MB: không nhận.") % {"file": upload.name, "max": size_limit // 2**20}
        )
    data = upload.read(size_limit + 1)
    accepted = attachments.accept(upload.name, data)
    with transaction.atomic():
        body = get_scoped_or_404(IssuingBody, actor, CHANGE, pk=body.pk)
        if document is not None and document.body_id != body.pk:
            raise ValidationError(_("Văn bản không thuộc cơ quan ban hành này."))
        item = Attachment(
            body=body,
            document=document,
            filename=accepted.filename,
            content_type=accepted.content_type,
            size=len(accepted.data),
            sha256=hashlib.sha256(accepted.data).hexdigest(),
            uploaded_by=actor,
        )
        item.file.save(accepted.filename, ContentFile(accepted.data), save=False)
        item.save()
        audit_record(
            actor=actor,
            action="documents.attachment_add",
            obj=item,
            org_unit=body.commune,
            changes={"filename": item.filename, "content_type": item.content_type, "size": item.size},
        )
    return item


def pdf_request(*, actor, document: Document) -> Document:
    """Ask for the document's PDF: made once, in the background (`tasks.make_pdf`); the request is audited (asking
    again while it is being made, or once it is made, changes nothing and records nothing)."""
    from apps.documents import tasks

    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if not locked.file or locked.pdf_state in (Document.PdfState.PENDING, Document.PdfState.READY):
            return locked
        Document.objects.filter(pk=locked.pk).update(pdf_state=Document.PdfState.PENDING, pdf_error="")
        audit_record(
            actor=actor,
            action="documents.pdf_request",
            obj=locked,
            org_unit=locked.body.commune,
            changes={"pdf_state": [locked.pdf_state, Document.PdfState.PENDING]},
        )
        transaction.on_commit(lambda: tasks.make_pdf.enqueue(locked.pk))
    locked.refresh_from_db()
    return locked
