"""After-write hooks: what other apps do inside the same transaction when enrolments or census records change —
indicators keep their count tables, casework opens a case on a dropout — whatever path wrote them. Every write
path calls them explicitly (the services, the import write step, the demo seed; never Django signals) with the
ids written, once per write:

    # in your AppConfig.ready()
    from apps.students.hooks import after_enrolments
    after_enrolments(keep_counts)  # keep_counts(ids: list[int]) runs inside the write's transaction

A hook runs inside the write's transaction, so a write rolled back takes the hook's own writes with it; a hook
that acts outside the database (an e-mail, a task) must do so in `transaction.on_commit`."""

from collections.abc import Callable, Iterable

from django.db import transaction

ENROLMENTS = "enrolments"  # an enrolment created, changed, or given an event (its status)
CENSUS = "census"  # a census record created or changed
RECORDS = "records"  # an enrolment's absences or semester results written (the ids are the enrolments')
_HOOKS: dict[str, list[Callable[[list[int]], None]]] = {ENROLMENTS: [], CENSUS: [], RECORDS: []}


def after_enrolments(hook: Callable[[list[int]], None]) -> None:
    _add(ENROLMENTS, hook)


def after_census(hook: Callable[[list[int]], None]) -> None:
    _add(CENSUS, hook)


def after_records(hook: Callable[[list[int]], None]) -> None:
    """`hook(enrolment_ids)` after absences or semester results of those enrolments are written."""
    _add(RECORDS, hook)


def _add(kind: str, hook) -> None:
    if hook not in _HOOKS[kind]:
        _HOOKS[kind].append(hook)


def remove(hook) -> None:
    """Take a hook out again (tests that register one)."""
    for hooks in _HOOKS.values():
        if hook in hooks:
            hooks.remove(hook)


def enrolments_written(ids: Iterable[int]) -> None:
    """Called by every path that creates an enrolment, changes one or records an event on one."""
    _call(ENROLMENTS, ids)


def census_written(ids: Iterable[int]) -> None:
    """Called by every path that creates or changes census records."""
    _call(CENSUS, ids)


def records_written(ids: Iterable[int]) -> None:
    """Called by every path that writes absences or semester results, with their enrolments' ids."""
    _call(RECORDS, ids)


def _call(kind: str, ids: Iterable[int]) -> None:
    ids = sorted(set(ids))
    if not ids or not _HOOKS[kind]:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{kind}_written() belongs inside the write's transaction")
    for hook in list(_HOOKS[kind]):
        hook(ids)
