from django.urls import path

from apps.students import views

app_name = "students"
urlpatterns = [
    path("", views.student_list, name="list"),
    path("children/<int:pk>/", views.child_detail, name="child"),
]
