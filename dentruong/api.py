"""The JSON API under /api/v1/: django-ninja, token (Bearer) or session authentication, scoped like the pages."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from apps.accounts.models import ApiToken
from apps.core import sections
from apps.core.api import DocumentedAPI


class TokenAuth(HttpBearer):
    """`Authorization: Bearer dt_…` with a token created on the user's token page."""

    def authenticate(self, request, token):
        api_token = ApiToken.objects.authenticate(token)
        if api_token is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


api = DocumentedAPI(  # every operation documents its 401/403/404/422 answers
    title="Đến Trường API",
    version="1",
    description="Đơn vị hành chính, trường học. Mọi kết quả giới hạn trong phạm vi của người dùng.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Không có quyền."}, status=403)


sections.add_routers(api)  # every app's router, registered from its app config
