from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản và phân quyền")

    def ready(self):
        from apps.accounts import site
        from apps.accounts.scopes import build_scope
        from apps.core.scoping import register_scope_builder

        register_scope_builder(build_scope)
        site.register(self.name)
