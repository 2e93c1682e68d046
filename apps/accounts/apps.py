from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản và phân quyền")

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from apps.accounts import signin, site
        from apps.accounts.scopes import build_scope
        from apps.core.scoping import register_scope_builder

        register_scope_builder(build_scope)
        site.register(self.name)
        user_login_failed.connect(signin.record_failure, dispatch_uid="accounts.signin.record_failure")
