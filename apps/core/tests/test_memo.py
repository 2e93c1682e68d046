"""`once_per_request`: inside a request one computation per key; outside one (a command, a test) every call
computes."""

from apps.core import memo


class TestOncePerRequest:
    def test_inside_a_request_a_key_is_computed_once(self):
        calls = []
        token = memo.open_memo()
        try:
            first = memo.once_per_request("k", lambda: calls.append(1) or len(calls))
            second = memo.once_per_request("k", lambda: calls.append(1) or len(calls))
            other = memo.once_per_request("other", lambda: "x")
        finally:
            memo.close_memo(token)
        assert (first, second, other, len(calls)) == (1, 1, "x", 1)

    def test_outside_a_request_every_call_computes(self):
        calls = []
        memo.once_per_request("k", lambda: calls.append(1))
        memo.once_per_request("k", lambda: calls.append(1))
        assert len(calls) == 2

    def test_the_memo_is_dropped_after_the_request(self):
        token = memo.open_memo()
        memo.once_per_request("k", lambda: "old")
        memo.close_memo(token)
        token = memo.open_memo()
        try:
            assert memo.once_per_request("k", lambda: "new") == "new"
        finally:
            memo.close_memo(token)
