from django.urls import path

from apps.students import views

app_name = "students"
urlpatterns = [
    path("", views.student_list, name="list"),
    path("export.xlsx", views.student_export, name="export"),
    path("children/<int:pk>/", views.child_detail, name="child"),
    path("enrolments/<int:pk>/events/", views.enrolment_event, name="enrolment_event"),
    path("imports/", views.import_list, name="imports"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/new-census/", views.census_import_new, name="census_import_new"),
    path("census/", views.census_index, name="census"),
    path("census/<int:pk>/", views.census_hamlet, name="census_hamlet"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/revise/", views.import_revise, name="import_revise"),
    path("imports/<int:pk>/rejected.xlsx", views.import_rejected, name="import_rejected"),
]
