from django.http import HttpResponse
from django.urls import path

app_name = "registration_app"
urlpatterns = [path("", lambda request: HttpResponse("Trang sổ vàng"), name="index")]
