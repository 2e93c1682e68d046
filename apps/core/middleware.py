import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme


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


def request_memo(get_response):
    """A fresh per-request memo (`apps.core.memo.once_per_request`) for each request, dropped after the answer."""
    from apps.core.memo import close_memo, open_memo

    def middleware(request):
        token = open_memo()
        try:
            return get_response(request)
        finally:
            close_memo(token)

    return middleware


def reject_nul_bytes(get_response):
    """A NUL character in the address is never meant, and PostgreSQL refuses it in text: answer 400 here
    rather than 500 deep in a query (form fields already refuse it on their own). Under /api/ the answer is the API's
    documented 400, `{"detail": "…"}` as JSON (schemathesis found it as an HTML page on the API's lists)."""

    def middleware(request):
        values = (v for _key, vs in request.GET.lists() for v in vs)
        if "\x00" in request.path or any("\x00" in v for v in values):
            reason = "Địa chỉ yêu cầu chứa ký tự không hợp lệ."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": reason}, status=400)
            return HttpResponseBadRequest(reason)
        return get_response(request)

    return middleware


def login_redirects(get_response):
    """When a session has expired: an htmx request gets the whole page sent to the login (not the login form
    swapped into a fragment), and a form posted to an action-only address comes back, after login, to the page
    it was posted from rather than to an address that answers only POST."""

    def middleware(request):
        response = get_response(request)
        login = resolve_url(settings.LOGIN_URL)
        # Only the redirects of login_required (they carry ?next=), not a view that sends someone to the page.
        if response.status_code != 302 or not response.get("Location", "").startswith(login + "?"):
            return response
        back = request.headers.get("HX-Current-URL") or request.headers.get("Referer") or ""
        back = back if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) else ""
        if request.method == "GET" and not request.headers.get("HX-Request"):
            return response
        target = f"{login}?{urlencode({'next': urlsplit(back).path})}" if back else login
        if request.headers.get("HX-Request"):
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = target
        else:
            redirect = HttpResponseRedirect(target)
        redirect.cookies = response.cookies
        return redirect

    return middleware


def no_store(get_response):
    """Nothing a signed-in user is shown, and no API answer, is kept by the browser or a proxy: the pages list
    children's personal data, and a shared computer's back button or cache must not show them to the next person
    (`Cache-Control: no-store`). Static files never reach here (whitenoise answers them before)."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or getattr(user, "is_authenticated", False):
            add_never_cache_headers(response)  # max-age=0, no-cache, no-store, must-revalidate, private
        return response

    return middleware


TOUCH_KEY = "_touched"


def idle_sessions(get_response):
    """A session ends after `SESSION_COOKIE_AGE` without a request, and each request starts that time again — but
    the session row is written again at most every `SESSION_TOUCH_SECONDS` (Django's SESSION_SAVE_EVERY_REQUEST
    writes it on every request, a database write per page, static-less HTMX fragment and API call). So the idle
    time is measured from the last write: within `SESSION_TOUCH_SECONDS` of the exact figure, never longer."""

    def middleware(request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - session.get(TOUCH_KEY, 0) >= settings.SESSION_TOUCH_SECONDS:
                session[TOUCH_KEY] = now  # modified: SessionMiddleware saves it, with a new expiry, and the cookie
        return get_response(request)

    return middleware


def touched_at_sign_in(sender, request, user, **kwargs):
    """Signing in writes the session: its idle time starts there (the first page after it writes nothing more)."""
    if getattr(request, "session", None) is not None:
        request.session[TOUCH_KEY] = int(time.time())
