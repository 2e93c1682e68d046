"""The meetings' pages: the meetings a user sees with the parents' meetings found missing, a new meeting, a meeting
with its attendees and decisions (added in place with htmx), its minutes' text, the minutes issued and downloaded as
the register's Word file. Thin views: the rules are in `meeting_services` and `meeting_selectors`."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.scoping import CHANGE
from apps.plans import meeting_selectors as selectors
from apps.plans import meeting_services as services
from apps.plans.meeting_forms import AttendeeForm, DecisionForm, MeetingForm, MinutesForm
from apps.plans.models import MeetingKind
from apps.plans.selectors import party_organisations
from apps.plans.views import DOCX, _errors, _owners, _send


@login_required
def meeting_list(request):
    kind = request.GET.get("kind", "")
    if kind not in MeetingKind.values:
        kind = ""
    page = Paginator(selectors.meeting_list(request.user, kind=kind), 50).get_page(request.GET.get("page"))
    missing = list(selectors.missing_parents_meetings(request.user)[:200])
    return render(
        request,
        "plans/meetings/list.html",
        {
            "page": page,
            "missing": missing,
            "kinds": MeetingKind.choices,
            "kind": kind,
            "may_add": bool(_owners(request.user)),
        },
    )


@login_required
def meeting_new(request):
    owners = _owners(request.user)
    if not owners:
        raise Http404
    form = MeetingForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                actor=request.user,
                kind=data["kind"],
                round=data["round"],
                title=data["title"],
                held_on=data["held_on"],
                place=data["place"],
                chair=data["chair"],
                secretary=data["secretary"],
                **form.owner_kwargs(),
            )
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("Đã tạo cuộc họp."))
            return redirect("plans:meeting", meeting.pk)
    return render(request, "plans/meetings/new.html", {"form": form})


def _context(request, meeting, **more):
    organisations = list(party_organisations(meeting))
    return {
        "meeting": meeting,
        "may": selectors.may(request.user, meeting),
        "attendees": list(meeting.attendees.select_related("organisation")),
        "decisions": list(selectors.decisions_of(meeting)),
        "attendee_form": AttendeeForm(organisations=organisations),
        "decision_form": DecisionForm(organisations=organisations),
        "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}),
        **more,
    }


@login_required
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    return render(request, "plans/meetings/detail.html", _context(request, meeting))


def _partial(request, meeting, name: str, **more):
    if request.htmx:
        return render(request, f"plans/meetings/detail.html#{name}", _context(request, meeting, **more))
    return redirect("plans:meeting", meeting.pk)


@login_required
@require_POST
def meeting_minutes(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk, CHANGE)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã lưu nội dung biên bản."))
    return redirect("plans:meeting", meeting.pk)


@login_required
@require_POST
def meeting_attendee(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk, CHANGE)
    form = AttendeeForm(request.POST, organisations=list(party_organisations(meeting)))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.attendee_add(
                actor=request.user,
                meeting=meeting,
                party=data["party"],
                organisation=form.organisations.get(data["organisation"] or ""),
                person=data["person"],
                count=data["count"] or 1,
            )
        except ValidationError as exc:
            _errors(request, exc)
    return _partial(request, meeting, "attendees")


@login_required
@require_POST
def meeting_decision(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk, CHANGE)
    form = DecisionForm(request.POST, organisations=list(party_organisations(meeting)))
    error = ""
    if form.is_valid():
        try:
            services.decision_add(
                actor=request.user,
                meeting=meeting,
                text=form.cleaned_data["text"],
                due_on=form.cleaned_data["due_on"],
                **form.owner_kwargs(),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    return _partial(request, meeting, "decisions", decision_error=error)


@login_required
@require_POST
def meeting_issue(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk, CHANGE)
    try:
        meeting = services.minutes_issue(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã ban hành biên bản số %(symbol)s.") % {"symbol": meeting.document.symbol})
    return redirect("plans:meeting", meeting.pk)


@login_required
def meeting_docx(request, pk: int):
    """The issued minutes' Word file, as issued (its checksum checked), for whoever reads the meeting."""
    meeting = selectors.meeting_for(request.user, pk)
    if meeting.document_id is None or not meeting.document.file:
        raise Http404
    with meeting.document.file.open("rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != meeting.document.sha256:
        raise Http404
    name = f"{meeting.document.symbol.replace('/', '-') or 'bien-ban'}.docx"
    return _send(request, data, name, DOCX, meeting, meeting.commune)
