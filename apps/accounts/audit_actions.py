"""The accounts' audit actions and how the change log shows their values (`apps.core.audit`)."""

from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.core.audit import register_actions
from apps.core.audit_display import choices, register_field

register_actions(
    "accounts",
    {
        "accounts.api_token_create": _("Tạo mã truy cập API"),
        "accounts.api_token_renew": _("Gia hạn mã truy cập API"),
        "accounts.api_token_revoke": _("Thu hồi mã truy cập API"),
        "accounts.password_set_by_admin": _("Quản trị đặt lại mật khẩu"),
        "accounts.password_change": _("Đổi mật khẩu"),
        "accounts.role_grant": _("Cấp vai trò"),
        "accounts.role_revoke": _("Thu hồi vai trò"),
        "accounts.user_admin_change": _("Quản trị sửa tài khoản"),
        "accounts.user_create": _("Tạo tài khoản"),
    },
)

register_field("role", choices(Role), scope="accounts")
