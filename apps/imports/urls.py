from django.urls import path

from apps.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/<str:kind>/", views.job_new, name="new"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/confirm/", views.job_confirm, name="confirm"),
    path("<int:pk>/revise/", views.job_revise, name="revise"),
    path("<int:pk>/discard/", views.job_discard, name="discard"),
    path("<int:pk>/rejected.xlsx", views.job_rejected, name="rejected"),
]
