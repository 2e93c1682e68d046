"""The documents' pages: the issuing bodies a user sees, each body's outgoing register (filtered by year and
type), issuing a document, entering a paper one, attachments, and the downloads (scoped: out of scope is 404).
Thin views: the rules are in `services` and `selectors`."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.audit import audit_record
from apps.core.models import AuditEvent
from apps.core.scoping import CHANGE, MANAGE, scope_for
from apps.documents import selectors, services
from apps.documents.forms import AttachmentForm, BodyForm, IssueForm, PaperForm, RegisterFilterForm
from apps.documents.site import may_open_documents


def _open(request):
    if not may_open_documents(request.user):
        raise PermissionDenied


def _errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _owners(user) -> list[tuple[str, object, str]]:
    """What the user may open an issuing body for: (key, owner, label)."""
    from apps.orgunits.models import OrgUnit
    from apps.schools.models import Organisation, School

    scope = scope_for(user)
    found = [(f"school:{s.pk}", s, s.name) for s in School.objects.restrict(user, MANAGE).order_by("name")[:200]]
    units = OrgUnit.objects.all() if scope.is_admin else OrgUnit.objects.filter(path__in=scope.officer_paths)
    found += [(f"unit:{u.pk}", u, f"UBND {u.name}") for u in units.order_by("level", "name")[:200]]
    orgs = Organisation.objects.all() if scope.is_admin else Organisation.objects.filter(pk__in=scope.organisation_ids)
    found += [(f"org:{o.pk}", o, o.name) for o in orgs.order_by("name")[:200]]
    return found


@login_required
def body_list(request):
    _open(request)
    bodies = selectors.body_list(request.user)
    return render(
        request,
        "documents/list.html",
        {"bodies": bodies, "may_create": bool(_owners(request.user))},
    )


@login_required
def body_create(request):
    _open(request)
    owners = _owners(request.user)
    if not owners:
        raise PermissionDenied
    form = BodyForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
        try:
            body = services.body_create(actor=request.user, **data, **form.owner_kwargs())
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Đã lập cơ quan ban hành %(name)s.") % {"name": body.name})
            return redirect("documents:register", body.pk)
    return render(request, "documents/body_form.html", {"form": form})


@login_required
def register(request, pk: int):
    _open(request)
    body = selectors.body_for(request.user, pk)
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.register(request.user, body, year=filters.get("year"), type_code=filters.get("type_code") or "")
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/register.html",
        {
            "body": body,
            "form": form,
            "page": page,
            "years": selectors.years_of(body),
            "may_issue": selectors.may_issue(request.user, body),
            "attachments": body.attachments.filter(document__isnull=True)[:50],
            "attach_form": AttachmentForm(),
        },
    )


@login_required
def issue(request, pk: int):
    _open(request)
    body = selectors.body_for(request.user, pk, CHANGE)
    kinds = selectors.issuable_kinds()
    initial = {"issued_on": timezone.localdate().strftime("%d/%m/%Y")}
    form = IssueForm(request.POST or None, kinds=kinds, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_issue(
                actor=request.user,
                body=body,
                kind=data["kind"],
                summary=data["summary"],
                issued_on=data["issued_on"],
                text=data["text"],
                signer_name=data["signer_name"],
                signer_position=data["signer_position"].upper(),
                prefixes=form.prefix_lines(),
                recipients=form.recipient_list(),
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Đã ban hành văn bản số %(symbol)s.") % {"symbol": document.symbol})
            return redirect("documents:register", body.pk)
    return render(request, "documents/issue.html", {"body": body, "form": form})


@login_required
def paper(request, pk: int):
    _open(request)
    body = selectors.body_for(request.user, pk, CHANGE)
    kinds = selectors.issuable_kinds()
    form = PaperForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_enter_paper(
                actor=request.user,
                body=body,
                kind=data["kind"],
                number=data["number"],
                issued_on=data["issued_on"],
                summary=data["summary"],
                signer_name=data["signer_name"],
                signer_position=data["signer_position"],
                scan=data["scan"],
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Đã vào sổ văn bản số %(symbol)s.") % {"symbol": document.symbol})
            return redirect("documents:register", body.pk)
    return render(request, "documents/paper.html", {"body": body, "form": form})


@login_required
@require_POST
def attach(request, pk: int):
    _open(request)
    body = selectors.body_for(request.user, pk, CHANGE)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            item = services.attachment_add(actor=request.user, body=body, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã đính kèm tệp %(file)s.") % {"file": item.filename})
    else:
        messages.error(request, _("Chưa chọn tệp để đính kèm."))
    return redirect("documents:register", body.pk)


def _send(request, stored, filename: str, content_type: str, *, obj, body, sha256: str = ""):
    """A stored file as a download: an attachment, never rendered by the browser, its checksum checked."""
    with stored.open("rb") as fh:
        content = fh.read()
    if sha256 and hashlib.sha256(content).hexdigest() != sha256:
        raise Http404  # the stored file is not the one issued: never hand it out
    audit_record(
        actor=request.user,
        action="documents.download",
        obj=obj,
        org_unit=body.commune,
        kind=AuditEvent.Kind.READ,
        changes={"file": filename},
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _filename(document, extension: str) -> str:
    return f"{document.symbol.replace('/', '-') or document.kind}{extension}"


@login_required
def download_docx(request, pk: int):
    _open(request)
    document = selectors.document_for(request.user, pk)
    if not document.file:
        raise Http404
    return _send(
        request,
        document.file,
        _filename(document, ".docx"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        obj=document,
        body=document.body,
        sha256=document.sha256,
    )


@login_required
def download_pdf(request, pk: int):
    _open(request)
    document = selectors.document_for(request.user, pk)
    if document.pdf_state != document.PdfState.READY or not document.pdf:
        raise Http404
    return _send(
        request, document.pdf, _filename(document, ".pdf"), "application/pdf", obj=document, body=document.body
    )


@login_required
@require_POST
def pdf_make(request, pk: int):
    _open(request)
    document = selectors.document_for(request.user, pk)
    document = services.pdf_request(actor=request.user, document=document)
    if document.pdf_state == document.PdfState.READY:
        messages.success(request, _("Bản PDF đã sẵn sàng."))
    elif document.pdf_state == document.PdfState.FAILED:
        messages.error(request, _("Không tạo được bản PDF; hãy thử lại sau."))
    else:
        messages.info(request, _("Đang tạo bản PDF; tải lại trang sau ít phút."))
    return redirect("documents:register", document.body_id)


@login_required
def download_attachment(request, pk: int):
    _open(request)
    item = selectors.attachment_for(request.user, pk)
    return _send(request, item.file, item.filename, item.content_type, obj=item, body=item.body, sha256=item.sha256)
