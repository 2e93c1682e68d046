from django.urls import path

from apps.targets import views

app_name = "targets"
urlpatterns = [
    path("", views.index, name="index"),
    path("late/", views.late_list, name="late"),
    path("units/<int:pk>/publish/", views.publish, name="publish"),
    path("units/<int:pk>/results.xlsx", views.results_export, name="results_export"),
    path("schools/<int:pk>/start/", views.annex_start, name="annex_start"),
    path("schools/<int:pk>/reopen/", views.annex_reopen, name="annex_reopen"),
    path("annexes/<int:pk>/", views.annex_page, name="annex"),
    path("annexes/<int:pk>/submit/", views.annex_submit, name="annex_submit"),
    path("annexes/<int:pk>/approve/", views.annex_approve, name="annex_approve"),
    path("annexes/<int:pk>/return/", views.annex_return, name="annex_return"),
    path("annexes/<int:pk>/export.xlsx", views.annex_export, name="annex_export"),
]
