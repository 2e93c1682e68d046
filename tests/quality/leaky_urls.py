"""The site's URLs and two pages no other file names, one of which shows a child (test_privacy_crawl's proof that
the crawler finds pages added later, and the personal data on them)."""

from django.http import HttpResponse
from django.urls import path

from dentruong.urls import urlpatterns as site


def notice(request):
    return HttpResponse('<a href="/cong-khai/them/chi-tiet/">Chi tiết</a>')


def detail(request):
    from apps.students.models import Child

    child = Child.objects.exclude(birth_date=None).order_by("pk").first()
    return HttpResponse(f"<p>{child.full_name.upper()}</p><p>{child.birth_date:%d/%m/%Y}</p>")


urlpatterns = [
    *site,
    path("cong-khai/them/", notice),
    path("cong-khai/them/chi-tiet/", detail),
]
