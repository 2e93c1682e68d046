"""Values worked out once per request: the menu, the home page's tiles and the page itself ask the same questions
(may this user start an import, does they govern a commune) several times in one answer. The middleware
(`apps.core.middleware.request_memo`) opens a fresh memo for each request and drops it after the answer; outside a
request (a command, a test calling a selector) nothing is kept and every call computes."""

from contextvars import ContextVar

_MEMO: ContextVar[dict | None] = ContextVar("dentruong_request_memo", default=None)


def once_per_request(key, compute):
    """`compute()`, or what it returned for `key` earlier in this request. For reads only (what a user may open),
    never for a figure a write in the same request may change."""
    memo = _MEMO.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def open_memo():
    return _MEMO.set({})


def close_memo(token) -> None:
    _MEMO.reset(token)
