import pytest
from django.core.exceptions import ValidationError

from apps.students.identity import clean_personal_id, ethnicity_code, personal_id_facts


class TestPersonalId:
    def test_the_century_sex_digit_and_year_digits_are_read(self):
        assert personal_id_facts("048214001234") == (2014, "M")
        assert personal_id_facts("049315001234") == (2015, "F")
        assert personal_id_facts("001199001234") == (1999, "F")

    def test_a_matching_id_is_kept(self):
        assert clean_personal_id("048214001234", birth_year=2014, sex="M") == "048214001234"

    def test_leading_zeros_lost_by_a_spreadsheet_are_restored(self):
        assert clean_personal_id("48214001234", birth_year=2014, sex="M") == "048214001234"

    def test_a_year_mismatch_names_both_values(self):
        with pytest.raises(ValidationError, match="năm sinh 2014, nhưng hồ sơ ghi năm sinh 2015"):
            clean_personal_id("048214001234", birth_year=2015, sex="M")

    def test_a_sex_mismatch_names_both_values(self):
        with pytest.raises(ValidationError, match="giới tính nam, nhưng hồ sơ ghi giới tính nữ"):
            clean_personal_id("048214001234", birth_year=2014, sex="F")

    def test_not_twelve_digits_is_refused(self):
        with pytest.raises(ValidationError, match="12 chữ số"):
            clean_personal_id("04821400123X", birth_year=2014, sex="M")

    def test_blank_is_none(self):
        assert clean_personal_id("  ", birth_year=2014, sex="M") is None


@pytest.mark.parametrize(
    "written,code",
    [
        ("Kinh", "01"),
        ("H'Mông", "08"),
        ("Mông", "08"),
        ("Ca Dong", "14"),
        ("XƠ ĐĂNG", "14"),
        ("Ê Đê", "12"),
        ("Khmer", "05"),
    ],
)
def test_ethnicities_are_recognised_as_written(written, code):
    assert ethnicity_code(written) == code
