from django.urls import path

from apps.students import views

app_name = "students"
urlpatterns = [
    path("", views.student_list, name="list"),
    path("export.xlsx", views.student_export, name="export"),
    path("children/<int:pk>/", views.child_detail, name="child"),
    path("enrolments/<int:pk>/events/", views.enrolment_event, name="enrolment_event"),
    path("census/", views.census_index, name="census"),
    path("census/<int:pk>/", views.census_hamlet, name="census_hamlet"),
]

# Attendance and results by class (`attendance_views`).
from apps.students import attendance_views  # noqa: E402

urlpatterns += [
    path("classes/", attendance_views.class_list, name="classes"),
    path("classes/<int:pk>/absences/", attendance_views.absence_grid, name="absences"),
    path("classes/<int:pk>/absences/cell/", attendance_views.absence_cell, name="absence_cell"),
    path("classes/<int:pk>/results/", attendance_views.result_form, name="results"),
]
