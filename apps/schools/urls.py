from django.urls import path

from apps.schools import views

app_name = "schools"
urlpatterns = [
    path("", views.school_list, name="list"),
    path("new/", views.school_create, name="create"),
    path("<int:pk>/", views.school_detail, name="detail"),
    path("<int:pk>/edit/", views.school_edit, name="edit"),
    path("<int:pk>/catchment/", views.catchment_edit, name="catchment"),
    path("<int:pk>/sites/new/", views.site_create, name="site_create"),
    path("<int:pk>/organisations/new/", views.organisation_create, name="organisation_create"),
    path("units/<int:pk>/organisations/", views.unit_organisation_create, name="unit_organisation_create"),
    path("years/", views.year_list, name="years"),
    path("years/new/", views.year_create, name="year_create"),
    path("years/<int:pk>/", views.year_edit, name="year_edit"),
]
