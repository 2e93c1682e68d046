from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core import sections
from apps.core.forms import add_service_errors, error_text, flash_service
from apps.core.scoping import CHANGE, can
from apps.imports.services import import_start
from apps.orgunits import selectors, services
from apps.orgunits.forms import HamletForm, HamletImportForm, RetireForm
from apps.orgunits.models import OrgUnit


@login_required
def tree(request):
    roots = selectors.with_counts(request.user, selectors.tree_roots(request.user))
    return render(request, "orgunits/tree.html", {"roots": roots})


@login_required
def node_children(request, pk: int):
    """The children of one node of the tree (an HTMX fragment)."""
    unit = selectors.unit_for(request.user, pk)
    return render(
        request, "orgunits/tree.html#children", {"unit": unit, "kids": selectors.children(request.user, unit)}
    )


@login_required
def detail(request, pk: int):
    unit = selectors.unit_for(request.user, pk)
    may_change = unit.is_current and can(request.user, unit, CHANGE)
    history = selectors.history(unit)
    ancestors = unit.ancestors()
    related = (
        ancestors + [s.successor for s in history["successors"]] + [s.predecessor for s in history["predecessors"]]
    )
    return render(
        request,
        "orgunits/detail.html",
        {
            "unit": unit,
            "ancestors": ancestors,
            "openable": selectors.visible_ids(request.user, related),
            "kids": selectors.children(request.user, unit) if unit.is_current else [],
            "history": history,
            "may_add_hamlet": may_change and unit.is_commune_level,
            "may_edit_hamlet": may_change and unit.type == OrgUnit.Type.HAMLET,
            "may_restore": unit.type == OrgUnit.Type.HAMLET and not unit.is_current and can(request.user, unit, CHANGE),
            "retire_form": RetireForm(initial={"on": timezone.localdate()}),
            "retired": selectors.retired_hamlets(request.user, unit) if unit.is_commune_level else [],
            "hamlet_form": HamletForm(),
            "edit_form": HamletForm(initial={"name": unit.name, "qualifier": unit.qualifier}),
            "import_form": HamletImportForm(),
            "panels": sections.panels_for(request.user, unit),  # the schools app's lists, and any other app's
        },
    )


@login_required
@require_POST
def hamlet_create(request, pk: int):
    commune = selectors.unit_for(request.user, pk, CHANGE)
    form = HamletForm(request.POST)
    if form.is_valid():
        try:
            hamlet = services.hamlet_create(actor=request.user, commune=commune, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:  # the fragment says it; a queued message would surface on some later page
                return render(
                    request,
                    "orgunits/detail.html#hamlet-form",
                    {
                        "unit": commune,
                        "hamlet_form": HamletForm(),
                        "kids": selectors.children(request.user, commune),
                        "may_add_hamlet": True,
                        "added": hamlet,
                    },
                )
            messages.success(request, _("Đã thêm %(name)s.") % {"name": hamlet.display_name})
            return redirect("orgunits:detail", pk=commune.pk)
    template = "orgunits/detail.html#hamlet-form" if request.htmx else "orgunits/hamlet_form.html"
    return render(
        request,
        template,
        {
            "unit": commune,
            "hamlet_form": form,
            "may_add_hamlet": True,
            "kids": selectors.children(request.user, commune),
        },
        status=400,
    )


@login_required
@require_POST
def hamlet_update(request, pk: int):
    hamlet = selectors.unit_for(request.user, pk, CHANGE)
    flash_service(
        request,
        HamletForm(request.POST),
        lambda **data: services.hamlet_update(actor=request.user, hamlet=hamlet, **data),
        lambda _hamlet: _("Đã lưu."),
    )
    return redirect("orgunits:detail", pk=hamlet.pk)


@login_required
@require_POST
def hamlet_retire(request, pk: int):
    hamlet = selectors.unit_for(request.user, pk, CHANGE)
    retired = flash_service(
        request,
        RetireForm(request.POST),
        lambda on, **_confirmed: services.hamlet_retire(actor=request.user, hamlet=hamlet, on=on),
        lambda h: _("%(name)s đã thôi hiệu lực; lịch sử vẫn được giữ.") % {"name": h.display_name},
    )
    return redirect("orgunits:detail", pk=hamlet.parent_id if retired else hamlet.pk)


@login_required
@require_POST
def hamlet_restore(request, pk: int):
    hamlet = selectors.unit_for(request.user, pk, CHANGE)
    flash_service(
        request,
        None,
        lambda: services.hamlet_restore(actor=request.user, hamlet=hamlet),
        lambda h: _("%(name)s có hiệu lực trở lại.") % {"name": h.display_name},
    )
    return redirect("orgunits:detail", pk=hamlet.pk)


@login_required
@require_POST
def hamlet_import(request, pk: int):
    """A list of hamlets uploaded from the unit's page: checked in the background like every import; the job's
    page shows the preview, then the user confirms."""
    commune = selectors.unit_for(request.user, pk, CHANGE)
    form = HamletImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, error_text(form) or _("Hãy chọn một tệp."))
        return redirect("orgunits:detail", pk=commune.pk)
    try:
        job = import_start(
            actor=request.user, kind="orgunits.hamlets", upload=form.cleaned_data["file"], cleaned={"commune": commune}
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("orgunits:detail", pk=commune.pk)
    return redirect("imports:detail", pk=job.pk)


@login_required
def search(request):
    q = request.GET.get("q", "")
    result = selectors.search(request.user, q)
    template = "orgunits/search.html#results" if request.htmx else "orgunits/search.html"
    return render(request, template, {"q": q, **result})
