"""Gap-free sequential numbers (receipt numbers, document numbers) from one locked row per key.

    with transaction.atomic():
        n = next_number(f"funds.receipt:{fund.code}:{year}")   # 1, 2, 3, … per key
        ...write the thing that carries the number...

The row is locked (SELECT … FOR UPDATE on PostgreSQL; on SQLite the transaction's write lock, taken at BEGIN
IMMEDIATE as the project's SQLite runs it) until the caller's transaction ends, so two people recording at once
get consecutive numbers, one after the other; a transaction that rolls back gives its number back with it, so the
next allocation reuses it and the series has no gap. Something numbered and later cancelled keeps its number
(a reversal is a new record, not a deletion). Keep the transaction short: everyone numbering under the same key
waits for it.
"""

from django.db import IntegrityError, transaction

from apps.core.models import Counter


def next_number(key: str, *, using: str = "default") -> int:
    """The next number under `key`, starting at 1. Must run inside the caller's transaction (RuntimeError
    otherwise: a number allocated in a transaction of its own could be lost by the caller's rollback and leave a
    gap)."""
    if not transaction.get_connection(using).in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that uses the number")
    if not key or len(key) > Counter._meta.get_field("key").max_length:
        raise ValueError(f"invalid counter key {key!r}")
    manager = Counter.objects.db_manager(using)
    counter = manager.select_for_update().filter(key=key).first()
    if counter is None:
        # The first number under this key: insert the row (a concurrent first insert waits on PostgreSQL's unique
        # index, then loses: its ON CONFLICT does nothing and it locks the winner's row below).
        try:
            with transaction.atomic(using=using):
                manager.bulk_create([Counter(key=key, value=0)], ignore_conflicts=True)
        except IntegrityError:  # pragma: no cover - ignore_conflicts makes this a no-op on both databases
            pass
        counter = manager.select_for_update().get(key=key)
    counter.value += 1
    manager.filter(pk=counter.pk).update(value=counter.value)
    return counter.value


def current_number(key: str) -> int:
    """The last number allocated under `key` and committed (0 when none): for display, never to allocate."""
    return Counter.objects.filter(key=key).values_list("value", flat=True).first() or 0


def advance_to(key: str, value: int, *, using: str = "default") -> int:
    """Make sure the series under `key` continues after `value` (a number written on paper and entered by hand):
    the counter becomes max(its value, `value`), under the same lock `next_number` takes. Returns the counter's
    value. Must run inside the caller's transaction."""
    if not transaction.get_connection(using).in_atomic_block:
        raise RuntimeError("advance_to must run inside the transaction that uses the number")
    if not key or len(key) > Counter._meta.get_field("key").max_length:
        raise ValueError(f"invalid counter key {key!r}")
    manager = Counter.objects.db_manager(using)
    counter = manager.select_for_update().filter(key=key).first()
    if counter is None:
        with transaction.atomic(using=using):
            manager.bulk_create([Counter(key=key, value=0)], ignore_conflicts=True)
        counter = manager.select_for_update().get(key=key)
    if value > counter.value:
        manager.filter(pk=counter.pk).update(value=value)
        return value
    return counter.value
