from django.urls import path

from apps.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.index, name="index"),
    path("units/<int:pk>/", views.unit_page, name="unit"),
    path("units/<int:pk>/export.xlsx", views.unit_export, name="unit_export"),
    path("units/<int:pk>/breakdown.xlsx", views.unit_breakdown_export, name="unit_breakdown_export"),
    path("units/<int:pk>/headcounts.xlsx", views.unit_headcount_export, name="unit_headcount_export"),
    path("units/<int:pk>/census/", views.unit_census, name="unit_census"),
    path("units/<int:pk>/census.xlsx", views.unit_census_export, name="unit_census_export"),
    path("schools/<int:pk>/", views.school_page, name="school"),
    path("schools/<int:pk>/export.xlsx", views.school_export, name="school_export"),
    path("schools/<int:pk>/breakdown.xlsx", views.school_breakdown_export, name="school_breakdown_export"),
    path("schools/<int:pk>/headcounts.xlsx", views.school_headcount_export, name="school_headcount_export"),
    path("schools/<int:pk>/grades.xlsx", views.school_grades_export, name="school_grades_export"),
    path("schools/<int:pk>/students/", views.school_students, name="school_students"),
    path("schools/<int:pk>/students.xlsx", views.school_students_export, name="school_students_export"),
    path("snapshots/", views.snapshot_list, name="snapshots"),
    path("snapshots/<int:pk>/take/", views.snapshot_take, name="snapshot_take"),
    path("snapshots/<int:year_pk>/schools/<int:pk>/", views.snapshot_school, name="snapshot_school"),
    path(
        "snapshots/<int:year_pk>/schools/<int:pk>/export.xlsx",
        views.snapshot_school_export,
        name="snapshot_school_export",
    ),
    path("snapshots/<int:year_pk>/amend/", views.snapshot_amend, name="snapshot_amend"),
    path("universal/<int:pk>/", views.universal_page, name="universal"),
    path("universal/<int:pk>/export.xlsx", views.universal_export, name="universal_export"),
    path("universal/<int:pk>/attest/", views.attested_input, name="attest"),
    path("thresholds/", views.thresholds, name="thresholds"),
    path("thresholds/<int:pk>/", views.threshold_edit, name="threshold_edit"),
]
