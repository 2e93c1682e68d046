"""The funds' forms: what an officer types is never dropped in silence."""

import pytest

from apps.funds.forms import PledgeForm
from apps.funds.models import Donor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "second, missing",
    [({"second_amount": "500.000"}, "second_due"), ({"second_due": "2026-01-15"}, "second_amount")],
)
def test_a_second_instalment_needs_its_due_day_and_its_amount(second, missing):
    data = {"made_on": "2025-09-01", "first_due": "2025-10-01", "first_amount": "1.000.000", **second}
    form = PledgeForm(data, donors=Donor.objects.none())
    assert not form.is_valid()
    assert "Đợt 2 cần cả hạn và số tiền" in " ".join(form.errors[missing])
