"""API fuzzing with schemathesis against the served OpenAPI schema, with a token for each member of the cast: no
answer 5xx, every answer matches its schema (status documented, body of the documented shape), and no answer holds
an object the token's scope hides (the scope walk's matrix: a child's name, a school's, an account's). Operations
are read from the schema, so an app's later router joins without an edit.

Run by `make check-long` (SCHEMATHESIS_EXAMPLES cases per operation and member); skipped in `make test` (the
schema's documentation of errors is checked there by test_schema_responses)."""

import collections
import json
import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as fuzz_settings
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import positive_data_acceptance

from apps.accounts.services import api_token_create
from tests.quality import fuzz_strategies as fs
from tests.test_scope_walk import EXPECT, H, obj_for

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES") or 0)
STATS = collections.Counter()
FAILURES: list[str] = []
pytestmark = pytest.mark.skipif(not EXAMPLES, reason="schemathesis runs under make check-long")
# A schema-valid request may still be refused (400): an upload's fields depend on its kind (`year`, `school`,
# `fund`…: each kind's own upload form) and are not in the schema, so "valid data is accepted" cannot hold there.
NOT_CHECKED = [positive_data_acceptance]
MEMBERS = ["admin", "province_officer", "commune_officer", "principal_a", "teacher_a", "teacher_b", "partner"]


def hidden_marks(cast, member: str) -> dict[str, str]:
    """{label: text} of the objects the matrix hides from `member` that a response could show: names of
    children, schools and accounts (text no answer to this member may hold)."""
    marks = {}
    for label, access in EXPECT[member].items():
        if access != H:
            continue
        if label.startswith(("child_", "school_", "user_")):
            obj = obj_for(cast, label)
            text = getattr(obj, "full_name", "") or getattr(obj, "name", "") or getattr(obj, "username", "")
            if text:
                marks[label] = text
    return marks


@pytest.fixture
def keep_connection():
    """The WSGI app served in-process, inside the test's transaction: Django closes the connection at the end of
    each request (as its test client does, that is turned off for the test)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("member", MEMBERS)
def test_the_api_answers_every_member_within_its_schema_and_scope(member, cast, keep_connection, settings):
    from dentruong.wsgi import application

    settings.ALLOWED_HOSTS = ["*"]
    user = getattr(cast, member)
    _token, secret = api_token_create(actor=user, name="schemathesis")
    headers = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    marks = hidden_marks(cast, member)
    for result in schema.get_all_operations():
        operation = result.ok()
        STATS["operations"] += 1

        @fuzz_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def each(case):
            STATS["cases"] += 1
            try:
                response = case.call_and_validate(headers=headers, excluded_checks=NOT_CHECKED)
            except (FailureGroup, AssertionError) as exc:
                STATS["failures"] += 1
                FAILURES.append(f"{member} {operation.label}: " + " / ".join(str(exc).split("\n")[1:8])[:600])
                return
            body = response.text
            leaked = [label for label, text in marks.items() if text in body or json.dumps(text)[1:-1] in body]
            if leaked:
                STATS["failures"] += 1
                FAILURES.append(f"{member} {operation.label}: shows {leaked} outside the token's scope")

        each()  # noqa: B023 - run here, before the loop moves on
    assert not [f for f in FAILURES if f.startswith(member + " ")][:5]


@pytest.fixture(scope="module", autouse=True)
def _print_figures(request):
    yield
    if STATS:
        lines = [
            f"\nSchemathesis: {STATS['operations']} operations × members, {STATS['cases']} cases, "
            f"{STATS['failures']} failures",
            *(f"  {f}" for f in FAILURES[:20]),
        ]
        fs.print_figures(request, "\n".join(lines))
