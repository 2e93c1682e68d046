from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from apps.accounts import views as account_views
from apps.core import sections
from apps.core import views as core_views
from dentruong.api import api

handler400 = "apps.core.views.bad_request"  # JSON under /api/, the page elsewhere
handler404 = "apps.core.views.not_found"

admin.site.site_header = "Đến Trường — quản trị hệ thống"
admin.site.site_title = "Đến Trường"

urlpatterns = [
    path("", account_views.home, name="home"),
    # Browsers ask for /favicon.ico on pages that name no icon (Django admin's): the site's own icon.
    path("favicon.ico", core_views.favicon),
    path("login/", account_views.Login.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", account_views.PasswordChange.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", core_views.audit_log, name="audit_log"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    *sections.urlpatterns(),  # every app's pages, registered from its app config
]
