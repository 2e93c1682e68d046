import datetime

import pytest
from django.urls import reverse

from apps.funds import workdays
from apps.funds.models import CalendarDay, Entry

pytestmark = pytest.mark.django_db


def test_a_system_administrator_adds_a_holiday_and_it_is_audited(cast, client_for):
    from apps.core.models import AuditEvent

    posted = datetime.date(2027, 10, 4)
    before = workdays.executable_on(posted)
    response = client_for(cast.admin).post(
        reverse("admin:funds_calendarday_add"), {"day": "2027-10-11", "kind": "holiday", "name": "Nghỉ thử"}
    )
    assert response.status_code == 302
    assert CalendarDay.objects.filter(day=datetime.date(2027, 10, 11)).exists()
    assert workdays.executable_on(posted) == before + datetime.timedelta(days=1)
    assert AuditEvent.objects.filter(action="funds.calendar_change", actor=cast.admin).exists()


def test_the_ledger_is_read_only_in_the_admin(cast, client_for):
    entry = Entry.objects.first()
    client = client_for(cast.admin)
    assert client.get(reverse("admin:funds_entry_change", args=[entry.pk])).status_code == 200
    assert client.post(reverse("admin:funds_entry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
