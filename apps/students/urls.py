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
