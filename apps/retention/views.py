from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.forms import add_service_errors, flash_service
from apps.core.scoping import CHANGE, VIEW
from apps.orgunits.models import OrgUnit
from apps.retention import selectors, services
from apps.retention.forms import MentorForm, NoteForm, RulesForm, VisitForm, initial_of
from apps.retention.models import Level
from apps.retention.site import may_open_retention, may_open_rules
from apps.schools.models import School, SchoolYear
from apps.schools.selectors import default_year
from apps.students.records import record_classes


def _pick(queryset, value: str):
    return queryset.filter(pk=value).first() if value.isdigit() and len(value) < 10 else None


@login_required
def at_risk_list(request):
    """The students at medium or high risk, with the reasons in words: by class, school or commune."""
    if not may_open_retention(request.user):
        raise PermissionDenied
    years = SchoolYear.objects.restrict(request.user, VIEW).order_by("-start_year")
    year = _pick(years, request.GET.get("year", "")) or default_year(years)
    classes = (
        record_classes(request.user, VIEW).filter(year=year).select_related("school").order_by("school__name", "name")
    )
    schools = School.objects.restrict(request.user, VIEW).order_by("name")
    communes = (
        OrgUnit.objects.current().restrict(request.user, VIEW).filter(level=OrgUnit.Level.COMMUNE).order_by("name")
    )
    chosen = {
        "class_group": _pick(classes, request.GET.get("class_group", "")),
        "school": _pick(schools, request.GET.get("school", "")),
        "commune": _pick(communes, request.GET.get("commune", "")),
    }
    levels = (Level.HIGH,) if request.GET.get("level") == "high" else (Level.MEDIUM, Level.HIGH)
    page = (
        selectors.at_risk_page(request.user, year=year, levels=levels, page=request.GET.get("page"), **chosen)
        if year
        else None
    )
    return render(
        request,
        "retention/list.html",
        {
            "page": page,
            "years": years,
            "year": year,
            "classes": classes[:300],
            "schools": schools[:300],
            "communes": communes[:300],
            "chosen": chosen,
            "only_high": levels == (Level.HIGH,),
        },
    )


@login_required
def rules_edit(request):
    """A province's early-warning rules, edited by its officers (audited); effective at the next recompute."""
    if not may_open_rules(request.user):
        raise PermissionDenied
    provinces = selectors.editable_provinces(request.user)
    province = _pick(provinces, request.GET.get("province", "")) or provinces.first()
    rules = selectors.rules_of(province)
    form = RulesForm(request.POST or None, initial=initial_of(rules))
    if request.method == "POST" and form.is_valid():
        try:
            services.rules_update(actor=request.user, province=province, **form.service_args())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Đã lưu quy tắc; mức nguy cơ được tính lại trong lần tính tiếp theo (hằng ngày).")
            )
            return redirect(f"{request.path}?province={province.pk}")
    from apps.retention.backtest import backtest

    return render(
        request,
        "retention/rules.html",
        {"form": form, "province": province, "provinces": provinces, "backtest": backtest(request.user, province)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def visit_new(request, pk: int):
    """The home-visit form of one student (phone-first). The page carries an idempotency key; the browser keeps
    what was typed and sends it again if the connection drops (static/retention/visit.js)."""
    import uuid

    from django.utils import timezone

    enrolment = services.visitable_enrolment(request.user, pk)
    if request.method == "POST":
        form = VisitForm(request.POST)
        if form.is_valid():
            try:
                visit, created = services.visit_record(actor=request.user, enrolment=enrolment, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if created:
                    messages.success(request, _("Đã ghi lần thăm ngày %(d)s.") % {"d": visit.on.strftime("%d/%m/%Y")})
                else:
                    messages.info(request, _("Lần thăm này đã được ghi trước đó (gửi lại)."))
                return redirect("students:child", pk=enrolment.child_id)
        return render(request, "retention/visit_form.html", {"form": form, "enrolment": enrolment}, status=400)
    day = min(timezone.localdate(), enrolment.year.ends_on)
    form = VisitForm(initial={"key": uuid.uuid4().hex, "on": day})
    return render(request, "retention/visit_form.html", {"form": form, "enrolment": enrolment})


@login_required
def overdue_list(request):
    """Students whose home visit is overdue, among those the user visits."""
    if not may_open_retention(request.user):
        raise PermissionDenied
    rows = selectors.overdue_visits(request.user, limit=500)
    return render(request, "retention/overdue.html", {"rows": rows})


@login_required
@require_POST
def note_new(request, pk: int):
    enrolment = services.writable_enrolment(request.user, pk)
    flash_service(
        request,
        NoteForm(request.POST),
        lambda **data: services.note_add(actor=request.user, enrolment=enrolment, **data),
        lambda note: _("Đã ghi chú."),
    )
    return redirect("students:child", pk=enrolment.child_id)


@login_required
def mentor_list(request):
    """At-risk students without a mentor; mentors and their students."""
    if not may_open_retention(request.user):
        raise PermissionDenied
    years = SchoolYear.objects.restrict(request.user, VIEW).order_by("-start_year")
    year = _pick(years, request.GET.get("year", "")) or default_year(years)
    lists = selectors.mentor_lists(request.user, year) if year else {"unmentored": [], "mentorships": []}
    classes = (
        record_classes(request.user, VIEW).filter(year=year).order_by("school__name", "name")[:300] if year else []
    )
    return render(request, "retention/mentors.html", {"years": years, "year": year, "classes": classes, **lists})


@login_required
@require_POST
def mentor_new(request, pk: int):
    from apps.retention import mentors

    enrolment = services.writable_enrolment(request.user, pk)
    flash_service(
        request,
        MentorForm(request.POST, school=enrolment.school, prefix=f"m{enrolment.pk}"),
        lambda **data: mentors.mentor_assign(actor=request.user, enrolment=enrolment, **data),
        lambda m: _("Đã phân công %(m)s đỡ đầu em.") % {"m": m.mentor.full_name or m.mentor.username},
    )
    return redirect("students:child", pk=enrolment.child_id)


@login_required
def mentorship_detail(request, pk: int):
    """A mentorship: the mentee, the mentor's dated notes (written by the mentor while it lasts), and its end."""
    from django.utils import timezone

    from apps.retention import mentors
    from apps.retention.forms import EndForm, MentorNoteForm

    mentorship = mentors.mentorship_for(request.user, pk)
    context = mentors.mentorship_page(request.user, mentorship)
    day = min(timezone.localdate(), mentorship.enrolment.year.ends_on)
    return render(
        request,
        "retention/mentorship.html",
        {**context, "note_form": MentorNoteForm(initial={"on": day}), "end_form": EndForm()},
    )


@login_required
@require_POST
def mentorship_note_new(request, pk: int):
    from apps.retention import mentors
    from apps.retention.forms import MentorNoteForm

    mentorship = mentors.mentorship_for(request.user, pk)
    if mentorship.mentor_id != request.user.pk:
        mentors.mentorship_for(request.user, pk, CHANGE)  # 403 for a reader; a writer is refused by the service
    flash_service(
        request,
        MentorNoteForm(request.POST),
        lambda **data: mentors.mentor_note_add(actor=request.user, mentorship=mentorship, **data),
        lambda note: _("Đã ghi chú đỡ đầu ngày %(d)s.") % {"d": note.on.strftime("%d/%m/%Y")},
    )
    return redirect("retention:mentorship", pk=mentorship.pk)


@login_required
@require_POST
def mentorship_end(request, pk: int):
    """The mentorship ends, and with it the mentor's sight of the child."""
    from apps.retention import mentors
    from apps.retention.forms import EndForm

    mentorship = mentors.mentorship_for(request.user, pk, CHANGE)
    flash_service(
        request,
        EndForm(request.POST),
        lambda ends_on: mentors.mentor_end(actor=request.user, mentorship=mentorship, ends_on=ends_on),
        lambda m: _("Đã kết thúc đỡ đầu từ ngày %(d)s.") % {"d": m.ends_on.strftime("%d/%m/%Y")},
    )
    return redirect("retention:mentorship", pk=mentorship.pk)


@login_required
def peer_pairs(request, pk: int):
    """Đôi bạn cùng tiến of a class: the pairs, and (for those who write the class's records) a new pair of two of
    its students."""
    from apps.retention import mentors
    from apps.retention.forms import EndForm, PeerPairForm
    from apps.students.attendance import class_for_records
    from apps.students.models import Enrolment

    group = class_for_records(request.user, pk)
    if request.method == "POST":
        group = class_for_records(request.user, pk, CHANGE)
    context = mentors.class_pairs(request.user, group)
    form = PeerPairForm(request.POST or None, students=context["students"])
    status = 200
    if request.method == "POST":
        if form.is_valid():
            found = Enrolment.objects.in_bulk([form.cleaned_data["enrolment"], form.cleaned_data["helper"]])
            try:
                mentors.peer_pair_create(
                    actor=request.user,
                    enrolment=found[form.cleaned_data["enrolment"]],
                    helper=found[form.cleaned_data["helper"]],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lập đôi bạn cùng tiến."))
                return redirect("retention:peer_pairs", pk=group.pk)
        status = 400
    writable = record_classes(request.user, CHANGE).filter(pk=group.pk).exists()
    return render(
        request,
        "retention/peer_pairs.html",
        {**context, "group": group, "form": form, "end_form": EndForm(), "writable": writable},
        status=status,
    )


@login_required
@require_POST
def peer_pair_end(request, pk: int):
    from apps.core.scoping import get_scoped_or_404
    from apps.retention import mentors
    from apps.retention.forms import EndForm
    from apps.retention.models import PeerPair

    pair = get_scoped_or_404(PeerPair.objects.select_related("enrolment"), request.user, CHANGE, pk=pk)
    flash_service(
        request,
        EndForm(request.POST),
        lambda ends_on: mentors.peer_pair_end(actor=request.user, pair=pair, ends_on=ends_on),
        lambda p: _("Đôi bạn kết thúc từ ngày %(d)s.") % {"d": p.ends_on.strftime("%d/%m/%Y")},
    )
    return redirect("retention:peer_pairs", pk=pair.enrolment.class_group_id)
