"""Periodic reports: an organisation files its quarterly report prefilled with the cases it follows, the receiving
commune returns it with a comment, it is resubmitted and approved, and then nothing edits it; the approver alone
reopens it, as a new revision; the commune's own report adds up the approved reports under it and lists the
missing and late ones; a report opens as a Word document and its figures as an XLSX with typed cells."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document as open_docx

from apps.plans import report_documents, report_selectors, report_services
from apps.plans.models import ReportStatus
from apps.retention.models import DropoutCase
from apps.schools.models import SchoolYear

pytestmark = pytest.mark.django_db

IN_QUARTER = datetime.date(2025, 10, 15)


def plant_case(cast, on=datetime.date(2025, 10, 20)):
    year = SchoolYear.objects.get(province=cast.province, start_year=2025)
    return DropoutCase.objects.create(
        commune=cast.commune_a,
        year=year,
        source="hotline",
        subject="Trẻ không đến trường ở thôn 2",
        owner_organisation=cast.organisation,
        opened_on=on,
    )


def figure(report, key):
    return next(f for f in report.figures if f["key"] == key)


@pytest.fixture
def org_schedule(cast):
    return report_services.schedule_create(
        actor=cast.commune_officer,
        title="Báo cáo hoạt động của Hội Khuyến học",
        period="quarter",
        deadline_days=10,
        organisation=cast.organisation,
        receiver_unit=cast.commune_a,
    )


class TestQuarterlyReportOfAnOrganisation:
    def test_the_period_is_the_quarter_and_the_figures_are_prefilled(self, cast, org_schedule):
        before = DropoutCase.objects.filter(
            owner_organisation=cast.organisation,
            opened_on__range=(datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
        ).count()
        plant_case(cast)
        report = report_services.report_create(actor=cast.partner, schedule=org_schedule, on=IN_QUARTER)
        assert (report.period_start, report.period_end) == (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))
        assert report.period_label == "Quý IV/2025"
        assert report.deadline == datetime.date(2026, 1, 10)
        assert figure(report, "cases.opened")["numerator"] == before + 1
        assert {"funds.raised", "funds.spent", "cases.closed"} <= {f["key"] for f in report.figures}

    def test_it_is_returned_resubmitted_approved_and_then_locked(self, cast, org_schedule):
        report = report_services.report_create(actor=cast.partner, schedule=org_schedule, on=IN_QUARTER)
        report = report_services.report_submit(actor=cast.partner, report=report)
        assert report.status == ReportStatus.SUBMITTED
        with pytest.raises(ValidationError):  # waiting for the commune: the reporter cannot change it
            report_services.report_update(actor=cast.partner, report=report, sections=[{"heading": "A", "text": "b"}])

        with pytest.raises(ValidationError):
            report_services.report_return(actor=cast.commune_officer, report=report, comment=" ")
        report = report_services.report_return(
            actor=cast.commune_officer, report=report, comment="Bổ sung số trẻ được vận động trở lại lớp."
        )
        assert report.status == ReportStatus.RETURNED

        report = report_services.report_update(
            actor=cast.partner,
            report=report,
            sections=[{"heading": "Kết quả thực hiện", "text": "Đã vận động 3 em trở lại lớp."}],
        )
        report = report_services.report_submit(actor=cast.partner, report=report)
        report = report_services.report_approve(actor=cast.commune_officer, report=report)
        assert report.status == ReportStatus.APPROVED

        with pytest.raises(ValidationError):
            report_services.report_update(actor=cast.partner, report=report, sections=[{"heading": "X", "text": "y"}])
        with pytest.raises(ValidationError):
            report_services.report_refresh(actor=cast.partner, report=report)
        with pytest.raises(ValidationError):
            report_services.report_submit(actor=cast.partner, report=report)
        report.refresh_from_db()
        assert report.sections == [{"heading": "Kết quả thực hiện", "text": "Đã vận động 3 em trở lại lớp."}]

    def test_the_figures_are_frozen_when_submitted(self, cast, org_schedule):
        report = report_services.report_create(actor=cast.partner, schedule=org_schedule, on=IN_QUARTER)
        report = report_services.report_submit(actor=cast.partner, report=report)
        frozen = figure(report, "cases.opened")["numerator"]
        plant_case(cast)
        report.refresh_from_db()
        assert figure(report, "cases.opened")["numerator"] == frozen
        assert report.frozen_at is not None

    def test_the_reporter_cannot_approve_its_own_report(self, cast, org_schedule):
        report = report_services.report_create(actor=cast.partner, schedule=org_schedule, on=IN_QUARTER)
        report = report_services.report_submit(actor=cast.partner, report=report)
        with pytest.raises(PermissionDenied):
            report_services.report_approve(actor=cast.partner, report=report)

    def test_only_the_approver_reopens_with_a_reason_as_a_new_revision(self, cast, org_schedule):
        report = report_services.report_create(actor=cast.partner, schedule=org_schedule, on=IN_QUARTER)
        report_services.report_submit(actor=cast.partner, report=report)
        report = report_services.report_approve(actor=cast.commune_officer, report=report)
        with pytest.raises(PermissionDenied):
            report_services.report_reopen(actor=cast.partner, report=report, reason="Sửa số liệu")
        with pytest.raises(ValidationError):
            report_services.report_reopen(actor=cast.commune_officer, report=report, reason="")
        new = report_services.report_reopen(actor=cast.commune_officer, report=report, reason="Số liệu quỹ chưa đủ")
        assert (new.revision, new.previous_id, new.status) == (2, report.pk, ReportStatus.DRAFT)
        report.refresh_from_db()
        assert report.status == ReportStatus.REOPENED and report.reopen_reason == "Số liệu quỹ chưa đủ"
        report_services.report_update(actor=cast.partner, report=new, sections=[{"heading": "A", "text": "b"}])
        with pytest.raises(ValidationError):
            report_services.report_update(actor=cast.partner, report=report, sections=[{"heading": "A", "text": "b"}])

    def test_another_commune_does_not_see_it(self, cast, org_schedule):
        report = report_services.report_create(actor=cast.partner, schedule=org_schedule, on=IN_QUARTER)
        assert report in report_selectors.report_list(cast.commune_officer)
        assert report not in report_selectors.report_list(cast.other_commune_officer)
        assert report not in report_selectors.report_list(cast.teacher_b)


@pytest.fixture
def communes_report(cast, org_schedule):
    """The organisation's approved report (with one case planted) and school A's schedule with no report; the
    commune's own quarterly report to the province."""
    report_services.schedule_create(
        actor=cast.commune_officer,
        title="Báo cáo quý của trường",
        period="quarter",
        school=cast.school_a,
        receiver_unit=cast.commune_a,
    )
    plant_case(cast)
    org_report = report_services.report_create(actor=cast.partner, schedule=org_schedule, on=IN_QUARTER)
    report_services.report_submit(actor=cast.partner, report=org_report)
    org_report = report_services.report_approve(actor=cast.commune_officer, report=org_report)
    own = report_services.schedule_create(
        actor=cast.province_officer,
        title="Báo cáo quý của xã",
        period="quarter",
        org_unit=cast.commune_a,
        receiver_unit=cast.province,
    )
    return org_report, report_services.report_create(actor=cast.commune_officer, schedule=own, on=IN_QUARTER)


class TestRollUp:
    def test_the_units_report_adds_up_approved_reports_and_lists_the_missing(self, cast, communes_report):
        org_report, report = communes_report
        assert [i["reporter"] for i in report.rollup["included"]] == ["Hội Khuyến học xã Trà Linh"]
        assert [m["reporter"] for m in report.rollup["missing"]] == [cast.school_a.name]
        assert figure(report, "rollup.cases.opened")["numerator"] == figure(org_report, "cases.opened")["numerator"]
        assert figure(report, "rollup.cases.opened")["numerator"] >= 1

    def test_a_report_not_yet_approved_is_missing_not_added(self, cast, communes_report, org_schedule):
        org_report, _report = communes_report
        reopened = report_services.report_reopen(actor=cast.commune_officer, report=org_report, reason="Sửa")
        counted = report_selectors.rollup(
            cast.commune_officer, _report.schedule, _report.period_start, _report.period_end
        )
        assert {m["reporter"] for m in counted["missing"]} == {cast.school_a.name, "Hội Khuyến học xã Trà Linh"}
        assert counted["figures"] == []
        assert reopened.status == ReportStatus.DRAFT

    def test_late_reports_are_listed(self, cast, communes_report):
        org_report, report = communes_report
        # The organisation filed on 5 January, before its deadline (10 January).
        on_time = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)
        type(org_report).objects.filter(pk=org_report.pk).update(submitted_at=on_time)
        counted = report_selectors.rollup(
            cast.commune_officer,
            report.schedule,
            report.period_start,
            report.period_end,
            today=datetime.date(2026, 1, 11),
        )
        assert [m["reporter"] for m in counted["late"]] == [cast.school_a.name]  # the organisation filed in time
        counted = report_selectors.rollup(
            cast.commune_officer,
            report.schedule,
            report.period_start,
            report.period_end,
            today=datetime.date(2026, 1, 9),
        )
        assert counted["late"] == []


class TestOutputs:
    def test_the_report_opens_as_a_word_document(self, cast, communes_report):
        _org, report = communes_report
        doc = open_docx(io.BytesIO(report_documents.docx(report)))
        text = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            for row in table.rows:
                text += [c.text for c in row.cells]
        assert "BÁO CÁO" in text
        assert any("Báo cáo quý của xã Quý IV/2025" in t for t in text)
        assert any(cast.school_a.name in t and "Chưa có báo cáo" in t for t in text)
        assert "Tổng hợp: Trường hợp bỏ học, không đến trường được mở" in text

    def test_the_figures_xlsx_has_typed_cells(self, cast, client_for, communes_report):
        _org, report = communes_report
        response = client_for(cast.commune_officer).get(f"/plans/reports/{report.pk}/figures.xlsx")
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = [[c for c in row] for row in sheet.iter_rows()]
        opened = next(r for r in rows if r[0].value == "Trường hợp bỏ học, không đến trường được mở")
        assert opened[2].data_type == "n" and opened[2].value == figure(report, "cases.opened")["numerator"]
        closed = next(r for r in rows if r[0].value == "Trường hợp đã kết thúc / đang theo dõi trong kỳ")
        assert closed[3].data_type == "n"


@pytest.fixture
def org_body(cast):
    from apps.documents import services as documents

    return documents.body_create(
        actor=cast.partner,
        name="Hội Khuyến học xã Trà Linh",
        parent_name="UBND xã Trà Linh",
        abbreviation="HKH",
        place="Trà Linh",
        organisation=cast.organisation,
    )


class TestTheSubmittedReportIsIssued:
    def test_submitting_issues_it_in_the_reporters_register(self, cast, org_schedule, org_body):
        from apps.documents.models import Document

        report = report_services.report_create(actor=cast.partner, schedule=org_schedule, on=IN_QUARTER)
        report = report_services.report_submit(actor=cast.partner, report=report)
        document = Document.objects.get(pk=report.document_id)
        assert (document.kind, document.body, document.symbol) == ("bao_cao", org_body, "01/BC-HKH")
        assert document.summary == "Báo cáo hoạt động của Hội Khuyến học Quý IV/2025"
        doc = open_docx(document.file.open("rb"))
        assert "Số: 01/BC-HKH" in [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs]

    def test_a_report_returned_and_sent_again_is_a_new_document(self, cast, org_schedule, org_body):
        from apps.documents.models import Document

        report = report_services.report_create(actor=cast.partner, schedule=org_schedule, on=IN_QUARTER)
        first = report_services.report_submit(actor=cast.partner, report=report).document
        report = report_services.report_return(actor=cast.commune_officer, report=report, comment="Bổ sung.")
        report = report_services.report_submit(actor=cast.partner, report=report)
        assert report.document.symbol == "02/BC-HKH" and report.document.supersedes == first
        assert "(thay thế Báo cáo số 01/BC-HKH)" in report.document.summary
        assert list(Document.objects.filter(body=org_body).values_list("symbol", flat=True)) == [
            "02/BC-HKH",
            "01/BC-HKH",
        ]
        report_services.report_approve(actor=cast.commune_officer, report=report)
        assert Document.objects.filter(body=org_body).count() == 2  # approving issues nothing

    def test_a_reporter_without_an_issuing_body_submits_as_before(self, cast, org_schedule):
        from apps.documents.models import Document

        report = report_services.report_create(actor=cast.partner, schedule=org_schedule, on=IN_QUARTER)
        report = report_services.report_submit(actor=cast.partner, report=report)
        assert report.status == ReportStatus.SUBMITTED and report.document is None
        assert not Document.objects.exists()
