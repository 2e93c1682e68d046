"""Dropout cases: opened by a dropout recorded on any path (here an import), closed only with an outcome, a return
written through the enrolment services (or waiting for the school), the lists, and what an organisation owning a
case sees of its child."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.notifications.models import Notification
from apps.retention import case_selectors, cases
from apps.retention.models import DropoutCase
from apps.schools.models import SchoolYear
from apps.students import services as students
from apps.students.importers import apply_roster, plan_roster
from apps.students.models import Child, Enrolment

NOV = datetime.date(2025, 11, 20)
DEC = datetime.date(2025, 12, 1)


@pytest.fixture
def year(cast):
    return SchoolYear.objects.get(province=cast.province, start_year=2025)


def import_roster(cast, year, text, on):
    plan = plan_roster(
        actor=cast.principal_a, filename="ds.csv", data=text.encode(), year=year, school=cast.school_a, on=on
    )
    assert plan.errors == []
    return apply_roster(actor=cast.principal_a, plan=plan, on=on)


ROSTER = "STT,Họ và tên,Ngày sinh,Giới tính,Lớp\n1,Hồ Văn Sớm,05/01/2018,Nam,2B\n"


@pytest.fixture
def dropout(cast, year):
    """A pupil of school A whose dropout came in with the roster of November (reason "other")."""
    import_roster(cast, year, ROSTER, datetime.date(2025, 10, 1))
    dropped = ROSTER.replace("Lớp\n", "Lớp,Trạng thái\n").replace("2B\n", "2B,Thôi học\n")
    import_roster(cast, year, dropped, NOV)
    return Enrolment.objects.get(child__name_folded="ho van som", school=cast.school_a)


def test_a_dropout_recorded_by_import_opens_a_case_with_cause_other(cast, dropout):
    case = DropoutCase.objects.get(child=dropout.child)
    assert (case.source, case.status, case.enrolment, case.cause, case.opened_on) == (
        "dropout",
        "open",
        dropout,
        "other",
        NOV,
    )
    assert case.commune_id == dropout.child.commune_id and case.phase == 2


def test_an_import_of_several_dropouts_opens_one_audited_case_each(cast, year):
    three = ROSTER + "2,Lò Thị Mai,06/02/2018,Nữ,2B\n3,Vừ A Páo,07/03/2017,Nam,3A\n"
    import_roster(cast, year, three, datetime.date(2025, 10, 1))
    before = set(DropoutCase.objects.values_list("pk", flat=True))
    with_status = three.replace("Lớp\n", "Lớp,Trạng thái\n")
    for grade in ("2B\n", "3A\n"):
        with_status = with_status.replace(grade, grade[:-1] + ",Thôi học\n")
    import_roster(cast, year, with_status, NOV)
    import_roster(cast, year, with_status, NOV)  # the same file again: the cases are open, none is added
    cases = DropoutCase.objects.exclude(pk__in=before)
    assert sorted(c.child.full_name for c in cases) == ["Hồ Văn Sớm", "Lò Thị Mai", "Vừ A Páo"]
    audited = AuditEvent.objects.filter(action="retention.case_open", object_id__in=[str(c.pk) for c in cases])
    assert sorted(int(e.object_id) for e in audited) == sorted(c.pk for c in cases)
    assert {e.object_repr for e in audited} == {f"#{c.pk}" for c in cases}
    assert all(e.actor == cast.principal_a and e.org_unit_id == cases.get(pk=e.object_id).commune_id for e in audited)


def test_a_dropout_recorded_on_the_page_opens_a_case_once(cast, year):
    enrolment = Enrolment.objects.filter(school=cast.school_a, year=year, ongoing=True).first()
    students.enrolment_record_event(
        actor=cast.principal_a, enrolment=enrolment, kind="dropped_out", on=NOV, reason="economic"
    )
    case = DropoutCase.objects.get(child=enrolment.child)
    assert case.cause == "economic" and case.owner_user == cast.principal_a
    students.enrolment_record_event(actor=cast.principal_a, enrolment=enrolment, kind="transferred_out", on=DEC)
    assert DropoutCase.objects.filter(child=enrolment.child).count() == 1


def test_the_cause_is_refined_and_interventions_and_follow_ups_recorded(cast, dropout):
    case = DropoutCase.objects.get(child=dropout.child)
    with pytest.raises(ValidationError):
        cases.case_update(actor=cast.commune_officer, case=case, cause="other", cause_text="")
    cases.case_update(actor=cast.commune_officer, case=case, cause="economic", owner_organisation=cast.organisation)
    cases.intervention_add(actor=cast.commune_officer, case=case, kind="gift", on=DEC, by="Hội Khuyến học")
    cases.follow_up_add(actor=cast.commune_officer, case=case, due_on=DEC)
    case.refresh_from_db()
    assert case.cause == "economic" and case.owner_organisation == cast.organisation
    assert [i.kind for i in case.interventions.all()] == ["gift"] and case.follow_ups.count() == 1


def test_a_case_closes_only_with_an_outcome(cast, dropout, client_for):
    case = DropoutCase.objects.get(child=dropout.child)
    with pytest.raises(ValidationError):
        cases.case_close(actor=cast.commune_officer, case=case, outcome="")
    response = client_for(cast.commune_officer).post(
        reverse("retention:case_close", args=[case.pk]), {"on": "2025-12-01"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "open" and case.outcome == ""
    cases.case_close(actor=cast.commune_officer, case=case, outcome="moved", on=DEC)
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_by) == ("closed", "moved", cast.commune_officer)


def test_closing_as_returned_writes_the_return_event_in_the_same_transaction(cast, dropout):
    case = DropoutCase.objects.get(child=dropout.child)
    cases.case_close(
        actor=cast.principal_a, case=case, outcome="returned", on=DEC, school=cast.school_a, grade=dropout.grade
    )
    case.refresh_from_db()
    dropout.refresh_from_db()
    assert case.status == "closed" and case.return_enrolment == dropout
    assert dropout.ongoing and dropout.events.order_by("-on", "-pk").first().kind == "returned"


def test_a_return_that_fails_leaves_the_case_open(cast, dropout):
    case = DropoutCase.objects.get(child=dropout.child)
    with pytest.raises(ValidationError):  # the return before the dropout: the enrolment service refuses it
        cases.case_close(
            actor=cast.principal_a,
            case=case,
            outcome="returned",
            on=datetime.date(2025, 11, 1),
            school=cast.school_a,
            grade=dropout.grade,
        )
    case.refresh_from_db()
    assert case.status == "open" and case.return_enrolment is None


def test_closing_as_returned_waits_for_the_school_when_the_closer_may_not_write_it(cast, dropout, client_for):
    case = DropoutCase.objects.get(child=dropout.child)
    cases.case_update(actor=cast.commune_officer, case=case, cause="economic", owner_organisation=cast.organisation)
    assert not _manages(cast.partner, cast.school_a)
    cases.case_close(  # the organisation's officer owns the case but does not write the school's enrolments
        actor=cast.partner, case=case, outcome="returned", on=DEC, school=cast.school_a, grade=dropout.grade
    )
    case.refresh_from_db()
    assert case.status == "waiting" and case.return_enrolment is None
    assert dropout.events.order_by("-on", "-pk").first().kind == "dropped_out"
    assert Notification.objects.filter(recipient=cast.principal_a, kind="retention.case_return").exists()
    cases.case_return_confirm(actor=cast.principal_a, case=case, on=DEC)  # the school writes it
    case.refresh_from_db()
    assert case.status == "closed" and case.return_enrolment == dropout
    assert dropout.events.order_by("-on", "-pk").first().kind == "returned"


def _manages(user, school):
    from apps.core.scoping import MANAGE
    from apps.schools.models import School

    return School.objects.restrict(user, MANAGE).filter(pk=school.pk).exists()


def test_a_return_after_an_enrolment_that_ended_dropped_out_opens_a_new_enrolment_as_a_return(cast, year):
    """A child whose last year's enrolment ended in a dropout comes back this year: a new enrolment opening as a
    return (`students.rules.may_open_with`)."""
    last = SchoolYear.objects.get(province=cast.province, start_year=2024)
    child = students.child_create(
        actor=cast.principal_a,
        full_name="Hồ Văn Về",
        birth_year=2016,
        sex="M",
        commune=cast.commune_a,
        for_school=cast.school_a,
    )
    old = students.enrolment_create(
        actor=cast.principal_a, child=child, school=cast.school_a, year=last, grade="3", on=last.starts_on
    )
    students.enrolment_record_event(
        actor=cast.principal_a, enrolment=old, kind="dropped_out", on=last.ends_on, reason="distance"
    )
    case = DropoutCase.objects.get(child=child)
    cases.case_close(actor=cast.principal_a, case=case, outcome="returned", on=DEC, school=cast.school_a, grade="3")
    case.refresh_from_db()
    new = case.return_enrolment
    assert new.year == year and new.ongoing and [e.kind for e in new.events.all()] == ["returned"]
    fresh = students.child_create(
        actor=cast.principal_a,
        full_name="Hồ Văn Mới",
        birth_year=2016,
        sex="M",
        commune=cast.commune_a,
        for_school=cast.school_a,
    )
    with pytest.raises(ValidationError):  # never enrolled before: no return
        students.enrolment_create(
            actor=cast.principal_a, child=fresh, school=cast.school_a, year=year, grade="3", on=DEC, kind="returned"
        )


def test_lists_by_phase_owner_and_commune_with_overdue_follow_ups_first(cast, dropout, year):
    first = DropoutCase.objects.get(child=dropout.child)
    other = Enrolment.objects.filter(school=cast.school_a, year=year, ongoing=True).exclude(pk=dropout.pk).first()
    students.enrolment_record_event(
        actor=cast.principal_a, enrolment=other, kind="dropped_out", on=DEC, reason="health"
    )
    second = DropoutCase.objects.get(child=other.child)
    mine = [second.pk, first.pk]

    def listed(**filters):
        return [c for c in case_selectors.case_list(cast.commune_officer, **filters) if c.pk in mine]

    assert listed() == [second, first]  # newest first
    cases.follow_up_add(actor=cast.commune_officer, case=first, due_on=datetime.date(2025, 11, 25))
    assert listed() == [first, second]  # overdue first
    assert case_selectors.case_list(cast.commune_officer)[0].overdue
    assert listed(phase=3) == [] and listed(phase=2) == [first, second]
    assert set(case_selectors.case_list(cast.principal_a, owner="me")) >= {first, second}
    assert listed(owner="me") == [] and listed(commune=cast.commune_b) == []
    assert listed(commune=first.commune) == [first, second]


def test_the_case_pages_answer(cast, dropout, client_for):
    case = DropoutCase.objects.get(child=dropout.child)
    client = client_for(cast.commune_officer)
    page = client.get(reverse("retention:cases")).content.decode()
    assert dropout.child.full_name in page
    assert dropout.child.full_name in client.get(reverse("retention:case", args=[case.pk])).content.decode()


def test_an_organisation_owning_an_open_case_sees_its_child_only_while_it_is_open(cast, dropout, client_for):
    child = dropout.child
    partner = client_for(cast.partner)
    assert partner.get(reverse("students:child", args=[child.pk])).status_code == 404
    case = DropoutCase.objects.get(child=child)
    cases.case_update(actor=cast.commune_officer, case=case, cause="economic", owner_organisation=cast.organisation)
    assert Child.objects.restrict(cast.partner).filter(pk=child.pk).exists()
    assert partner.get(reverse("students:child", args=[child.pk])).status_code == 200
    read = AuditEvent.objects.filter(kind="read", actor=cast.partner, object_id=str(child.pk))
    assert read.exists()  # the read is logged
    assert partner.get(reverse("retention:case", args=[case.pk])).status_code == 200
    cases.case_close(actor=cast.commune_officer, case=case, outcome="not_returned", on=DEC)
    assert partner.get(reverse("students:child", args=[child.pk])).status_code == 404


def test_after_a_return_the_case_shows_the_absences_since(cast, dropout, client_for):
    from apps.students.models import Absence

    case = DropoutCase.objects.get(child=dropout.child)
    cases.case_close(
        actor=cast.principal_a, case=case, outcome="returned", on=DEC, school=cast.school_a, grade=dropout.grade
    )
    Absence.objects.create(enrolment=dropout, on=datetime.date(2025, 11, 24), excused=False)  # before the return
    Absence.objects.create(enrolment=dropout, on=datetime.date(2025, 12, 9), excused=False)
    page = client_for(cast.commune_officer).get(reverse("retention:case", args=[case.pk])).content.decode()
    assert "09/12/2025" in page and "24/11/2025" not in page
