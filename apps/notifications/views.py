from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.notifications import selectors, services
from apps.notifications.models import is_local_path


@login_required
def notification_list(request):
    page = Paginator(selectors.notification_list(request.user), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk: int):
    """Mark one read, then open what it is about: its page when that is a path of this site, else the list."""
    notification = selectors.notification_for(request.user, pk)
    services.mark_read(actor=request.user, notification=notification)
    return redirect(notification.url if is_local_path(notification.url) else "notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = services.mark_all_read(actor=request.user)
    if count:
        text = ngettext(
            "Đã đánh dấu %(count)d thông báo là đã đọc.", "Đã đánh dấu %(count)d thông báo là đã đọc.", count
        )
        messages.success(request, text % {"count": count})
    return redirect("notifications:list")
