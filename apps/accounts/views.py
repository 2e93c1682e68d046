from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts import selectors, services, signin
from apps.accounts.forms import GrantForm, TokenForm, UserCreateForm
from apps.accounts.models import ApiToken, RoleAssignment
from apps.accounts.site import may_open_users
from apps.core.audit import audit_record
from apps.core.forms import add_service_errors
from apps.core.scoping import MANAGE, get_scoped_or_404

TARGETS = {"org_unit": "target", "school": "target", "organisation": "target"}


def _refused(form, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        add_service_errors(form, exc, TARGETS)
    else:
        form.add_error(None, str(exc) or _("Bạn không có quyền cấp vai trò này ở đó."))


class Login(auth_views.LoginView):
    """Django's sign-in page; an address over the limit across user names (`signin.address_refused`) is told to
    wait (HTTP 429), before any password is checked."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if signin.address_refused(signin.client_ip(request)):
            return render(
                request,
                "registration/login.html",
                {"form": self.get_form(), "refused": True, "next": request.POST.get("next", "")},
                status=429,
            )
        return super().post(request, *args, **kwargs)


class PasswordChange(auth_views.PasswordChangeView):
    """Django's own view, with the change written to the audit log in the same transaction."""

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=self.request.user, action="accounts.password_change", obj=self.request.user)
        return response


@login_required
def home(request):
    return render(request, "accounts/home.html", selectors.home_summary(request.user))


@login_required
def user_list(request):
    page = Paginator(selectors.user_list(request.user), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "may_create": may_open_users(request.user)})


@login_required
def user_create(request):
    targets = selectors.grant_targets(request.user)
    if not targets:
        raise PermissionDenied
    form = UserCreateForm(request.POST or None, targets=targets, roles=selectors.grantable_roles(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                role=data["role"],
                **form.target_kwargs(),
            )
        except (ValidationError, PermissionDenied) as exc:
            _refused(form, exc)
        except Http404:  # the scope check: a target outside the actor's reach
            form.add_error("target", _("Bạn không quản lý đơn vị, trường hoặc tổ chức này."))
        else:
            messages.success(request, _("Đã tạo tài khoản %(user)s.") % {"user": user.username})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form}, status=400 if request.method == "POST" else 200)


@login_required
def user_detail(request, pk: int):
    user = selectors.user_for(request.user, pk)
    targets = selectors.grant_targets(request.user)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": user,
            "grant_form": GrantForm(targets=targets, roles=selectors.grantable_roles(request.user)),
            "may_grant": bool(targets),
        },
    )


@login_required
@require_POST
def role_grant(request, pk: int):
    user = selectors.user_for(request.user, pk)
    targets = selectors.grant_targets(request.user)
    form = GrantForm(request.POST, targets=targets, roles=selectors.grantable_roles(request.user))
    if form.is_valid():
        try:
            services.role_grant(actor=request.user, user=user, role=form.cleaned_data["role"], **form.target_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Đã cấp vai trò."))
            return redirect("accounts:user_detail", pk=user.pk)
    return render(
        request, "accounts/user_detail.html", {"person": user, "grant_form": form, "may_grant": True}, status=400
    )


@login_required
@require_POST
def role_revoke(request, pk: int, assignment_pk: int):
    assignment = get_scoped_or_404(RoleAssignment.objects.active(), request.user, MANAGE, pk=assignment_pk, user_id=pk)
    services.role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, _("Đã thu hồi vai trò."))
    return redirect("accounts:user_detail", pk=pk)


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": ApiToken.objects.filter(user=request.user).select_related("user").order_by("-created_at"),
            "days": settings.API_TOKEN_DAYS,
        },
    )


@login_required
@require_POST
def token_renew(request, pk: int):
    token = get_object_or_404(ApiToken.objects.usable(), user=request.user, pk=pk)
    token = services.api_token_renew(actor=request.user, token=token)
    messages.success(
        request, _("Đã gia hạn mã đến %(date)s.") % {"date": timezone.localtime(token.expires_at).strftime("%d/%m/%Y")}
    )
    return redirect("accounts:tokens")


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, user=request.user, pk=pk, revoked_at__isnull=True)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Đã thu hồi mã truy cập."))
    return redirect("accounts:tokens")
