from django.urls import path

from apps.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="user_list"),
    path("new/", views.user_create, name="user_create"),
    path("<int:pk>/", views.user_detail, name="user_detail"),
    path("<int:pk>/roles/", views.role_grant, name="role_grant"),
    path("<int:pk>/roles/<int:assignment_pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("me/tokens/", views.tokens, name="tokens"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("me/tokens/<int:pk>/renew/", views.token_renew, name="token_renew"),
]
