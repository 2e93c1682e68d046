"""The pages of issue 16 added late, in Debian's Chromium at a phone's width (360 px): the homeroom teacher imports
a semester's results with the preview, writes a mentor's dated note and ends the mentorship, pairs two classmates
and ends the pair. No script error, no CSP violation, no page wider than the screen."""

import datetime

import pytest
from django.utils import timezone

from apps.students.tests.test_results_import import summary_sheet
from tests.test_browser import sign_in

from .test_browser import CSP_WATCH, browser, fits, pupil, watch  # noqa: F401  (the fixtures of the retention flow)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def phone(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_init_script(CSP_WATCH)
    return context, context.new_page()


def test_the_homeroom_teacher_imports_a_semesters_results_with_the_preview(live_server, browser, pupil):  # noqa: F811
    from apps.students.records import SemesterResult

    context, page = phone(browser)
    errors, problems = watch(page), []
    sign_in(page, live_server.url, "giaovien.tranam")
    child = pupil.child
    SemesterResult.objects.filter(enrolment=pupil).delete()
    data = summary_sheet([(pupil.student_code, "", child.full_name, "Chưa hoàn thành", "Cần cố gắng")])
    page.goto(f"{live_server.url}/imports/new/students.results/")
    fits(page, problems)
    page.get_by_label("Lớp").select_option(value=str(pupil.class_group_id))
    page.get_by_label("Học kỳ").select_option(value="1")
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "ketqua_hk1.xlsx", "mimeType": "application/octet-stream", "buffer": data}]
    )
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.get_by_role("button", name="Xác nhận nhập").wait_for()
    assert "1 học sinh có kết quả, 1 học sinh chưa hoàn thành hoặc chưa đạt" in page.content()
    assert not SemesterResult.objects.filter(enrolment=pupil).exists()  # nothing written before confirming
    fits(page, problems)
    page.get_by_role("button", name="Xác nhận nhập").click()
    page.locator(".badge.status-ok").wait_for()
    result = SemesterResult.objects.get(enrolment=pupil, semester=1)
    assert (result.learning, result.conduct) == ("cht", "ccg")
    assert problems == [] and errors == [], (problems, errors)
    context.close()


def test_the_mentor_writes_a_dated_note_and_ends_the_mentorship(live_server, browser, pupil):  # noqa: F811
    from apps.accounts.models import User
    from apps.retention.models import Mentorship

    teacher = User.objects.get(username="giaovien.tranam")
    Mentorship.objects.filter(mentor=teacher).delete()
    mentorship = Mentorship.objects.create(
        enrolment=pupil, mentor=teacher, starts_on=datetime.date(2025, 9, 8), assigned_by=teacher
    )
    context, page = phone(browser)
    errors, problems = watch(page), []
    sign_in(page, live_server.url, "giaovien.tranam")
    page.goto(f"{live_server.url}/retention/mentors/")
    assert "<h2>" not in page.title()
    fits(page, problems)
    page.get_by_role("link", name=pupil.child.full_name).first.click()
    page.wait_for_url(f"{live_server.url}/retention/mentorships/{mentorship.pk}/")
    fits(page, problems)
    page.locator("#id_on").fill("2026-05-04")
    page.get_by_label("Ghi chú đỡ đầu").fill("Em đã đi học đều cả tuần")
    page.get_by_role("button", name="Ghi", exact=True).click()
    page.locator("ul.notes", has_text="Em đã đi học đều cả tuần").wait_for()
    assert "04/05/2026" in page.locator("ul.notes").inner_text()
    page.locator("summary", has_text="Kết thúc đỡ đầu").click()
    page.get_by_role("button", name="Kết thúc đỡ đầu").click()
    today = timezone.localdate().strftime("%d/%m/%Y")
    page.get_by_text(f"Đã kết thúc đỡ đầu từ ngày {today}").wait_for()
    assert f"đến {today}" in page.locator("main").inner_text()  # its last day shown on its page
    mentorship.refresh_from_db()
    assert mentorship.ends_on == timezone.localdate()
    fits(page, problems)
    assert problems == [] and errors == [], (problems, errors)
    context.close()


def test_the_homeroom_teacher_pairs_two_classmates_and_ends_the_pair(live_server, browser, pupil):  # noqa: F811
    from apps.retention.models import PeerPair
    from apps.students.models import Enrolment

    helper = (
        Enrolment.objects.filter(class_group=pupil.class_group, ongoing=True)
        .exclude(pk=pupil.pk)
        .select_related("child")
        .order_by("pk")
        .first()
    )
    PeerPair.objects.filter(enrolment__class_group=pupil.class_group).delete()
    context, page = phone(browser)
    errors, problems = watch(page), []
    sign_in(page, live_server.url, "giaovien.tranam")
    page.goto(f"{live_server.url}/retention/classes/{pupil.class_group_id}/pairs/")
    fits(page, problems)
    page.get_by_label("Học sinh cần giúp đỡ").select_option(value=str(pupil.pk))
    page.get_by_label("Bạn giúp đỡ").select_option(value=str(helper.pk))
    page.get_by_role("button", name="Lập đôi bạn").click()
    row = page.locator("ul.pairs li", has_text=pupil.child.full_name)
    row.wait_for()
    assert helper.child.full_name in row.inner_text()
    fits(page, problems)
    row.get_by_role("button", name="Kết thúc").click()
    page.locator("ul.pairs li", has_text="đến").wait_for()
    pair = PeerPair.objects.get(enrolment=pupil, helper=helper)
    assert pair.ends_on is not None
    assert problems == [] and errors == [], (problems, errors)
    context.close()
