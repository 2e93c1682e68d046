from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from apps.core.models import AuditEvent
from apps.core.scoping import scope_for


@login_required
def audit_log(request):
    """What was done in the units the user governs, newest first."""
    scope = scope_for(request.user)
    if not (scope.is_admin or scope.officer_paths):
        raise PermissionDenied
    events = AuditEvent.objects.restrict(request.user).select_related("actor", "org_unit")
    if action := request.GET.get("action", "").strip():
        events = events.filter(action__startswith=action)
    if kind := request.GET.get("kind", "").strip():
        events = events.filter(kind=kind)
    page = Paginator(events.order_by("-created_at", "-id"), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "kinds": AuditEvent.Kind.choices})
