"""The funds' daily job: pledges whose instalment fell due and is not fully paid are listed, and the people who
run each fund are told (their page lists the donors' contacts; the notification names no one)."""

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.funds import selectors


def overdue_pledges(on: datetime.date) -> dict:
    """Day `on`'s list of overdue instalments, one notification per fund to its managers. A second run the same day
    is skipped by `apps.core.daily`."""
    from apps.notifications.services import notify

    by_fund = defaultdict(list)
    for instalment in selectors.overdue_instalments(on=on):
        by_fund[instalment.pledge.fund].append(instalment)
    told = 0
    for fund, instalments in by_fund.items():
        managers = list(selectors.managers_of(fund))
        if not managers:
            continue
        notify(
            recipients=managers,
            kind="funds.overdue_pledges",
            title=_("%(n)s đợt cam kết quá hạn — %(fund)s") % {"n": len(instalments), "fund": fund.name[:80]},
            body=_("Xem danh sách và thông tin liên hệ của nhà tài trợ trên trang Cam kết."),
            url=reverse("funds:pledges"),
        )
        told += len(managers)
    return {"overdue": sum(len(v) for v in by_fund.values()), "funds": len(by_fund), "told": told}
