import datetime

import pytest

from apps.students import parsing

TODAY = datetime.date(2026, 11, 24)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("05/09/2018", (datetime.date(2018, 9, 5), 2018)),
        ("5/9/18", (datetime.date(2018, 9, 5), 2018)),
        ("05-09-2018", (datetime.date(2018, 9, 5), 2018)),
        ("2018-09-05 00:00:00", (datetime.date(2018, 9, 5), 2018)),
        ("2018", (None, 2018)),
        ("43348", (datetime.date(2018, 9, 5), 2018)),  # a date cell that lost its format
    ],
)
def test_birth_dates_as_people_write_them(text, expected):
    assert parsing.birth(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text,message",
    [
        ("31/02/2018", "không có thật"),
        ("05/09/2030", "tương lai"),
        ("hôm qua", "không đúng dạng"),
        ("1950", "không phải của trẻ em"),
        ("", "thiếu ngày sinh"),
    ],
)
def test_bad_birth_dates_say_why(text, message):
    with pytest.raises(ValueError, match=message):
        parsing.birth(text, today=TODAY)


@pytest.mark.parametrize(
    "class_name,grade_text,expected",
    [
        ("6/2", "", "6"),
        ("10A1", "", "10"),
        ("1A", "", "1"),
        ("Lá 1", "", "MG5"),
        ("Chồi 2", "", "MG4"),
        ("Mầm", "", "MG3"),
        ("A", "Khối 7", "7"),
        ("", "12", "12"),
    ],
)
def test_the_grade_comes_from_the_grade_column_or_the_class_name(class_name, grade_text, expected):
    assert parsing.grade(class_name, grade_text.replace("Khối ", "")) == expected


@pytest.mark.parametrize(
    "text,value", [("x", True), ("X", True), ("có", True), ("1", True), ("", False), ("không", False)]
)
def test_yes_marks(text, value):
    assert parsing.flag(text) is value


def test_an_unclear_mark_is_an_error():
    with pytest.raises(ValueError, match="không hiểu"):
        parsing.flag("có lẽ")


def test_codes_get_their_leading_zeros_back():
    assert parsing.code("48218001111", length=12) == "048218001111"
