from django.urls import path

from apps.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.at_risk_list, name="list"),
    path("rules/", views.rules_edit, name="rules"),
]
