import pytest
from django.db import transaction

from apps.core.counters import current_number, next_number


@pytest.mark.django_db
class TestNextNumber:
    def test_numbers_follow_each_other_per_key(self):
        with transaction.atomic():
            assert [next_number("t:a") for _ in range(3)] == [1, 2, 3]
            assert next_number("t:b") == 1
        assert current_number("t:a") == 3

    def test_a_rolled_back_allocation_gives_its_number_back(self):
        with transaction.atomic():
            assert next_number("t:c") == 1
        with pytest.raises(ZeroDivisionError):
            with transaction.atomic():
                assert next_number("t:c") == 2
                1 / 0
        with transaction.atomic():
            assert next_number("t:c") == 2


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_number_outside_a_transaction():
    with pytest.raises(RuntimeError):
        next_number("t:d")
