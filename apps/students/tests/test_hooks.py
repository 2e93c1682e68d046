"""After-write hooks: called once per write, by every path that writes enrolments or census records, inside the
write's transaction."""

import datetime

import pytest
from django.db import transaction

from apps.core.models import AuditEvent
from apps.schools.models import SchoolYear
from apps.students import hooks, services
from apps.students.importers import apply_roster, plan_roster
from apps.students.models import Enrolment, EnrolmentEvent
from apps.students.tests.test_census import census, enrolled_child
from apps.students.tests.test_census import run as run_census
from apps.students.tests.test_importers import ROWS, roster


@pytest.fixture
def calls():
    """A hook for each kind that notes each call (the ids, and whether it ran inside a transaction) and writes a
    row of its own, as indicators will."""
    seen = {"enrolments": [], "census": []}
    outside = len(transaction.get_connection().atomic_blocks)  # the test's own transaction(s): the write adds one

    def hook_for(kind):
        def hook(ids):
            seen[kind].append((ids, len(transaction.get_connection().atomic_blocks) > outside))  # in the write's own
            AuditEvent.objects.create(action=f"test.{kind}_hook", object_type="test", object_repr=str(len(ids)))

        return hook

    on_enrolments, on_census = hook_for("enrolments"), hook_for("census")
    hooks.after_enrolments(on_enrolments)
    hooks.after_census(on_census)
    yield seen
    hooks.remove(on_enrolments)
    hooks.remove(on_census)


@pytest.fixture
def year(cast):
    return SchoolYear.objects.get(province=cast.province, start_year=2025)


def test_the_services_call_the_hook_once_per_write_inside_it(cast, year, calls):
    enrolment = Enrolment.objects.filter(school=cast.school_a, year=year, ongoing=True).first()
    services.enrolment_record_event(
        actor=cast.principal_a,
        enrolment=enrolment,
        kind="dropped_out",
        on=datetime.date(2025, 11, 3),
        reason="other",
        reason_text="Theo gia đình",
    )
    assert calls["enrolments"] == [([enrolment.pk], True)]


def test_an_import_calls_the_hook_once_with_every_enrolment_it_wrote(cast, year, calls):
    plan = plan_roster(actor=cast.principal_a, filename="ds.xlsx", data=roster(ROWS), year=year, school=cast.school_a)
    result = apply_roster(actor=cast.principal_a, plan=plan)
    written = sorted(Enrolment.objects.filter(child__in=[r.child_id for r in plan.rows]).values_list("pk", flat=True))
    assert result.created_enrolments == 3 and calls["enrolments"] == [(written, True)]
    apply_roster(
        actor=cast.principal_a,
        plan=plan_roster(
            actor=cast.principal_a, filename="ds.xlsx", data=roster(ROWS), year=year, school=cast.school_a
        ),
    )
    assert len(calls["enrolments"]) == 1  # the same file again writes nothing: no call


def test_a_census_import_calls_its_hook_with_the_records_written(cast, year, calls):
    known = enrolled_child(cast)
    data = census(["Hồ Thị Móc", "04/04/2014", "Nữ", "Ca Dong", known.hamlet.display_name, "Bỏ học", "", "", ""])
    plan, result = run_census(cast, year, data)
    assert result.created_records == 1 and len(calls["census"]) == 1 and calls["census"][0][1] is True


def test_a_write_rolled_back_leaves_nothing_of_its_hooks(cast, year, calls):
    enrolment = Enrolment.objects.filter(school=cast.school_a, year=year, ongoing=True).first()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.enrolment_record_event(
            actor=cast.principal_a,
            enrolment=enrolment,
            kind="dropped_out",
            on=datetime.date(2025, 11, 3),
            reason="other",
            reason_text="Theo gia đình",
        )
        raise RuntimeError("the caller's transaction fails after the write")
    assert len(calls["enrolments"]) == 1  # called inside the write…
    assert not AuditEvent.objects.filter(action="test.enrolments_hook").exists()  # …and gone with it
    assert not EnrolmentEvent.objects.filter(enrolment=enrolment, kind="dropped_out").exists()


def test_calling_the_hooks_outside_a_transaction_is_refused(calls):
    with pytest.raises(RuntimeError):
        hooks.enrolments_written([1])


def test_the_demo_seed_calls_each_hook_once_with_what_it_wrote(cast, calls):
    from apps.demo.management.commands.seed_demo import DEMO, Command

    command, spec = Command(), DEMO["48"]
    hamlets = {code: command._hamlets(cast.admin, code, names) for code, names in spec["communes"].items()}
    next_year = SchoolYear.objects.get(province=cast.province, start_year=2026)  # the demo seeds one year
    with transaction.atomic():
        command._students(cast.admin, next_year, spec, hamlets)
    written = sorted(Enrolment.objects.filter(year=next_year).values_list("pk", flat=True))
    assert written and calls["enrolments"] == [(written, True)]
    assert len(calls["census"]) == 1 and len(calls["census"][0][0]) == next_year.census_records.count()
