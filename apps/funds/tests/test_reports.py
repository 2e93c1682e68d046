import datetime
import io

import pytest
from django.urls import reverse
from docx import Document as open_docx
from openpyxl import load_workbook

from apps.core import statedoc
from apps.funds import services
from apps.funds.models import DonationKind, Payout
from apps.funds.tests.conftest import give

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_of_money(cast, study_fund):
    from apps.schools.models import SchoolYear

    donor = services.donor_create(actor=cast.partner, kind="business", name="Công ty Thử", org_unit=cast.commune_a)
    give(cast.partner, study_fund, 2_000_000, donor=donor)  # September
    give(cast.partner, study_fund, 1_000_000, on=datetime.date(2026, 2, 10))  # Tết, anonymous
    services.donation_record(
        actor=cast.partner,
        fund=study_fund,
        kind=DonationKind.IN_KIND,
        received_on=datetime.date(2025, 10, 2),
        received_by="x",
        description="Quần áo",
        quantity=20,
        unit="bộ",
        valuation=1_500_000,
        donor=donor,
    )
    services.payout_record(
        actor=cast.partner,
        fund=study_fund,
        purpose="student_award",
        recipients=Payout.Recipients.STUDENTS,
        paid_on=datetime.date(2026, 1, 15),
        amount=800_000,
        school=cast.school_a,
        recipient_count=8,
    )
    year = SchoolYear.objects.get(province=cast.province, start_year=2025)
    services.fund_target_set(actor=cast.partner, fund=study_fund, year=year, amount=4_000_000)
    return study_fund


def rows_of(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=5)], sheet


class TestTheYearEndReport:
    def test_it_has_typed_cells_income_by_source_payouts_by_purpose_and_target_against_actual(
        self, cast, client_for, year_of_money
    ):
        response = client_for(cast.partner).get(reverse("funds:report", args=[year_of_money.pk]), {"year": 2025})
        assert response.status_code == 200
        rows, sheet = rows_of(response)
        by_item = {(r[0], r[1]): r for r in rows}
        assert by_item[("Thu theo nguồn", "Doanh nghiệp — Tiền mặt, chuyển khoản")][2:] == [2_000_000, 1]
        assert by_item[("Thu theo nguồn", "Doanh nghiệp — Hiện vật")][2:] == [1_500_000, 1]
        assert by_item[("Thu theo nguồn", "Ẩn danh — Tiền mặt, chuyển khoản")][2:] == [1_000_000, 1]
        assert by_item[("Tổng hợp", "Tổng thu (tiền và hiện vật quy đổi)")][2] == 4_500_000
        assert by_item[("Chi theo mục đích", "Khen thưởng học sinh")][2:] == [800_000, 8]
        assert by_item[("Mục tiêu", "Mục tiêu vận động")][2] == 4_000_000
        ratio = sheet.cell(row=4 + rows.index(by_item[("Mục tiêu", "Tỷ lệ đạt")]) + 1, column=3)
        assert ratio.value == pytest.approx(1.125) and ratio.number_format == "0.0%"
        start = sheet.cell(row=5, column=3)
        assert isinstance(start.value, datetime.datetime) and start.number_format == "dd/mm/yyyy"
        assert all(isinstance(r[2], (int, float)) for r in rows if r[0] not in ("Kỳ báo cáo",) and r[2] is not None)

    def test_the_december_review_stops_on_31_december(self, cast, client_for, year_of_money):
        response = client_for(cast.partner).get(
            reverse("funds:report", args=[year_of_money.pk]), {"year": 2025, "period": "december"}
        )
        rows, _sheet = rows_of(response)
        by_item = {(r[0], r[1]): r for r in rows}
        assert by_item[("Kỳ báo cáo", "Đến ngày")][2] == datetime.datetime(2025, 12, 31)
        assert by_item[("Tổng hợp", "Tổng thu (tiền và hiện vật quy đổi)")][2] == 3_500_000  # not the Tết gift
        assert by_item[("Tổng hợp", "Tổng chi")][2] == 0


class TestTheThankYouLetter:
    def test_it_opens_as_a_word_file_with_the_state_header(self, cast, client_for, year_of_money):
        donation = year_of_money.donations.filter(kind="cash", donor__isnull=False).get()
        response = client_for(cast.partner).post(reverse("funds:letter", args=[donation.pk]))
        assert response.status_code == 200
        assert response["Content-Type"].endswith("wordprocessingml.document")
        doc = open_docx(io.BytesIO(response.content))
        left, right = doc.tables[0].rows[0].cells
        assert "HỘI KHUYẾN HỌC XÃ TRÀ LINH" in [p.text for p in left.paragraphs]
        assert [p.text for p in right.paragraphs][:2] == [statedoc.NATIONAL_TITLE, statedoc.MOTTO]
        assert right.paragraphs[2].runs[0].italic and ", ngày " in right.paragraphs[2].text
        text = "\n".join(p.text for p in doc.paragraphs)
        assert "THƯ CẢM ƠN" in text and "Kính gửi: Công ty Thử" in text
        assert donation.receipt_number in text and "2.000.000 ₫" in text
        signer = [p.text for p in doc.tables[1].rows[0].cells[1].paragraphs]
        assert signer[-1] == cast.partner.full_name

    def test_a_reader_cannot_print_one(self, cast, client_for, year_of_money):
        donation = year_of_money.donations.first()
        for method in ("get", "post"):
            assert (
                getattr(client_for(cast.teacher_a), method)(reverse("funds:letter", args=[donation.pk])).status_code
                == 403
            )
            assert (
                getattr(client_for(cast.teacher_b), method)(reverse("funds:letter", args=[donation.pk])).status_code
                == 404
            )


def test_printing_a_letter_is_in_the_change_log(cast, client_for, year_of_money):
    from apps.core.models import AuditEvent

    donation = year_of_money.donations.first()
    client_for(cast.partner).post(reverse("funds:letter", args=[donation.pk]))
    event = AuditEvent.objects.get(action="funds.letter_issue")
    assert event.actor == cast.partner and event.changes == {"receipt_number": donation.receipt_number}


class TestTheLetterIsInTheRegister:
    def test_asking_for_it_enters_it_once_in_the_register_of_the_funds_owner(self, cast, client_for, year_of_money):
        from apps.core.models import AuditEvent
        from apps.documents.models import Document

        donation = year_of_money.donations.filter(kind="cash", donor__isnull=False).get()
        client = client_for(cast.partner)
        first = client.post(reverse("funds:letter", args=[donation.pk]))
        second = client.get(reverse("funds:letter", args=[donation.pk]))
        assert client.post(reverse("funds:letter", args=[donation.pk])).content == second.content  # asked again
        document = Document.objects.get()
        assert (document.kind, document.number, document.symbol) == ("thu_cam_on", None, "")
        assert document.body.organisation == cast.organisation and document.body.name == "Hội Khuyến học xã Trà Linh"
        assert document.summary == f"Thư cảm ơn Công ty Thử: {donation.receipt_number}, {year_of_money.name}"
        assert donation.letter.document == document
        with document.file.open("rb") as fh:
            stored = fh.read()
        assert first.content == stored and second.content == stored
        assert AuditEvent.objects.filter(action="funds.letter_issue").count() == 1
        assert AuditEvent.objects.filter(action="funds.letter_download").count() == 3

    def test_the_owners_own_issuing_body_is_used(self, cast, client_for, year_of_money):
        from apps.documents import services as documents
        from apps.documents.models import Document, IssuingBody

        body = documents.body_create(
            actor=cast.partner, name="Hội Khuyến học Trà Linh", abbreviation="HKH", place="Trà Linh",
            organisation=cast.organisation,
        )  # fmt: skip
        donation = year_of_money.donations.first()
        doc = open_docx(io.BytesIO(client_for(cast.partner).post(reverse("funds:letter", args=[donation.pk])).content))
        assert Document.objects.get().body == body
        assert IssuingBody.objects.filter(organisation=cast.organisation).count() == 1
        assert "HỘI KHUYẾN HỌC TRÀ LINH" in [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs]

    def test_a_changed_stored_file_is_not_handed_out(self, cast, client_for, year_of_money):
        donation = year_of_money.donations.first()
        client = client_for(cast.partner)
        client.post(reverse("funds:letter", args=[donation.pk]))
        with donation.letter.document.file.open("wb") as fh:
            fh.write(b"not the issued file")
        assert client.get(reverse("funds:letter", args=[donation.pk])).status_code == 404

    def test_a_user_outside_the_scope_gets_404_and_nothing_is_issued(self, cast, client_for, year_of_money):
        from apps.documents.models import Document

        donation = year_of_money.donations.first()
        assert client_for(cast.teacher_b).get(reverse("funds:letter", args=[donation.pk])).status_code == 404
        assert (
            client_for(cast.other_commune_officer).get(reverse("funds:letter", args=[donation.pk])).status_code == 404
        )
        assert not Document.objects.exists()


class TestOnlyAPostIssuesTheLetter:
    """Following a link, or a browser prefetching one, never enters a document in the register."""

    def test_a_get_before_the_letter_is_issued_finds_nothing_and_writes_nothing(self, cast, client_for, year_of_money):
        from apps.documents.models import Document

        donation = year_of_money.donations.first()
        assert client_for(cast.partner).get(reverse("funds:letter", args=[donation.pk])).status_code == 404
        assert not Document.objects.exists()

    def test_the_funds_page_offers_to_issue_it_then_links_to_it(self, cast, client_for, year_of_money):
        donation = year_of_money.donations.first()
        client = client_for(cast.partner)
        url = reverse("funds:letter", args=[donation.pk])
        page = client.get(reverse("funds:detail", args=[year_of_money.pk])).content.decode()
        assert f'<form method="post" action="{url}"' in page and f'<a href="{url}">' not in page
        client.post(url)
        page = client.get(reverse("funds:detail", args=[year_of_money.pk])).content.decode()
        assert f'<a href="{url}">' in page and f'<form method="post" action="{url}"' not in page
