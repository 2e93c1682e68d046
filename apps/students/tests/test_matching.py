from apps.core.text import fold
from apps.students.matching import Record, match_records
from apps.students.models import Child, Enrolment
from apps.students.services import child_create


def record(child=None, **values) -> Record:
    if child is not None:
        values = {
            "full_name_folded": fold(child.full_name.upper()),
            "birth_date": child.birth_date,
            "birth_year": child.birth_year,
            "commune_id": child.commune_id,
        } | values
    return Record(**values)


def test_the_rules_apply_in_order(cast):
    enrolment = Enrolment.objects.filter(school=cast.school_a).select_related("child").first()
    child, other = enrolment.child, Child.objects.exclude(pk=enrolment.child_id).first()
    Child.objects.filter(pk=other.pk).update(personal_id="048218007777", learner_id="4800099999")
    by_code = record(school_id=cast.school_a.pk, student_code=enrolment.student_code)
    by_name = record(child)
    # The personal ID outranks the learner ID, which outranks the school's code, which outranks the name.
    by_pid = record(child, personal_id="048218007777", learner_id="nobody", school_id=cast.school_a.pk)
    by_lid = record(child, learner_id="4800099999", school_id=cast.school_a.pk, student_code=enrolment.student_code)
    unknown = record(full_name_folded="khong ai ca", birth_year=2016, commune_id=cast.commune_a.pk)
    match_records([by_code, by_name, by_pid, by_lid, unknown])
    assert (by_code.child_id, by_code.rule) == (child.pk, "student_code")
    assert (by_name.child_id, by_name.rule) == (child.pk, "name_birth_commune")
    assert (by_pid.child_id, by_pid.rule) == (other.pk, "personal_id")
    assert (by_lid.child_id, by_lid.rule) == (other.pk, "learner_id")
    assert (unknown.child_id, unknown.rule) == (None, "")


def test_a_namesake_is_listed_not_merged(cast):
    for _ in range(2):
        child_create(
            actor=cast.commune_officer, full_name="Hồ Văn Trùng", birth_year=2016, sex="M", commune=cast.commune_a
        )
    result = record(full_name_folded=fold("Ho Van Trung"), birth_year=2016, commune_id=cast.commune_a.pk)
    match_records([result])
    assert result.child_id is None and result.rule == "ambiguous" and len(result.candidates) == 2
    assert {c.full_name for c in result.candidates} == {"Hồ Văn Trùng"}
