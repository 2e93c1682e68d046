import datetime

import pytest
from django.urls import reverse

from apps.funds import jobs, services
from apps.funds.tests.conftest import give

pytestmark = pytest.mark.django_db


@pytest.fixture
def pledge(cast, study_fund):
    donor = services.donor_create(
        actor=cast.partner,
        kind="business",
        name="Công ty Thử Hứa Hẹn",
        org_unit=cast.commune_a,
        phone="0235 3888 777",
        email="lienhe@thu-hua-hen.vn",
    )
    return services.pledge_record(
        actor=cast.partner,
        fund=study_fund,
        donor=donor,
        made_on=datetime.date(2025, 9, 1),
        instalments=[(datetime.date(2025, 10, 1), 1_000_000), (datetime.date(2026, 3, 1), 1_000_000)],
        campaign="Vận động năm học 2025-2026",
    )


class TestOverduePledges:
    def test_a_pledge_with_a_missed_instalment_is_listed_overdue(self, cast, pledge):
        from apps.funds.selectors import overdue_instalments

        first, second = pledge.instalments.all()
        assert list(overdue_instalments(on=datetime.date(2025, 10, 1))) == []  # due that day: not late yet
        assert list(overdue_instalments(on=datetime.date(2025, 10, 2))) == [first]
        give(cast.partner, pledge.fund, 400_000, donor=pledge.donor, instalment=first)
        assert list(overdue_instalments(on=datetime.date(2025, 10, 2))) == [first]  # partly paid is still late
        give(cast.partner, pledge.fund, 600_000, donor=pledge.donor, instalment=first)
        assert list(overdue_instalments(on=datetime.date(2026, 3, 2))) == [second]

    def test_what_is_paid_is_read_from_the_ledger_after_a_correction(self, cast, pledge):
        from apps.funds.selectors import overdue_instalments

        first, _second = pledge.instalments.all()
        entry = give(cast.partner, pledge.fund, 1_000_000, donor=pledge.donor, instalment=first).entries.get()
        assert list(overdue_instalments(on=datetime.date(2025, 10, 2))) == []
        services.entry_correct(actor=cast.partner, entry=entry, cash=100_000, reason="Thực nhận 100.000 ₫")
        [late] = overdue_instalments(on=datetime.date(2025, 10, 2))
        assert late == first and late.paid == 100_000

    def test_the_daily_job_tells_the_fund_s_managers(self, cast, pledge):
        from apps.notifications.models import Notification

        result = jobs.overdue_pledges(datetime.date(2025, 10, 2))
        assert result["overdue"] == 1 and result["funds"] == 1
        told = Notification.objects.filter(kind="funds.overdue_pledges")
        assert {n.recipient for n in told} == {cast.partner}
        assert "Công ty Thử Hứa Hẹn" not in told.get().title  # the page shows who; the message does not

    def test_the_managers_see_the_donors_contacts_and_readers_do_not(self, cast, client_for, pledge, monkeypatch):
        from django.utils import timezone

        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2025, 10, 2))
        page = client_for(cast.partner).get(reverse("funds:pledges")).content.decode()
        assert 'id="overdue"' in page and "0235 3888 777" in page and "lienhe@thu-hua-hen.vn" in page
        reader = client_for(cast.teacher_a).get(reverse("funds:pledges")).content.decode()
        assert "0235 3888 777" not in reader

    def test_the_job_is_registered_for_the_daily_run(self):
        from apps.core import daily

        assert daily.jobs()["funds.overdue_pledges"] is jobs.overdue_pledges

    def test_a_payment_against_another_donor_s_instalment_is_refused(self, cast, pledge):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            give(cast.partner, pledge.fund, 100_000, instalment=pledge.instalments.first())
