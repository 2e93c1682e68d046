import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.standards import jobs, selectors, services
from apps.standards.models import ConstructionItem, Evidence, Indicator, Source
from apps.standards.tests.conftest import indicators, rate_all

DAY = datetime.date(2025, 9, 8)


def criterion_of(cycle, standard, number):
    return next(
        cr.criterion
        for cr in selectors.cycle_result(cycle).criteria
        if (cr.criterion.standard.number, cr.criterion.number) == (standard, number)
    )


class TestDerivedLevels:
    def test_marking_the_last_missing_indicator_met_moves_the_school_s_level(self, cast, cycle, test_set):
        everything = indicators(test_set, upto=2)
        *rest, last = everything
        rate_all(cast.principal_a, cycle, rest)
        assert selectors.cycle_result(cycle).assessment_level == 1
        services.indicator_rate(actor=cast.principal_a, cycle=cycle, indicator=last, met=True)
        result = selectors.cycle_result(cycle)
        assert (result.assessment_level, result.national_level) == (2, 1)
        assert result.level_text == "Mức 2 · chuẩn quốc gia mức độ 1"

    def test_level_4_needs_its_extra_requirements(self, cast, cycle, test_set):
        rate_all(cast.principal_a, cycle, indicators(test_set))
        assert selectors.cycle_result(cycle).assessment_level == 3
        rate_all(cast.principal_a, cycle, Indicator.objects.filter(criteria_set=test_set, level=4))
        assert selectors.cycle_result(cycle).assessment_level == 4

    def test_a_criterion_with_no_indicators_is_never_met_and_holds_the_school_at_zero(self, cast, cycle, test_set):
        from apps.standards.models import Criterion

        Criterion.objects.create(standard=test_set.standards.get(number=2), number=9, text="Tiêu chí không có chỉ báo")
        cycle = services.cycle_start(actor=cast.principal_a, school=cast.school_a, year=2032, criteria_set=test_set)
        rate_all(cast.principal_a, cycle, Indicator.objects.filter(criteria_set=test_set))
        result = selectors.cycle_result(cycle)
        bare = next(r for r in result.criteria if r.criterion.number == 9)
        assert bare.level == 0
        assert result.assessment_level == 0


class TestCouncil:
    def test_a_member_edits_the_criteria_assigned_to_them_while_the_cycle_is_open(self, cast, cycle):
        member = services.member_add(actor=cast.principal_a, cycle=cycle, name="Cô giáo A", user=cast.teacher_a)
        criterion = criterion_of(cycle, 1, 1)
        other = criterion_of(cycle, 1, 2)
        assessment = services.criterion_assign(actor=cast.principal_a, cycle=cycle, criterion=criterion, member=member)
        services.assessment_save(
            actor=cast.teacher_a, assessment=assessment, current_state="Hiện trạng", strengths="Mạnh", weaknesses="Yếu"
        )
        services.improvement_add(actor=cast.teacher_a, assessment=assessment, text="Bổ sung kế hoạch", owner="Tổ 1")
        assessment.refresh_from_db()
        assert (assessment.current_state, assessment.improvements.get().responsible) == ("Hiện trạng", "Tổ 1")
        with pytest.raises(PermissionDenied):
            services.assessment_save(
                actor=cast.teacher_a,
                assessment=cycle.assessments.get(criterion=other),
                current_state="x",
                strengths="",
                weaknesses="",
            )
        services.cycle_close(actor=cast.principal_a, cycle=cycle)
        with pytest.raises(ValidationError, match="đã kết thúc"):
            services.assessment_save(
                actor=cast.teacher_a, assessment=assessment, current_state="y", strengths="", weaknesses=""
            )

    def test_a_teacher_of_another_school_reaches_no_cycle(self, cast, cycle):
        from django.http import Http404

        with pytest.raises(Http404):
            services.member_add(actor=cast.teacher_b, cycle=cycle, name="x")


class TestEvidence:
    def test_codes_are_numbered_per_box_and_criterion_and_unique_in_the_cycle(self, cast, cycle):
        c110 = criterion_of(cycle, 1, 1)
        first = services.evidence_add(
            actor=cast.principal_a, cycle=cycle, criterion=c110, box=1, title="Quyết định thành lập"
        )
        second = services.evidence_add(
            actor=cast.principal_a, cycle=cycle, criterion=c110, box=1, title="Kế hoạch năm học"
        )
        other_box = services.evidence_add(actor=cast.principal_a, cycle=cycle, criterion=c110, box=2, title="Biên bản")
        assert [first.code, second.code, other_box.code] == ["[H1-1.1-01]", "[H1-1.1-02]", "[H2-1.1-01]"]
        codes = list(Evidence.objects.filter(cycle=cycle).values_list("code", flat=True))
        assert len(codes) == len(set(codes))

    def test_an_item_used_for_several_criteria_keeps_one_code(self, cast, cycle):
        first = services.evidence_add(
            actor=cast.principal_a, cycle=cycle, criterion=criterion_of(cycle, 1, 1), box=1, title="Nghị quyết"
        )
        services.evidence_use(actor=cast.principal_a, evidence=first, criterion=criterion_of(cycle, 2, 1))
        first.refresh_from_db()
        assert first.code == "[H1-1.1-01]"
        assert sorted(c.code for c in first.criteria.all()) == ["1.1", "2.1"]
        assert Evidence.objects.filter(cycle=cycle).count() == 1

    def test_a_file_goes_through_the_attachment_service(self, cast, cycle):
        bad = SimpleUploadedFile("bien-ban.pdf", b"not a pdf at all")
        with pytest.raises(ValidationError, match="không thuộc loại"):
            services.evidence_add(
                actor=cast.principal_a, cycle=cycle, criterion=criterion_of(cycle, 1, 1), box=1, title="x", upload=bad
            )
        pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
        evidence = services.evidence_add(
            actor=cast.principal_a,
            cycle=cycle,
            criterion=criterion_of(cycle, 1, 1),
            box=1,
            title="Biên bản",
            upload=pdf,
        )
        assert evidence.attachment.content_type == "application/pdf"
        assert evidence.attachment.body.school == cast.school_a


class TestGap:
    def test_the_gap_for_level_2_lists_exactly_the_unmet_indicators_planted(self, cast, cycle, test_set):
        member = services.member_add(actor=cast.principal_a, cycle=cycle, name="Thầy B")
        services.criterion_assign(
            actor=cast.principal_a, cycle=cycle, criterion=criterion_of(cycle, 2, 1), member=member
        )
        everything = indicators(test_set, upto=3)
        planted = [i for i in everything if (i.criterion.code, i.level, i.label) in {("1.2", 3, "a"), ("2.1", 1, "b")}]
        rate_all(cast.principal_a, cycle, [i for i in everything if i not in planted])
        rate_all(cast.principal_a, cycle, planted[:1], met=False)  # one rated not met, one never rated
        item = services.item_create(
            actor=cast.principal_a,
            school=cast.school_a,
            kind="hall",
            name="Nhà tập đa năng",
            year=2031,
            investor="UBND xã",
            budget=1_000_000,
            indicators=[planted[1]],
        )
        services.target_set(actor=cast.principal_a, school=cast.school_a, level=2, year=2033)
        gap = selectors.gap_of(cast.school_a)
        assert gap.needed_level == 3
        listed = [
            (line.indicator.pk, line.owner, [i.pk for i in line.items])
            for _n, (_s, lines) in gap.by_standard.items()
            for line in lines
        ]
        assert sorted(listed) == sorted([(planted[0].pk, "", []), (planted[1].pk, "Thầy B", [item.pk])])
        assert list(gap.by_standard) == [1, 2]

    def test_the_status_list_puts_the_widest_gap_first(self, cast, cycle, test_set):
        services.target_set(actor=cast.principal_a, school=cast.school_a, level=1, year=2033)
        rows = selectors.schools_status(cast.commune_officer)
        assert rows[0]["school"] == cast.school_a and rows[0]["gap"] == len(indicators(test_set, upto=2))


@pytest.fixture
def facilities_fund(cast):
    from apps.funds import services as funds
    from apps.funds.models import DonationKind, Kind, Regime

    fund = funds.fund_create(
        actor=cast.principal_a,
        code="T-CSVC-CHUAN",
        name="Quỹ hỗ trợ xây dựng CSVC (thử)",
        kind=Kind.FACILITIES,
        regime=Regime.SPONSORSHIP,
        school=cast.school_a,
        opened_on=DAY,
    )
    funds.donation_record(
        actor=cast.principal_a,
        fund=fund,
        kind=DonationKind.CASH,
        amount=50_000_000,
        received_on=DAY,
        received_by="Thủ quỹ",
    )
    return fund


class TestRoadmap:
    def test_an_item_funded_by_a_payout_shows_it_and_the_remaining_budget(self, cast, facilities_fund, client_for):
        from django.urls import reverse

        from apps.funds import services as funds

        item = services.item_create(
            actor=cast.principal_a,
            school=cast.school_a,
            kind="walls",
            name="Tường bao",
            year=2025,
            investor="Nhà trường",
            budget=80_000_000,
        )
        plan = funds.usage_plan_post(
            actor=cast.principal_a,
            fund=facilities_fund,
            title="Xây tường bao",
            amount=30_000_000,
            posted_on=datetime.date(2025, 8, 18),
        )
        services.funding_payout(
            actor=cast.principal_a,
            item=item,
            fund=facilities_fund,
            amount=30_000_000,
            paid_on=datetime.date(2025, 9, 15),
            usage_plan=plan,
        )
        services.funding_add(actor=cast.principal_a, item=item, source=Source.LAND, amount=20_000_000)
        page = client_for(cast.principal_a).get(reverse("standards:item", args=[item.pk])).content.decode()
        assert "Quỹ hỗ trợ xây dựng CSVC (thử)" in page and "15/09/2025" in page
        assert 'id="remaining">30.000.000 ₫' in page
        assert funds.cash_balance(facilities_fund) == 20_000_000

    def test_a_forbidden_payout_is_refused_here_too(self, cast, facilities_fund):
        from apps.funds import services as funds

        item = services.item_create(
            actor=cast.principal_a,
            school=cast.school_a,
            kind="gate",
            name="Cổng trường",
            year=2025,
            investor="Nhà trường",
            budget=10_000_000,
        )
        plan = funds.usage_plan_post(
            actor=cast.principal_a,
            fund=facilities_fund,
            title="Cổng",
            amount=5_000_000,
            posted_on=datetime.date(2025, 8, 18),
        )
        with pytest.raises(ValidationError, match="chỉ được thực hiện từ ngày 11/09/2025"):
            services.funding_payout(
                actor=cast.principal_a,
                item=item,
                fund=facilities_fund,
                amount=5_000_000,
                paid_on=datetime.date(2025, 9, 1),
                usage_plan=plan,
            )
        with pytest.raises(ValidationError, match="16/2018"):
            services.funding_payout(
                actor=cast.principal_a,
                item=item,
                fund=facilities_fund,
                amount=5_000_000,
                paid_on=datetime.date(2025, 9, 15),
                usage_plan=plan,
                purpose="security",
            )
        with pytest.raises(ValidationError, match="qua quỹ"):
            services.funding_add(actor=cast.principal_a, item=item, source=Source.SOCIAL, amount=1)
        assert not item.funding.exists()
        assert funds.cash_balance(facilities_fund) == 50_000_000

    def test_on_the_item_page_a_payout_before_the_15_working_days_is_refused_with_the_funds_message(
        self, cast, facilities_fund, client_for
    ):
        from django.urls import reverse

        from apps.funds import services as funds

        item = services.item_create(
            actor=cast.principal_a,
            school=cast.school_a,
            kind="gate",
            name="Cổng trường",
            year=2025,
            investor="Nhà trường",
            budget=10_000_000,
        )
        plan = funds.usage_plan_post(
            actor=cast.principal_a,
            fund=facilities_fund,
            title="Cổng",
            amount=5_000_000,
            posted_on=datetime.date(2025, 8, 18),
        )
        response = client_for(cast.principal_a).post(
            reverse("standards:funding_payout", args=[item.pk]),
            {"fund": facilities_fund.pk, "amount": 5_000_000, "paid_on": "2025-09-01", "usage_plan": plan.pk},
            follow=True,
        )
        page = response.content.decode()
        assert "chỉ được thực hiện từ ngày 11/09/2025" in page
        assert 'id="remaining">10.000.000 ₫' in page
        assert not item.funding.exists() and funds.cash_balance(facilities_fund) == 50_000_000

    def test_the_roadmap_totals_by_source_by_year_and_in_all(self, cast, client_for):
        from django.urls import reverse
        from openpyxl import load_workbook

        a = services.item_create(
            actor=cast.principal_a,
            school=cast.school_a,
            kind="canteen",
            name="Nhà ăn",
            year=2026,
            investor="UBND xã",
            budget=9,
        )
        b = services.item_create(
            actor=cast.principal_a,
            school=cast.school_a,
            kind="pool",
            name="Bể bơi",
            year=2027,
            investor="UBND xã",
            budget=9,
        )
        services.funding_add(actor=cast.principal_a, item=a, source=Source.STATE, amount=3)
        services.funding_add(actor=cast.principal_a, item=a, source=Source.LAND, amount=4)
        services.funding_add(actor=cast.principal_a, item=b, source=Source.LAND, amount=5)
        data = selectors.roadmap(cast.principal_a)
        assert data["years"][2026]["totals"] == {"state": 3, "land": 4, "social": 0, "other": 0}
        assert data["years"][2027]["totals"]["land"] == 5
        assert data["totals"] == {"state": 3, "land": 9, "social": 0, "other": 0}
        response = client_for(cast.principal_a).get(reverse("standards:roadmap_export"))
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
        total = next(r for r in rows if "Tổng cộng" in r)
        header = next(r for r in rows if "Năm" in r)
        assert total[header.index("Nguồn đấu giá quyền sử dụng đất")] == 9
        assert total[header.index("Ngân sách nhà nước")] == 3

    def test_the_daily_job_lists_overdue_milestones_and_tells_the_managing_unit(self, cast):
        from apps.notifications.models import Notification

        late = services.item_create(
            actor=cast.principal_a,
            school=cast.school_a,
            kind="guard",
            name="Nhà bảo vệ",
            year=2025,
            investor="UBND xã",
            due_on=datetime.date(2025, 12, 31),
        )
        done = services.item_create(
            actor=cast.principal_a,
            school=cast.school_a,
            kind="parking",
            name="Nhà để xe",
            year=2025,
            investor="UBND xã",
            due_on=datetime.date(2025, 12, 31),
            status=ConstructionItem.Status.IN_USE,
            percent=100,
        )
        on = datetime.date(2026, 1, 1)
        assert late in jobs.overdue_items(on) and done not in jobs.overdue_items(on)
        assert jobs.overdue(on)["notified_units"] == 1
        assert Notification.objects.filter(recipient=cast.commune_officer, kind="standards.overdue").exists()


class TestRecognition:
    def test_a_school_expiring_within_the_lead_time_is_listed_and_its_managing_unit_notified(self, cast, client_for):
        from apps.notifications.models import Notification

        due = services.recognition_record(
            actor=cast.commune_officer,
            school=cast.school_a,
            kind="national",
            level=1,
            issuer="UBND tỉnh",
            number="123/QĐ-UBND",
            issued_on=datetime.date(2021, 6, 1),
        )
        assert due.valid_until == datetime.date(2026, 6, 1)  # the set's five years
        later = services.recognition_record(
            actor=cast.commune_officer,
            school=cast.school_a,
            kind="accreditation",
            level=2,
            issuer="Sở GDĐT",
            number="9/QĐ-SGDĐT",
            issued_on=datetime.date(2022, 6, 1),
        )
        on = datetime.date(2026, 1, 1)  # five months before 01/06/2026
        assert jobs.due_for_reregistration(on) == [due]
        assert jobs.due_for_reregistration(datetime.date(2025, 12, 31)) == []
        assert later not in jobs.due_for_reregistration(on)
        assert jobs.reregister(on) == {"due": 1, "notified": 1}
        assert Notification.objects.filter(recipient=cast.commune_officer, kind="standards.reregister").count() == 1
        assert not Notification.objects.filter(
            recipient=cast.other_commune_officer, kind="standards.reregister"
        ).exists()
        assert jobs.reregister(datetime.date(2026, 1, 2))["notified"] == 0  # told once

    def test_only_the_managing_unit_records_a_decision(self, cast):
        from django.http import Http404

        with pytest.raises((PermissionDenied, Http404)):
            services.recognition_record(
                actor=cast.principal_a,
                school=cast.school_a,
                kind="national",
                level=1,
                issuer="x",
                number="1",
                issued_on=DAY,
            )
        with pytest.raises(ValidationError):
            services.recognition_record(
                actor=cast.commune_officer,
                school=cast.school_a,
                kind="national",
                level=3,
                issuer="x",
                number="1",
                issued_on=DAY,
            )


class TestReport:
    def test_the_report_opens_as_word_with_a_section_per_criterion_and_the_evidence_annex(self, cast, cycle, test_set):
        from docx import Document

        from apps.standards.report import report_issue

        member = services.member_add(actor=cast.principal_a, cycle=cycle, name="Cô C")
        c11 = criterion_of(cycle, 1, 1)
        assessment = services.criterion_assign(actor=cast.principal_a, cycle=cycle, criterion=c11, member=member)
        services.assessment_save(
            actor=cast.principal_a,
            assessment=assessment,
            current_state="Nhà trường có đủ tổ chuyên môn",
            strengths="",
            weaknesses="",
        )
        evidence = services.evidence_add(
            actor=cast.principal_a, cycle=cycle, criterion=c11, box=1, title="Quyết định thành lập hội đồng"
        )
        services.evidence_use(actor=cast.principal_a, evidence=evidence, criterion=criterion_of(cycle, 2, 1))
        document = report_issue(actor=cast.principal_a, cycle=cycle, on=datetime.date(2031, 5, 20))
        with document.file.open("rb") as fh:
            docx = Document(io.BytesIO(fh.read()))
        texts = [p.text for p in docx.paragraphs]
        headings = [t for t in texts if "Tiêu chí " in t and ":" in t and "thử" in t]
        assert len(headings) == 3  # 1.1, 1.2, 2.1
        assert any("Nhà trường có đủ tổ chuyên môn" in t for t in texts)
        assert "DANH MỤC MINH CHỨNG" in texts
        annex = docx.tables[-1]
        rows = [[c.text for c in row.cells] for row in annex.rows]
        assert rows[0][1] == "Mã minh chứng"
        assert rows[1][1:3] == ["[H1-1.1-01]", "Quyết định thành lập hội đồng"] and rows[1][5] == "1.1, 2.1"


class TestPledgeAndPhotos:
    def test_a_pledge_through_the_funds_service_counts_as_socialised_funding(self, cast, facilities_fund):
        from apps.funds import services as funds
        from apps.funds.models import Donor

        item = services.item_create(
            actor=cast.principal_a,
            school=cast.school_a,
            kind="playground",
            name="Sân chơi",
            year=2026,
            investor="Nhà trường",
            budget=10_000_000,
        )
        donor = funds.donor_create(
            actor=cast.principal_a, kind=Donor.DonorKind.BUSINESS, name="Công ty Thử", org_unit=cast.commune_a
        )
        with pytest.raises(ValidationError):  # the funds' own refusal: an instalment before the pledge
            services.funding_pledge(
                actor=cast.principal_a,
                item=item,
                fund=facilities_fund,
                donor=donor,
                made_on=DAY,
                instalments=[(datetime.date(2025, 1, 1), 1_000_000)],
            )
        funding = services.funding_pledge(
            actor=cast.principal_a,
            item=item,
            fund=facilities_fund,
            donor=donor,
            made_on=DAY,
            instalments=[(datetime.date(2025, 10, 1), 2_000_000), (datetime.date(2025, 12, 1), 3_000_000)],
        )
        assert (funding.source, funding.amount, funding.pledge.donor) == (Source.SOCIAL, 5_000_000, donor)
        assert item.funding.count() == 1

    def test_a_photo_goes_through_the_attachment_service(self, cast):
        from PIL import Image

        item = services.item_create(
            actor=cast.principal_a, school=cast.school_a, kind="pool", name="Bể bơi", year=2026, investor="UBND xã"
        )
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
        photo = services.photo_add(
            actor=cast.principal_a, item=item, upload=SimpleUploadedFile("anh.png", buffer.getvalue()), caption="Móng"
        )
        assert photo.attachment.content_type == "image/png" and photo.attachment.body.school == cast.school_a
        with pytest.raises(ValidationError):
            services.photo_add(actor=cast.principal_a, item=item, upload=SimpleUploadedFile("anh.png", b"GIF89a"))
