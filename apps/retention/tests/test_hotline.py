"""The public hotline: anyone reports a child not in school; the commune's officers accept it as a case or close it;
the status check says only the status; limits per address and per commune, kept in the database; the reporter's
contact only for the handling officers; nothing about a child shown publicly."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.retention import hotline
from apps.retention.models import DropoutCase, HotlineNumber, HotlineReport

FORM = {
    "child_text": "Em Hồ Văn Báo, con nhà bà Lâm",
    "age": "11",
    "commune": "Xã Trà Linh, Đà Nẵng",
    "hamlet_text": "Thôn 1",
    "known": "Nghỉ học từ sau Tết",
    "contact": "0905 111 222",
    "website": "",
}
PUBLIC_PAGES = ("retention:hotline", "retention:hotline_status")


def send(client, **changes):
    return client.post(reverse("retention:hotline"), {**FORM, **changes}, REMOTE_ADDR="203.0.113.7")


def test_a_public_report_lands_with_the_communes_officers_and_becomes_a_case(cast, client_for):
    response = send(client_for(cast.anonymous))
    assert response.status_code == 200
    code = re.search(r'id="reference-code">([A-Z0-9]+)<', response.content.decode()).group(1)
    report = HotlineReport.objects.get(code=code)
    assert report.commune == cast.commune_a and report.via == "web"
    assert report.address_hash == hotline.address_hash("203.0.113.7") and "203.0.113.7" not in report.address_hash
    officer = client_for(cast.commune_officer)
    assert code in officer.get(reverse("retention:hotline_reports")).content.decode()
    assert "0905 111 222" in officer.get(reverse("retention:hotline_report", args=[report.pk])).content.decode()
    for other in (cast.other_commune_officer, cast.principal_a, cast.partner):
        answer = client_for(other).get(reverse("retention:hotline_report", args=[report.pk]))
        assert answer.status_code in (403, 404)
    officer.post(reverse("retention:hotline_accept", args=[report.pk]))
    report.refresh_from_db()
    case = report.case
    assert (case.source, case.commune, case.status, report.status) == ("hotline", cast.commune_a, "open", "handling")


def test_the_status_check_shows_only_the_status(cast, client_for):
    report = hotline.report_submit(commune=cast.commune_a, address="198.51.100.1", **_fields())
    page = client_for(cast.anonymous).get(reverse("retention:hotline_status"), {"code": report.code}).content.decode()
    assert "Đã tiếp nhận" in page
    for detail in ("Hồ Văn Báo", "Thôn 1", "Tết", "0905", "Trà Linh"):
        assert detail not in page
    hotline.report_close(actor=cast.commune_officer, report=report, reason="Trẻ đang đi học ở xã khác")
    page = client_for(cast.anonymous).get(reverse("retention:hotline_status"), {"code": report.code}).content.decode()
    assert "Đã kết thúc" in page and "xã khác" not in page


def _fields():
    return {k: FORM[k] for k in ("child_text", "hamlet_text", "known", "contact")} | {"age": 11}


def test_the_sixth_report_in_an_hour_from_one_address_is_refused(cast, client_for):
    client = client_for(cast.anonymous)
    for _i in range(5):
        assert send(client).status_code == 200
    refused = send(client)
    assert refused.status_code == 400 and "trong một giờ" in refused.content.decode()
    assert HotlineReport.objects.filter(address_hash=hotline.address_hash("203.0.113.7")).count() == 5
    other = client.post(reverse("retention:hotline"), FORM, REMOTE_ADDR="203.0.113.8")
    assert other.status_code == 200  # another address is not held back


def test_a_commune_takes_at_most_fifty_reports_a_day(cast):
    for i in range(hotline.PER_COMMUNE_DAY):
        hotline.report_submit(commune=cast.commune_a, address=f"10.0.{i // 5}.{i % 5}", **_fields())
    with pytest.raises(ValidationError, match="nhiều tin báo hôm nay"):
        hotline.report_submit(commune=cast.commune_a, address="10.9.9.9", **_fields())


def test_a_filled_honeypot_is_refused(cast, client_for):
    response = send(client_for(cast.anonymous), website="http://spam.example")
    assert response.status_code == 400 and not HotlineReport.objects.exists()


def test_the_commune_is_chosen_through_the_resolver_communes_only(cast, client_for):
    assert send(client_for(cast.anonymous), commune="Đà Nẵng").status_code == 400  # a province: not a commune
    assert send(client_for(cast.anonymous), commune="Không có xã này").status_code == 400
    assert not HotlineReport.objects.exists()


def test_an_officer_takes_a_report_by_phone_and_closes_another_with_a_reason(cast, client_for):
    officer = client_for(cast.commune_officer)
    response = officer.post(reverse("retention:hotline_intake"), FORM)
    report = HotlineReport.objects.get()
    assert response.status_code == 302 and report.via == "phone" and report.taken_by == cast.commune_officer
    assert officer.post(reverse("retention:hotline_close", args=[report.pk]), {"reason": ""}).status_code == 302
    report.refresh_from_db()
    assert report.status == "received"  # no reason: not closed
    officer.post(reverse("retention:hotline_close", args=[report.pk]), {"reason": "Đã đi học lại"})
    report.refresh_from_db()
    assert report.status == "closed" and report.close_reason == "Đã đi học lại"
    assert not DropoutCase.objects.filter(source="hotline").exists()


def test_published_numbers_are_listed_publicly_and_unpublished_ones_are_not(cast, client_for):
    hotline.number_set(actor=cast.commune_officer, commune=cast.commune_a, phone="0235 3 880 111")
    hotline.number_set(actor=cast.commune_officer, commune=cast.commune_a, phone="0235 3 880 999", published=False)
    page = client_for(cast.anonymous).get(reverse("retention:hotline")).content.decode()
    assert "0235 3 880 111" in page and "0235 3 880 999" not in page
    assert HotlineNumber.objects.count() == 2


def test_the_privacy_crawl_finds_no_child_on_the_hotline_pages(cast, client_for):
    """Every public hotline page, fetched anonymously after reports were made and accepted, holds no child's name
    (neither the reported one nor any enrolled one), no reporter's contact and no hamlet."""
    from apps.students.models import Child

    report = hotline.report_submit(commune=cast.commune_a, address="198.51.100.2", **_fields())
    hotline.report_accept(actor=cast.commune_officer, report=report)
    anonymous = client_for(cast.anonymous)
    pages = [anonymous.get(reverse(name)).content.decode() for name in PUBLIC_PAGES]
    pages.append(anonymous.get(reverse("retention:hotline_status"), {"code": report.code}).content.decode())
    pages.append(send(anonymous).content.decode())  # the thank-you page
    names = list(Child.objects.values_list("full_name", flat=True)[:2000])
    for page in pages:
        assert not [n for n in names if n in page]
        for detail in ("Hồ Văn Báo", "0905 111 222", "Thôn 1", "sau Tết"):
            assert detail not in page


def test_a_hotline_case_is_tied_to_the_child_and_then_closes_as_returned(cast, client_for):
    from apps.students.models import Child

    report = hotline.report_submit(commune=cast.commune_a, address="198.51.100.3", **_fields())
    case = hotline.report_accept(actor=cast.commune_officer, report=report)
    child = (
        Child.objects.filter(commune=cast.commune_a, enrolments__isnull=True).first()
        or Child.objects.filter(commune=cast.commune_a).exclude(enrolments__ongoing=True).first()
    )
    client = client_for(cast.commune_officer)
    client.post(reverse("retention:case_link", args=[case.pk]), {"child": child.pk})
    case.refresh_from_db()
    assert case.child == child
    from apps.retention import cases

    cases.case_close(actor=cast.commune_officer, case=case, outcome="not_returned")
    report.refresh_from_db()
    assert report.status == "closed"  # the status check reads "closed" once the case is


def test_a_hotline_case_is_tied_to_a_child_found_by_name_and_picked(cast, client_for):
    from apps.students.models import Child

    report = hotline.report_submit(commune=cast.commune_a, address="198.51.100.4", **_fields())
    case = hotline.report_accept(actor=cast.commune_officer, report=report)
    child = Child.objects.filter(commune=cast.commune_a).exclude(enrolments__ongoing=True).order_by("pk").first()
    client = client_for(cast.commune_officer)
    page = client.get(reverse("retention:case", args=[case.pk]), {"child_q": child.full_name.upper()}).content.decode()
    assert f'name="child" value="{child.pk}"' in page and child.full_name in page  # found by its folded name
    outsider = Child.objects.exclude(commune__path__startswith=cast.commune_a.path).exclude(
        pk__in=Child.objects.restrict(cast.commune_officer, "change")
    )
    far = outsider.filter(full_name=child.full_name).first() or outsider.first()
    assert (
        f'name="child" value="{far.pk}"'
        not in client.get(reverse("retention:case", args=[case.pk]), {"child_q": far.full_name}).content.decode()
    )  # a child the officer may not change is never offered
    client.post(reverse("retention:case_link", args=[case.pk]), {"child": child.pk})  # the pick's button
    case.refresh_from_db()
    assert case.child == child
    page = client.get(reverse("retention:case", args=[case.pk]), {"child_q": child.full_name}).content.decode()
    assert 'class="link-candidates"' not in page  # tied: nothing more to pick


def test_a_refused_public_report_keeps_what_the_visitor_typed_and_shows_nothing_else(cast, client_for):
    """On a validation error the form comes back with the visitor's own text (nothing lost), and with nothing from
    the database: no earlier report's child, hamlet or contact, no enrolled child's name."""
    from apps.students.models import Child

    hotline.report_submit(
        commune=cast.commune_a,
        address="198.51.100.9",
        child_text="Em Hồ Thị Trước",
        age=9,
        hamlet_text="Thôn Trước",
        known="Đã báo trước",
        contact="0911 000 999",
    )
    typed = {"child_text": "Em Vừa Gõ Xong", "known": "Bỏ học từ tháng Ba", "contact": "0988 123 456"}
    response = send(client_for(cast.anonymous), commune="Không có xã này", **typed)
    page = response.content.decode()
    assert response.status_code == 400 and HotlineReport.objects.count() == 1
    for value in typed.values():
        assert value in page  # kept in the form
    assert "Không có xã này" in page
    for other in ("Em Hồ Thị Trước", "Thôn Trước", "Đã báo trước", "0911 000 999"):
        assert other not in page
    names = list(Child.objects.values_list("full_name", flat=True)[:2000])
    assert not [n for n in names if n in page]
