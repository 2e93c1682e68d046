"""Audit events (`apps.core.audit`): appended inside the write's transaction, of actions an app declared."""

import inspect
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import override

from apps.core.audit import action_label, audit_record, register_actions, registered_actions, unregister_actions
from apps.core.models import AuditEvent
from tests.app_modules import app_modules

LITERAL_CODE = re.compile(r"""\baction=["']([a-z_]+\.[a-z_]+)["']""")


@pytest.fixture
def declare():
    """declare(app_label, {code: label}) for one test; the registry is left as the apps made it."""
    before, declared = registered_actions(), []

    def add(app_label, actions):
        register_actions(app_label, actions)
        declared.append(app_label)

    yield add
    for app_label in declared:
        unregister_actions(app_label)
    assert registered_actions() == before


class TestAuditRecord:
    def test_a_write_event_outside_a_transaction_is_refused(self, cast, monkeypatch):
        with monkeypatch.context() as patch, pytest.raises(RuntimeError):
            patch.setattr(transaction.get_connection(), "in_atomic_block", False)
            audit_record(actor=cast.admin, action="schools.school_update", obj=cast.school_a)

    def test_it_records_actor_object_and_changes(self, cast):
        with transaction.atomic():
            event = audit_record(
                actor=cast.admin, action="schools.school_update", obj=cast.school_a, changes={"x": [1, 2]}
            )
        event.refresh_from_db()
        assert (event.actor, event.object_type, event.object_id) == (
            cast.admin,
            "schools.school",
            str(cast.school_a.pk),
        )
        assert event.changes == {"x": [1, 2]}

    def test_an_action_nobody_declared_is_refused_and_nothing_is_written(self, cast):
        before = AuditEvent.objects.count()
        with transaction.atomic(), pytest.raises(ValueError, match="schools.school_paint"):
            audit_record(actor=cast.admin, action="schools.school_paint", obj=cast.school_a)
        assert AuditEvent.objects.count() == before

    def test_the_unit_may_be_given_by_its_id(self, cast):
        event = audit_record(
            actor=cast.admin, action="students.list_read", kind=AuditEvent.Kind.READ, org_unit=cast.commune_a.pk
        )
        assert AuditEvent.objects.get(pk=event.pk).org_unit == cast.commune_a


class TestRegisterActions:
    def test_a_declared_action_is_recorded_with_its_label(self, cast, declare):
        declare("tests", {"tests.planted": "Hành động thử"})
        with transaction.atomic():
            event = audit_record(actor=cast.admin, action="tests.planted")
        assert event.action_label == "Hành động thử"

    def test_an_app_declares_only_codes_under_its_own_label(self, declare):
        with pytest.raises(ValueError, match="does not start with"):
            declare("tests", {"schools.planted": "Hành động thử"})
        assert "schools.planted" not in registered_actions()

    def test_a_code_declared_again_with_another_label_is_refused(self, declare):
        declare("tests", {"tests.planted": "Hành động thử"})
        declare("tests", {"tests.planted": "Hành động thử"})  # the same again is harmless
        with pytest.raises(ValueError, match="already declared"):
            register_actions("tests", {"tests.planted": "Hành động khác"})
        assert registered_actions()["tests.planted"] == "Hành động thử"

    def test_an_old_event_of_a_code_no_longer_declared_reads_as_undeclared_not_its_code(self):
        assert action_label("gone.away") == "Hành động chưa khai báo"


class TestEveryAction:
    def test_every_declared_action_has_a_label_in_both_languages(self):
        untranslated = []
        for code, label in registered_actions().items():
            assert isinstance(label, Promise), code  # lazy, so that it follows the reader's language
            with override("vi"):
                vietnamese = str(label)
            with override("en"):
                english = str(label)
            if not vietnamese or vietnamese == code or english == vietnamese:
                untranslated.append(code)
        assert len(registered_actions()) > 40 and untranslated == []

    def test_every_code_written_in_the_source_is_declared(self):
        root = Path(settings.BASE_DIR)
        sources = [p for p in (*root.glob("apps/**/*.py"), *root.glob("bench/*.py")) if "tests" not in p.parts]
        used = {code for path in sources for code in LITERAL_CODE.findall(path.read_text(encoding="utf-8"))}
        assert {"imports.fail_stale", "orgunits.designation_record", "students.seed_demo", "bench.orm"} <= used
        # The codes made from a prefix (`f"students.{what}"`, `f"imports.{action}"`) are recorded by their tests.
        assert sorted(used - set(registered_actions())) == []

    def test_no_service_takes_a_switch_to_skip_its_audit_event(self):
        taking = set()
        for module in app_modules("services"):
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if function.__module__ == module.__name__ and "audit" in inspect.signature(function).parameters:
                    taking.add(f"{module.__name__}.{name}")
        assert sorted(taking) == []
