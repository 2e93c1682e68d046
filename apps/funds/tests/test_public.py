"""The public transparency page and its API, without sign-in: totals, "dưới 5" for small counts, consenting donors
only, and nothing that names a child — checked against every demo child and guardian."""

import datetime

import pytest
from django.urls import reverse

from apps.funds import services
from apps.funds.models import DonationKind, Payout
from apps.funds.tests.conftest import DAY, give

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 12, 1)


@pytest.fixture
def published(cast, study_fund, sponsorship_fund, monkeypatch):
    from django.utils import timezone

    from apps.students.models import Enrolment

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    unit = cast.commune_a
    named = services.donor_create(
        actor=cast.partner,
        kind="business",
        name="Công ty TNHH Thử Nghiệm Minh Bạch",
        org_unit=unit,
        phone="0905000111",
        named_in_public=True,
    )
    hidden = services.donor_create(
        actor=cast.partner, kind="person", name="Bà Giấu Tên Thử", org_unit=unit, named_in_public=False
    )
    expired = services.donor_create(
        actor=cast.partner,
        kind="person",
        name="Ông Hết Hạn Thử",
        org_unit=unit,
        named_in_public=True,
        named_until=datetime.date(2025, 10, 1),
    )
    give(cast.partner, study_fund, 3_000_000, donor=named)
    give(cast.partner, study_fund, 1_000_000, donor=hidden)
    give(cast.partner, study_fund, 500_000, donor=expired)
    services.donation_record(
        actor=cast.partner,
        fund=study_fund,
        kind=DonationKind.IN_KIND,
        received_on=DAY,
        received_by="x",
        description="Vở ô li",
        quantity=100,
        unit="quyển",
        valuation=700_000,
    )
    services.fund_target_set(actor=cast.partner, fund=study_fund, year=_year(cast), amount=4_000_000)
    small = services.payout_record(
        actor=cast.partner,
        fund=study_fund,
        purpose="scholarship",
        recipients=Payout.Recipients.STUDENTS,
        paid_on=DAY,
        amount=900_000,
        school=cast.school_a,
        recipient_count=3,
        note="Học bổng cho em Nguyễn Văn Riêng Tư lớp 1A",
    )
    services.payout_record(
        actor=cast.partner,
        fund=study_fund,
        purpose="gift_tet",
        recipients=Payout.Recipients.STUDENTS,
        paid_on=DAY,
        amount=1_200_000,
        school=cast.school_a,
        recipient_count=12,
    )
    children = [e.child for e in Enrolment.objects.filter(school=cast.school_a)[:3]]
    services.payout_link_children(actor=cast.principal_a, payout=small, children=children)
    give(cast.principal_a, sponsorship_fund, 5_000_000)
    services.usage_plan_post(
        actor=cast.principal_a,
        fund=sponsorship_fund,
        title="Lợp lại mái lớp học điểm trường thôn 2",
        amount=4_000_000,
        posted_on=datetime.date(2025, 11, 3),
    )
    return study_fund


def _year(cast):
    from apps.schools.models import SchoolYear

    return SchoolYear.objects.get(province=cast.province, start_year=2025)


def demo_names():
    from apps.students.models import Child, Guardian

    return set(Child.objects.values_list("full_name", flat=True)) | set(
        Guardian.objects.values_list("full_name", flat=True)
    )


class TestThePublicPage:
    def test_it_shows_totals_small_counts_as_under_five_and_consenting_donors_only(self, cast, client_for, published):
        response = client_for(cast.anonymous).get(reverse("funds:public_school", args=[cast.school_a.pk]))
        # The study-promotion fund is the commune association's: it shows on the commune's page.
        assert response.status_code == 200
        page = client_for(cast.anonymous).get(reverse("funds:public_unit", args=[cast.commune_a.pk])).content.decode()
        assert "Quỹ khuyến học xã Trà Linh (thử)" in page
        assert "4.000.000 ₫" in page  # target
        assert "5.200.000 ₫" in page  # raised: 4.5 million in cash and 700.000 ₫ of exercise books
        assert "2.100.000 ₫" in page  # spent
        assert "dưới 5" in page and ">12<" in page
        assert "Công ty TNHH Thử Nghiệm Minh Bạch" in page
        assert "Bà Giấu Tên Thử" not in page and "Ông Hết Hạn Thử" not in page
        assert "0905000111" not in page
        assert "Riêng Tư" not in page  # a payout's own text never
        assert "Lợp lại mái lớp học điểm trường thôn 2" in page and "03/11/2025" in page

    def test_it_never_names_a_demo_child_or_guardian(self, cast, client_for, published):
        client = client_for(cast.anonymous)
        pages = [
            client.get(reverse("funds:public_unit", args=[cast.commune_a.pk])).content.decode(),
            client.get(reverse("funds:public_school", args=[cast.school_a.pk])).content.decode(),
            client.get(f"/api/v1/funds/public/unit/{cast.commune_a.pk}").content.decode(),
            client.get(f"/api/v1/funds/public/school/{cast.school_a.pk}").content.decode(),
        ]
        names = demo_names()
        assert len(names) > 100
        leaked = {name for name in names for text in pages if name in text}
        assert leaked == set()

    def test_the_anonymous_api_gives_the_same_figures(self, cast, client_for, published):
        response = client_for(cast.anonymous).get(f"/api/v1/funds/public/unit/{cast.commune_a.pk}")
        assert response.status_code == 200
        fund = next(f for f in response.json() if f["code"] == "T-KH-TL")
        assert (fund["target"], fund["raised"], fund["spent"]) == (4_000_000, 5_200_000, 2_100_000)
        assert {p["label"]: p["students"] for p in fund["purposes"]} == {
            "Học bổng cho học sinh": "dưới 5",
            "Quà Tết": 12,
        }
        assert fund["donors"] == ["Công ty TNHH Thử Nghiệm Minh Bạch"]
        school = client_for(cast.anonymous).get(f"/api/v1/funds/public/school/{cast.school_a.pk}").json()
        plan = next(f for f in school if f["code"] == "T-CSVC-TN")["plans"][0]
        assert plan["posted_on"] == "2025-11-03" and plan["executable_on"] == "2025-11-25"

    def test_an_unknown_place_answers_404(self, client_for, cast):
        client = client_for(cast.anonymous)
        assert client.get(reverse("funds:public_school", args=[999999])).status_code == 404
        assert client.get("/api/v1/funds/public/unit/999999").status_code == 404
