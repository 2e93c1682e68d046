from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views import defaults

from apps.core import audit_display
from apps.core.audit import registered_actions
from apps.core.models import AuditEvent
from apps.core.site import may_open_audit


@login_required
def audit_log(request):
    """What was done in the units the user governs, newest first, each value as a person reads it."""
    if not may_open_audit(request.user):
        raise PermissionDenied
    declared = registered_actions()
    events = AuditEvent.objects.restrict(request.user).select_related("actor", "org_unit")
    action = request.GET.get("action", "")
    if action in declared:
        events = events.filter(action=action)
    kind = request.GET.get("kind", "")
    if kind in AuditEvent.Kind.values:
        events = events.filter(kind=kind)
    page = Paginator(events.order_by("-created_at", "-id"), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    audit_display.describe(page.object_list)
    actions = sorted(((code, str(label)) for code, label in declared.items()), key=lambda item: item[1])
    return render(request, "core/audit_log.html", {"page": page, "kinds": AuditEvent.Kind.choices, "actions": actions})


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django's English page replaced by the site's own, in Vietnamese. The reason is for the
    log, not for the person (it names the missing cookie or token)."""
    return render(request, "403_csrf.html", status=403)


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (Django admin's): the site's own (resolved per request,
    so that the hashed name of production's manifest storage is used)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def not_found(request, exception):
    """The site's 404 (`handler404`): under /api/ the API's own answer, `{"detail": "Not Found"}` as JSON (a path
    its converters refuse, `/api/v1/imports/-1/confirm`, never reaches django-ninja), elsewhere Django's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not Found"}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """The site's 400 (`handler400`: a request Django itself refuses, a query string too long to parse): under
    /api/ as the API answers it, JSON; elsewhere Django's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Bad Request"}, status=400)
    return defaults.bad_request(request, exception)
