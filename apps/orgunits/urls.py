from django.urls import path

from apps.orgunits import views

app_name = "orgunits"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("search/", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.node_children, name="children"),
    path("<int:pk>/hamlets/new/", views.hamlet_create, name="hamlet_create"),
    path("<int:pk>/hamlets/import/", views.hamlet_import, name="hamlet_import"),
    path("<int:pk>/edit/", views.hamlet_update, name="hamlet_update"),
    path("<int:pk>/retire/", views.hamlet_retire, name="hamlet_retire"),
    path("<int:pk>/restore/", views.hamlet_restore, name="hamlet_restore"),
]
