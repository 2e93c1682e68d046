import pytest
from django.db import transaction

from apps.core.counters import advance_to, current_number, next_number


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
    with pytest.raises(RuntimeError):
        advance_to("t:d", 1)


@pytest.mark.django_db
class TestAdvanceTo:
    def test_a_number_entered_by_hand_moves_the_series_on_and_never_back(self):
        with transaction.atomic():
            assert next_number("t:p") == 1
            assert advance_to("t:p", 7) == 7
            assert next_number("t:p") == 8
            assert advance_to("t:p", 3) == 8  # an older number written on paper does not wind the series back
            assert next_number("t:p") == 9

    def test_a_new_key_starts_from_the_number_entered(self):
        with transaction.atomic():
            advance_to("t:q", 4)
            assert next_number("t:q") == 5
