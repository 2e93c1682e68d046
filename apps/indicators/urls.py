from django.urls import path

from apps.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.index, name="index"),
    path("units/<int:pk>/", views.unit_page, name="unit"),
    path("units/<int:pk>/export.xlsx", views.unit_export, name="unit_export"),
    path("units/<int:pk>/census/", views.unit_census, name="unit_census"),
    path("schools/<int:pk>/", views.school_page, name="school"),
    path("schools/<int:pk>/export.xlsx", views.school_export, name="school_export"),
    path("schools/<int:pk>/students/", views.school_students, name="school_students"),
    path("snapshots/", views.snapshot_list, name="snapshots"),
    path("snapshots/<int:pk>/take/", views.snapshot_take, name="snapshot_take"),
    path("snapshots/<int:year_pk>/schools/<int:pk>/", views.snapshot_school, name="snapshot_school"),
    path("snapshots/rows/<int:pk>/amend/", views.snapshot_amend, name="snapshot_amend"),
    path("universal/<int:pk>/", views.universal_page, name="universal"),
    path("universal/<int:pk>/attest/", views.attested_input, name="attest"),
    path("thresholds/", views.thresholds, name="thresholds"),
    path("thresholds/<int:pk>/", views.threshold_edit, name="threshold_edit"),
]
