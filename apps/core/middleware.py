from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose English with the language switch (its cookie).

    Django's own middleware would follow the browser's Accept-Language, and many officials' browsers say
    English; the interface is Vietnamese first.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def reject_nul_bytes(get_response):
    """A NUL character in the address is never meant, and PostgreSQL refuses it in text: answer 400 here
    rather than 500 deep in a query (form fields already refuse it on their own)."""

    def middleware(request):
        values = (v for _key, vs in request.GET.lists() for v in vs)
        if "\x00" in request.path or any("\x00" in v for v in values):
            return HttpResponseBadRequest("Địa chỉ yêu cầu chứa ký tự không hợp lệ.")
        return get_response(request)

    return middleware
