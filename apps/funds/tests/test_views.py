"""The funds' pages for every member of the cast: who sees a fund (404 otherwise), who may write to it (403 when
they only read it), what a refused write says."""

import datetime

import pytest
from django.urls import reverse

from apps.funds import services
from apps.funds.models import Kind, Payout, Regime
from apps.funds.tests.conftest import DAY, give, give_goods

pytestmark = pytest.mark.django_db

MEMBERS = [
    "admin",
    "province_officer",
    "commune_officer",
    "other_commune_officer",
    "principal_a",
    "teacher_a",
    "teacher_b",
    "partner",
    "pa_officer",
]
# What each member may do with each fund: H hidden (404), V view (403 on a write), C change. The Parents'
# Association fund is changed by its own officer alone; the principal reads it.
MATRIX = {
    "sponsorship_fund": dict(zip(MEMBERS, "CVCHCVHVV")),
    "study_fund": dict(zip(MEMBERS, "CVVHVVHCV")),
    "parents_fund": dict(zip(MEMBERS, "CVVHVVHVC")),
}


def _member(cast, pa_officer, name):
    return pa_officer if name == "pa_officer" else getattr(cast, name)


@pytest.mark.parametrize("fund_name", list(MATRIX))
def test_every_member_gets_what_the_scope_allows(cast, client_for, request, pa_officer, fund_name):
    fund = request.getfixturevalue(fund_name)
    entry = give(cast.admin, fund, 1_000_000).entries.get()
    for member in MEMBERS:
        rule = MATRIX[fund_name][member]
        client = client_for(_member(cast, pa_officer, member))
        detail = client.get(reverse("funds:detail", args=[fund.pk])).status_code
        write = client.post(reverse("funds:donation_new", args=[fund.pk]), {}).status_code
        correct = client.get(reverse("funds:entry_correct", args=[entry.pk])).status_code
        report = client.get(reverse("funds:report", args=[fund.pk])).status_code
        api = client.get(f"/api/v1/funds/{fund.pk}").status_code
        expected = {
            "H": (404, 404, 404, 404, 404),
            "V": (200, 403, 403, 200, 200),
            "C": (200, 400, 200, 200, 200),  # an empty POST: the form's own answer
        }[rule]
        assert (detail, write, correct, report, api) == expected, (member, fund_name)


def test_anonymous_visitors_are_sent_to_sign_in(cast, client_for, study_fund):
    client = client_for(cast.anonymous)
    response = client.get(reverse("funds:detail", args=[study_fund.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(f"/api/v1/funds/{study_fund.pk}").status_code == 401


def test_a_donation_through_the_page_gets_its_receipt_number(cast, client_for, study_fund):
    client = client_for(cast.partner)
    response = client.post(
        reverse("funds:donation_new", args=[study_fund.pk]),
        {"kind": "cash", "amount": "1.500.000", "received_on": "2025-09-08", "received_by": "Đinh Văn Sơn"},
    )
    assert response.status_code == 302
    assert study_fund.donations.get().amount == 1_500_000
    page = client.get(reverse("funds:detail", args=[study_fund.pk])).content.decode()
    assert "T-KH-TL-2025-0001" in page and "1.500.000 ₫" in page


def test_bad_money_is_refused_naming_the_field(cast, client_for, study_fund):
    response = client_for(cast.partner).post(
        reverse("funds:donation_new", args=[study_fund.pk]),
        {"kind": "cash", "amount": "1,5 triệu", "received_on": "2025-09-08", "received_by": "x"},
    )
    assert response.status_code == 400
    assert "không phải số tiền" in response.content.decode()


def test_a_forbidden_payout_is_refused_on_the_page_with_the_rule_quoted(cast, client_for, sponsorship_fund):
    give(cast.principal_a, sponsorship_fund, 2_000_000)
    response = client_for(cast.principal_a).post(
        reverse("funds:payout_new", args=[sponsorship_fund.pk]),
        {"purpose": "teacher_pay", "recipients": "teachers", "paid_on": "2025-10-01", "amount": "500.000"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Thông tư 16/2018/TT-BGDĐT: không sử dụng tài trợ để chi trả tiền lương" in text
    assert not sponsorship_fund.payouts.exists()


def test_a_correction_through_the_page_shows_both_entries(cast, client_for, study_fund):
    entry = give(cast.partner, study_fund, 5_000_000).entries.get()
    client = client_for(cast.partner)
    response = client.post(reverse("funds:entry_correct", args=[entry.pk]), {"cash": "500.000", "reason": "Gõ thừa"})
    assert response.status_code == 302
    page = client.get(reverse("funds:detail", args=[study_fund.pk])).content.decode()
    assert "Bút toán đảo" in page and "Gõ thừa" in page and "500.000 ₫" in page


def test_a_payout_of_goods_is_corrected_on_the_page_as_typed_quantity_and_value(cast, client_for, study_fund):
    from decimal import Decimal

    from apps.funds import selectors
    from apps.funds.tests.test_services import _pay

    give_goods(cast.partner, study_fund)
    entry = _pay(cast.partner, study_fund, 0, item="Vở (quyển)", quantity=Decimal("4")).entries.get()
    response = client_for(cast.partner).post(
        reverse("funds:entry_correct", args=[entry.pk]), {"quantity": "3", "value": "33.000", "reason": "Xuất 3 quyển"}
    )
    assert response.status_code == 302
    replacement = study_fund.entries.get(kind="correction")
    assert (replacement.quantity, replacement.value) == (Decimal("-3.00"), -33_000)
    assert selectors.stock(study_fund) == {"Vở (quyển)": (Decimal("7.00"), 67_000)}


def test_the_donation_form_offers_the_fund_s_open_instalments_and_names_their_donor(cast, client_for, study_fund):
    donor = services.donor_create(actor=cast.partner, kind="business", name="Công ty Hứa Trả", org_unit=cast.commune_a)
    pledge = services.pledge_record(
        actor=cast.partner,
        fund=study_fund,
        donor=donor,
        made_on=DAY,
        instalments=[(DAY, 1_000_000), (DAY.replace(year=DAY.year + 1), 2_000_000)],
    )
    first, second = pledge.instalments.all()
    other_fund = services.fund_create(
        actor=cast.partner,
        code="T-KH-KHAC",
        name="Quỹ khác",
        kind=Kind.STUDY_PROMOTION,
        regime=Regime.ASSOCIATION,
        organisation=cast.organisation,
        opened_on=DAY,
    )
    services.pledge_record(actor=cast.partner, fund=other_fund, donor=donor, made_on=DAY, instalments=[(DAY, 5_000)])
    give(cast.partner, study_fund, 1_000_000, donor=donor, instalment=first)  # the first is paid in full
    client = client_for(cast.partner)
    page = client.get(reverse("funds:detail", args=[study_fund.pk])).content.decode()
    offered = page[page.index('id="donation_instalment"') :].split("</select>")[0]
    assert offered.count("<option") == 2  # "not against a pledge", and the second instalment
    assert f'<option value="{second.pk}">Công ty Hứa Trả — hạn' in offered and "(đã trả 0 ₫)" in offered
    assert f'value="{first.pk}"' not in offered  # paid: not offered; the other fund's: never
    new = reverse("funds:donation_new", args=[study_fund.pk])
    posted = {"kind": "cash", "amount": "500.000", "received_on": "2025-10-08", "received_by": "Thủ quỹ"}
    stranger = services.donor_create(actor=cast.partner, kind="person", name="Người Lạ", org_unit=cast.commune_a)
    refused = client.post(new, {**posted, "instalment": second.pk, "donor": stranger.pk})
    assert refused.status_code == 400 and "Đợt cam kết này là của nhà tài trợ khác" in refused.content.decode()
    assert client.post(new, {**posted, "instalment": first.pk}).status_code == 400  # paid already: not a choice
    assert client.post(new, {**posted, "instalment": second.pk}).status_code == 302
    paid = study_fund.donations.get(instalment=second)
    assert paid.donor == donor and paid.amount == 500_000


def test_the_payout_page_shows_children_to_the_school_and_never_to_partner_officers(cast, client_for, study_fund):
    from apps.students.models import Enrolment

    give(cast.partner, study_fund, 2_000_000)
    payout = services.payout_record(
        actor=cast.partner,
        fund=study_fund,
        purpose="scholarship",
        recipients=Payout.Recipients.STUDENTS,
        paid_on=DAY,
        amount=1_000_000,
        school=cast.school_a,
        recipient_count=2,
    )
    children = [e.child for e in Enrolment.objects.filter(school=cast.school_a, class_group__name="1A")[:2]]
    teacher = client_for(cast.teacher_a)
    response = teacher.post(reverse("funds:payout_children", args=[payout.pk]), {"children": [c.pk for c in children]})
    assert response.status_code == 302
    assert children[0].full_name in teacher.get(reverse("funds:payout", args=[payout.pk])).content.decode()
    partner = client_for(cast.partner)
    page = partner.get(reverse("funds:payout", args=[payout.pk])).content.decode()
    assert all(c.full_name not in page for c in children)
    assert partner.post(reverse("funds:payout_children", args=[payout.pk]), {}).status_code == 403


def test_who_may_open_a_fund(cast, client_for):
    assert client_for(cast.teacher_a).get(reverse("funds:create")).status_code == 403
    for member in ("admin", "commune_officer", "principal_a", "partner"):
        assert client_for(getattr(cast, member)).get(reverse("funds:create")).status_code == 200, member


def test_a_principal_opens_a_fund_for_the_school(cast, client_for):
    response = client_for(cast.principal_a).post(
        reverse("funds:create"),
        {
            "code": "t-new-tn",
            "name": "Quỹ thử",
            "kind": "facilities",
            "regime": "sponsorship",
            "owner": f"school:{cast.school_a.pk}",
            "opened_on": "2025-09-01",
        },
    )
    assert response.status_code == 302
    from apps.funds.models import Fund

    assert Fund.objects.get(code="T-NEW-TN").school == cast.school_a


def test_the_lists_hold_only_what_the_scope_allows(cast, client_for, sponsorship_fund):
    give(cast.principal_a, sponsorship_fund, 1_000_000)
    assert sponsorship_fund.name in client_for(cast.teacher_a).get(reverse("funds:list")).content.decode()
    assert sponsorship_fund.name not in client_for(cast.teacher_b).get(reverse("funds:list")).content.decode()
    assert "T-CSVC-TN-2025-0001" in client_for(cast.commune_officer).get(reverse("funds:donations")).content.decode()
    assert "T-CSVC-TN-2025-0001" not in client_for(cast.teacher_b).get(reverse("funds:donations")).content.decode()
    items = client_for(cast.teacher_b).get("/api/v1/funds/").json()["items"]
    assert sponsorship_fund.pk not in [i["id"] for i in items]


def test_the_fund_page_keeps_a_fixed_number_of_queries(cast, client_for, study_fund, django_assert_max_num_queries):
    for n in range(5):
        give(cast.partner, study_fund, 10_000 * (n + 1), on=DAY + datetime.timedelta(days=n))
    client = client_for(cast.partner)
    client.get(reverse("funds:detail", args=[study_fund.pk]))
    with django_assert_max_num_queries(60):
        client.get(reverse("funds:detail", args=[study_fund.pk]))


def test_a_commune_s_own_fund_is_changed_by_its_officers_and_read_by_the_province(cast):
    from apps.core.scoping import can

    fund = services.fund_create(
        actor=cast.commune_officer,
        code="T-XA-TL",
        name="Quỹ thử của xã",
        kind="other",
        regime="association",
        org_unit=cast.commune_a,
        opened_on=DAY,
    )
    assert can(cast.commune_officer, fund, "change")
    assert can(cast.province_officer, fund, "view") and not can(cast.province_officer, fund, "change")
    assert can(cast.teacher_a, fund, "view") and not can(cast.teacher_b, fund, "view")
    assert not can(cast.other_commune_officer, fund, "view")


@pytest.mark.parametrize(
    "name", ["funds:list", "funds:donations", "funds:payouts", "funds:pledges", "funds:plans", "funds:donors"]
)
def test_the_lists_keep_a_fixed_number_of_queries(cast, client_for, study_fund, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast.partner)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    def more(n):
        for i in range(n):
            donor = services.donor_create(
                actor=cast.partner, kind="person", name=f"Người thử {i}", org_unit=cast.commune_a
            )
            give(cast.partner, study_fund, 10_000, donor=donor)
            services.pledge_record(
                actor=cast.partner, fund=study_fund, donor=donor, made_on=DAY, instalments=[(DAY, 10_000)]
            )
            services.payout_record(
                actor=cast.partner,
                fund=study_fund,
                purpose="gift_tet",
                recipients=Payout.Recipients.PURPOSE,
                paid_on=DAY,
                amount=5_000,
            )

    more(2)
    first = queries()
    more(6)
    assert queries() == first


def test_the_api_lists_a_fund_s_donations_within_the_scope(cast, client_for, study_fund):
    donor = services.donor_create(actor=cast.partner, kind="person", name="Người Thử API", org_unit=cast.commune_a)
    give(cast.partner, study_fund, 250_000, donor=donor)
    items = client_for(cast.partner).get(f"/api/v1/funds/{study_fund.pk}/donations").json()["items"]
    assert [(i["receipt_number"], i["amount"], i["donor"]) for i in items] == [
        ("T-KH-TL-2025-0001", 250_000, "Người Thử API")
    ]
    assert client_for(cast.teacher_b).get(f"/api/v1/funds/{study_fund.pk}/donations").status_code == 404
    detail = client_for(cast.partner).get(f"/api/v1/funds/{study_fund.pk}").json()
    assert detail["balance"] == 250_000 and detail["raised"] == 250_000


def test_donors_are_added_where_one_runs_funds(cast, client_for):
    response = client_for(cast.partner).post(
        reverse("funds:donors"),
        {"kind": "business", "name": "Công ty Thử Thêm", "org_unit": cast.commune_a.pk, "named_in_public": "on"},
    )
    assert response.status_code == 302
    from apps.funds.models import Donor

    assert Donor.objects.get(name="Công ty Thử Thêm").named_in_public
    assert client_for(cast.teacher_a).post(reverse("funds:donors"), {"name": "x"}).status_code == 403
    assert "Công ty Thử Thêm" not in client_for(cast.teacher_a).get(reverse("funds:donors")).content.decode()


def test_plans_and_pledges_through_the_fund_page(cast, client_for, sponsorship_fund):
    client = client_for(cast.principal_a)
    response = client.post(
        reverse("funds:plan_new", args=[sponsorship_fund.pk]),
        {"title": "Mua bàn ghế", "amount": "2.000.000", "posted_on": "2025-08-18"},
    )
    assert response.status_code == 302
    assert sponsorship_fund.usage_plans.get().executable_on == datetime.date(2025, 9, 11)
    donor = services.donor_create(actor=cast.principal_a, kind="person", name="Người Hứa Thử", org_unit=cast.commune_a)
    response = client.post(
        reverse("funds:pledge_new", args=[sponsorship_fund.pk]),
        {
            "donor": donor.pk,
            "made_on": "2025-09-01",
            "first_due": "2025-10-01",
            "first_amount": "1.000.000",
            "second_due": "2026-01-01",
            "second_amount": "500.000",
        },
    )
    assert response.status_code == 302
    assert [i.amount for i in sponsorship_fund.pledges.get().instalments.all()] == [1_000_000, 500_000]
    response = client.post(
        reverse("funds:pledge_new", args=[sponsorship_fund.pk]),
        {
            "donor": donor.pk,
            "made_on": "2025-09-01",
            "first_due": "2025-10-01",
            "first_amount": "100.000",
            "campaign": "Bắt buộc mỗi phụ huynh",
        },
    )
    assert response.status_code == 400 and "Thông tư 16/2018/TT-BGDĐT" in response.content.decode()


def test_the_lists_filter_by_fund(cast, client_for, study_fund, sponsorship_fund):
    give(cast.admin, study_fund, 100_000)
    give(cast.admin, sponsorship_fund, 100_000)
    client = client_for(cast.commune_officer)
    page = client.get(reverse("funds:donations"), {"fund": study_fund.pk}).content.decode()
    assert "T-KH-TL-2025-0001" in page and "T-CSVC-TN-2025-0001" not in page
    # A fund out of scope is no choice: the filter is ignored rather than answering with another's rows.
    other = client_for(cast.other_commune_officer).get(reverse("funds:donations"), {"fund": study_fund.pk})
    assert other.status_code == 200 and "T-KH-TL-2025-0001" not in other.content.decode()
