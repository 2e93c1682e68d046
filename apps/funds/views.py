"""The funds' pages: thin views over `selectors` (reads) and `services` (writes). A fund's page serves its
forms; a refused write shows the service's message (the rule quoted) on the form, with status 400."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.audit import audit_record
from apps.core.forms import add_service_errors
from apps.core.models import AuditEvent
from apps.core.money import format_vnd
from apps.core.scoping import CHANGE, MANAGE, VIEW, can, get_scoped_or_404, scope_for
from apps.funds import campaigns, purposes, reports, selectors, services
from apps.funds.forms import (
    CorrectionForm,
    DonationForm,
    DonorForm,
    FundFilterForm,
    FundForm,
    LinkChildrenForm,
    ListFilterForm,
    PayoutForm,
    PlanForm,
    PledgeForm,
    TargetForm,
)
from apps.funds.models import Donation, Entry, Payout
from apps.funds.site import may_open_funds
from apps.orgunits.models import OrgUnit
from apps.schools.models import Organisation, School, SchoolYear


def _open(request):
    if not may_open_funds(request.user):
        raise PermissionDenied


def _page(request, queryset):
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


# ---- funds --------------------------------------------------------------------------------------------------------


@login_required
def fund_list(request):
    _open(request)
    form = FundFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    funds = selectors.fund_list(request.user, q=filters.get("q") or "", kind=filters.get("kind") or "")
    page = _page(request, funds)
    totals = selectors.balances([f.pk for f in page])
    rows = [(fund, totals.get(fund.pk, 0)) for fund in page]
    template = "funds/list.html#results" if request.htmx else "funds/list.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "rows": rows, "may_create": bool(_owners(request.user))},
    )


def _owners(user) -> dict:
    """What `user` may open a fund for: schools they manage, units they govern, their own organisations."""
    scope = scope_for(user)
    owners = {}
    for school in School.objects.restrict(user, MANAGE).order_by("name")[:200]:
        owners[f"school:{school.pk}"] = school
    units = OrgUnit.objects.restrict(user, CHANGE).current().filter(level__lte=OrgUnit.Level.COMMUNE)
    for unit in units.order_by("level", "name")[:200]:
        owners[f"unit:{unit.pk}"] = unit
    organisations = (
        Organisation.objects.all() if scope.is_admin else Organisation.objects.filter(pk__in=scope.organisation_ids)
    )
    for org in organisations.order_by("name")[:200]:
        owners[f"org:{org.pk}"] = org
    return owners


@login_required
def fund_create(request):
    _open(request)
    owners = _owners(request.user)
    if not owners:
        raise PermissionDenied
    form = FundForm(request.POST or None, owners=owners, initial={"opened_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fund = services.fund_create(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                regime=data["regime"],
                opened_on=data["opened_on"],
                **form.owner_kwargs(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"school": "owner", "org_unit": "owner", "organisation": "owner"})
        except (PermissionDenied, Http404):
            form.add_error("owner", _("Bạn không quản lý đơn vị hay tổ chức này."))
        else:
            messages.success(request, _("Đã lập %(name)s.") % {"name": fund.name})
            return redirect("funds:detail", pk=fund.pk)
    return render(request, "funds/fund_form.html", {"form": form}, status=400 if request.method == "POST" else 200)


def _fund_forms(request, fund, **bound):
    user = request.user
    donors = selectors.donor_list(user)
    province = fund.commune.province() if fund.commune else None
    years = SchoolYear.objects.filter(province=province) if province else SchoolYear.objects.none()
    schools = School.objects.restrict(user, VIEW).filter(pk__in=_fund_schools(fund))
    items = list(selectors.stock(fund))
    today = timezone.localdate()
    return {
        "donation_form": bound.get("donation_form")
        or DonationForm(
            donors=donors,
            instalments=selectors.open_instalments(fund),
            campaigns=campaigns.choices(user, fund),
            initial={"received_on": today, "received_by": user.full_name or user.username},
        ),
        "payout_form": bound.get("payout_form")
        or PayoutForm(schools=schools, plans=fund.usage_plans.all(), items=items, initial={"paid_on": today}),
        "plan_form": bound.get("plan_form") or PlanForm(initial={"posted_on": today}),
        "pledge_form": bound.get("pledge_form") or PledgeForm(donors=donors, initial={"made_on": today}),
        "target_form": bound.get("target_form") or TargetForm(years=years),
    }


def _fund_schools(fund):
    """The schools a payout of this fund may go to: its own school, or the schools of its commune."""
    school = fund.owning_school
    if school is not None:
        return [school.pk]
    return list(School.objects.filter(location=fund.commune).values_list("pk", flat=True))


def _detail(request, fund, status=200, **bound):
    user = request.user
    year = selectors.fund_year(fund, timezone.localdate())
    raised, target = selectors.fund_progress(fund, year)
    context = {
        "fund": fund,
        "may_change": can(user, fund, CHANGE),
        "balance": services.cash_balance(fund),
        "stock": selectors.stock(fund),
        "year": f"{year}-{year + 1}",
        "raised": raised,
        "target": target,
        "targets": fund.targets.select_related("year"),
        "history": selectors.fund_history(user, fund).order_by("-id")[:100],
        "donations": selectors.donation_list(user, fund=fund)[:20],
        "payouts": selectors.payout_list(user, fund=fund)[:20],
        "plans": selectors.plan_list(user, fund=fund),
        "pledges": selectors.pledge_list(user, fund=fund)[:20],
        "open": bound.pop("open", ""),
    }
    if context["may_change"]:
        context.update(_fund_forms(request, fund, **bound))
    return render(request, "funds/detail.html", context, status=status)


@login_required
def fund_detail(request, pk: int):
    _open(request)
    return _detail(request, selectors.fund_for(request.user, pk))


def _write(request, pk, form_name, make_form, write, success):
    """A POST from one of the fund page's forms: the service's refusal is shown on the form (400)."""
    fund = selectors.fund_for(request.user, pk, CHANGE)
    form = make_form(request, fund)
    if form.is_valid():
        try:
            result = write(fund, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success(result))
            return redirect("funds:detail", pk=fund.pk)
    return _detail(request, fund, status=400, open=form_name, **{form_name: form})


@login_required
@require_POST
def donation_new(request, pk: int):
    def make(request, fund):
        return DonationForm(
            request.POST,
            donors=selectors.donor_list(request.user),
            instalments=selectors.open_instalments(fund),
            campaigns=campaigns.choices(request.user, fund),
        )

    def write(fund, form):
        return services.donation_record(actor=request.user, fund=fund, **form.cleaned_data)

    return _write(
        request, pk, "donation_form", make, write, lambda d: _("Đã ghi biên nhận %(n)s.") % {"n": d.receipt_number}
    )


@login_required
@require_POST
def payout_new(request, pk: int):
    def make(request, fund):
        schools = School.objects.restrict(request.user, VIEW).filter(pk__in=_fund_schools(fund))
        return PayoutForm(
            request.POST, schools=schools, plans=fund.usage_plans.all(), items=list(selectors.stock(fund))
        )

    def write(fund, form):
        return services.payout_record(actor=request.user, fund=fund, **form.cleaned_data)

    return _write(
        request, pk, "payout_form", make, write, lambda p: _("Đã ghi khoản chi %(a)s.") % {"a": format_vnd(p.amount)}
    )


@login_required
@require_POST
def plan_new(request, pk: int):
    def write(fund, form):
        return services.usage_plan_post(actor=request.user, fund=fund, **form.cleaned_data)

    return _write(
        request,
        pk,
        "plan_form",
        lambda r, f: PlanForm(r.POST),
        write,
        lambda p: _("Đã ghi kế hoạch; được thực hiện từ ngày %(d)s.") % {"d": f"{p.executable_on:%d/%m/%Y}"},
    )


@login_required
@require_POST
def pledge_new(request, pk: int):
    def write(fund, form):
        data = form.cleaned_data
        return services.pledge_record(
            actor=request.user,
            fund=fund,
            donor=data["donor"],
            made_on=data["made_on"],
            instalments=form.instalments(),
            campaign=data["campaign"],
        )

    return _write(
        request,
        pk,
        "pledge_form",
        lambda r, f: PledgeForm(r.POST, donors=selectors.donor_list(r.user)),
        write,
        lambda p: _("Đã ghi cam kết."),
    )


@login_required
@require_POST
def target_set(request, pk: int):
    def make(request, fund):
        province = fund.commune.province()
        return TargetForm(request.POST, years=SchoolYear.objects.filter(province=province))

    def write(fund, form):
        return services.fund_target_set(actor=request.user, fund=fund, **form.cleaned_data)

    return _write(request, pk, "target_form", make, write, lambda t: _("Đã lưu mục tiêu vận động."))


# ---- entries and payouts ------------------------------------------------------------------------------------------


@login_required
def entry_correct(request, pk: int):
    _open(request)
    entry = get_scoped_or_404(Entry.objects.select_related("fund"), request.user, CHANGE, pk=pk)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.entry_correct(
                actor=request.user,
                entry=entry,
                reason=data["reason"],
                **services.in_entry_direction(entry, cash=data["cash"], quantity=data["quantity"], value=data["value"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã điều chỉnh: bút toán đảo và bút toán ghi lại đã vào sổ."))
            return redirect("funds:detail", pk=entry.fund_id)
    return render(
        request, "funds/correct.html", {"entry": entry, "form": form}, status=400 if request.method == "POST" else 200
    )


@login_required
def payout_detail(request, pk: int):
    _open(request)
    payout = get_scoped_or_404(Payout.objects.select_related("fund", "school"), request.user, VIEW, pk=pk)
    context = {"payout": payout, "purpose": purposes.purpose(payout.purpose)}
    context.update(_children_context(request, payout))
    return render(request, "funds/payout.html", context)


def _children_context(request, payout, form=None):
    from apps.funds.models import PayoutRecipient
    from apps.students.models import Child

    scope = scope_for(request.user)
    linked = PayoutRecipient.objects.restrict(request.user, VIEW).filter(payout=payout).select_related("child")
    may_link = payout.recipients == Payout.Recipients.STUDENTS and (
        scope.is_admin or payout.school_id in scope.staff_school_ids
    )
    context = {"linked": linked, "may_link": may_link}
    if may_link:
        children = Child.objects.restrict(request.user, VIEW).filter(enrolments__school=payout.school).distinct()
        context["link_form"] = form or LinkChildrenForm(children=children.order_by("full_name"))
    return context


@login_required
@require_POST
def payout_children(request, pk: int):
    from apps.students.models import Child

    _open(request)
    payout = get_scoped_or_404(Payout.objects.select_related("fund", "school"), request.user, VIEW, pk=pk)
    scope = scope_for(request.user)
    if not (scope.is_admin or payout.school_id in scope.staff_school_ids):
        raise PermissionDenied
    children = Child.objects.restrict(request.user, VIEW).filter(enrolments__school=payout.school).distinct()
    form = LinkChildrenForm(request.POST, children=children)
    if form.is_valid():
        try:
            n = services.payout_link_children(actor=request.user, payout=payout, children=form.cleaned_data["children"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã gắn %(n)s học sinh.") % {"n": n})
            return redirect("funds:payout", pk=payout.pk)
    context = {"payout": payout, "purpose": purposes.purpose(payout.purpose)}
    context.update(_children_context(request, payout, form))
    return render(request, "funds/payout.html", context, status=400)


# ---- lists across funds -------------------------------------------------------------------------------------------


def _filters(request, search=False):
    form = ListFilterForm(request.GET or None, funds=selectors.fund_list(request.user), search=search)
    data = form.cleaned_data if form.is_valid() else {}
    return form, data.get("fund"), (data.get("q") or "").strip()


@login_required
def donation_list(request):
    _open(request)
    form, fund, q = _filters(request, search=True)
    page = _page(request, selectors.donation_list(request.user, fund=fund, q=q))
    return render(request, "funds/donations.html", {"page": page, "form": form})


@login_required
def payout_list(request):
    _open(request)
    form, fund, _q = _filters(request)
    page = _page(request, selectors.payout_list(request.user, fund=fund))
    return render(request, "funds/payouts.html", {"page": page, "form": form})


@login_required
def plan_list(request):
    _open(request)
    form, fund, _q = _filters(request)
    page = _page(request, selectors.plan_list(request.user, fund=fund))
    return render(request, "funds/plans.html", {"page": page, "form": form, "today": timezone.localdate()})


@login_required
def pledge_list(request):
    _open(request)
    today = timezone.localdate()
    form, fund, _q = _filters(request)
    page = _page(request, selectors.pledge_list(request.user, fund=fund))
    overdue = list(selectors.overdue_for(request.user, on=today)[:200])
    return render(request, "funds/pledges.html", {"page": page, "form": form, "overdue": overdue, "today": today})


@login_required
def donor_list(request):
    _open(request)
    q = request.GET.get("q", "").strip()
    units = selectors.donor_units(request.user)
    form = DonorForm(request.POST or None, units=units.order_by("name"))
    status = 200
    if request.method == "POST":
        if not units.exists():
            raise PermissionDenied
        if form.is_valid():
            try:
                donor = services.donor_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied:
                form.add_error("org_unit", _("Bạn không quản lý quỹ ở xã, phường này."))
            else:
                messages.success(request, _("Đã thêm %(name)s.") % {"name": donor.name})
                return redirect("funds:donors")
        status = 400
    page = _page(request, selectors.donor_list(request.user, q=q))
    return render(
        request,
        "funds/donors.html",
        {"page": page, "q": q, "form": form, "may_add": units.exists()},
        status=status,
    )


# ---- reports and documents ----------------------------------------------------------------------------------------


@login_required
def fund_report(request, pk: int):
    _open(request)
    fund = selectors.fund_for(request.user, pk)
    try:
        year = int(request.GET.get("year") or selectors.fund_year(fund, timezone.localdate()))
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    period = request.GET.get("period", "year")
    return reports.fund_report_response(fund=fund, year=year, period=period, user=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def donation_letter(request, pk: int):
    """The donation's thank-you letter as entered in the register, served as stored: its checksum checked, each
    download audited. A POST issues it (`services.donation_letter_issue`: once per donation, asking again writes
    nothing) and answers the file; a GET only serves one issued before (a link followed, a page prefetched, never
    enters a document in the register)."""
    _open(request)
    donation = get_scoped_or_404(Donation.objects.select_related("fund", "donor"), request.user, CHANGE, pk=pk)
    if request.method == "POST":
        letter = services.donation_letter_issue(actor=request.user, donation=donation)
    else:
        letter = selectors.donation_letter(donation)
        if letter is None:
            raise Http404
    content = letter.document.issued_bytes()
    if content is None:
        raise Http404
    filename = f"thu-cam-on-{donation.receipt_number.lower()}.docx"
    audit_record(
        actor=request.user,
        action="funds.letter_download",
        obj=donation,
        org_unit=donation.fund.commune,
        kind=AuditEvent.Kind.READ,
        changes={"file": filename},
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- the public transparency page (no sign-in) --------------------------------------------------------------------


def public_school(request, pk: int):
    school = School.objects.filter(pk=pk).select_related("location").first()
    if school is None:
        raise Http404
    today = timezone.localdate()
    funds = selectors.public_summary(selectors.public_funds_of_school(school), on=today)
    return render(request, "funds/public.html", {"place": school.name, "funds": funds, "today": today})


def public_unit(request, pk: int):
    unit = OrgUnit.objects.filter(pk=pk).first()
    if unit is None:
        raise Http404
    today = timezone.localdate()
    funds = selectors.public_summary(selectors.public_funds_of_unit(unit), on=today)
    return render(request, "funds/public.html", {"place": unit.name, "funds": funds, "today": today})
