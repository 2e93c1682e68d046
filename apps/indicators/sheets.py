"""The tables of the indicator pages as sheets for `apps.core.exports.xlsx_response`: headers and rows of typed
values (integers as numbers, rates as `Percent`, no data as None — an empty cell, never 0 % —, days as dates), built
from what the selectors already gave the page, so that a file says exactly what the page shows."""

from django.utils.translation import gettext as _

from apps.core.exports import Percent
from apps.indicators.forms import BREAKDOWN_NAMES
from apps.indicators.models import Period
from apps.indicators.registry import NOT_YET, Value
from apps.students.models import Grade, Sex


def percent(rate) -> Percent | None:
    return None if rate is None else Percent(rate)


def note(value: Value) -> str:
    if value.note == NOT_YET:
        return _("Chưa đến kỳ")
    return _("Chưa có số liệu") if value.rate is None else ""


def group_label(kind: str, group: str) -> str:
    """A breakdown's group as people read it: "Nữ", "Mông", "Lớp 1", "Có"; the code when it is unknown."""
    if kind == "sex" and group in Sex.values:
        return str(Sex(group).label)
    if kind == "grade" and group in Grade.values:
        return str(Grade(group).label)
    if kind == "ethnicity":
        from apps.students.identity import ethnicity_table

        return ethnicity_table()[0].get(group, group)
    if kind == "phase" and group in Period.values:
        return str(Period(group).label)
    if group in ("yes", "no"):
        return _("Có") if group == "yes" else _("Không")
    return group


def breakdown_sheet(tables) -> tuple[list, list]:
    """`tables`: [(indicator, kind, [(group, Value)])]."""
    headers = [_("Chỉ số"), _("Phân tổ theo"), _("Nhóm"), _("Tử số"), _("Mẫu số"), _("Tỷ lệ"), _("Ghi chú")]
    rows = [
        [
            str(indicator.label),
            str(BREAKDOWN_NAMES.get(kind, kind)),
            group_label(kind, group),
            value.numerator,
            value.denominator,
            percent(value.rate),
            note(value),
        ]
        for indicator, kind, groups in tables
        for group, value in groups
    ]
    return headers, rows


def headcount_sheet(targets, heads, *, count_day) -> tuple[list, list]:
    """The official (snapshot) head count, the live count on the count day and their difference, per target."""
    headers = [
        _("Đơn vị"),
        _("Ngày chốt số liệu"),
        _("Chính thức (chốt)"),
        _("Hiện tại (ngày chốt)"),
        _("Chênh lệch"),
    ]
    rows = []
    for t in targets:
        h = heads[t.key]
        rows.append([t.name, count_day, h["official"], h["live"], h["difference"]])
    return headers, rows


def grade_sheet(grades) -> tuple[list, list]:
    """A school's counts by grade (`selectors.grade_table` or `school_on_day`)."""
    headers = [_("Khối"), _("Đang học cuối kỳ"), _("Chuyển đến"), _("Chuyển đi"), _("Bỏ học"), _("Trở lại"), _("BHYT")]
    rows = [
        [str(Grade(g["grade"]).label) if g["grade"] in Grade.values else g["grade"]] + [n for _m, n in g["counts"]]
        for g in grades
    ]
    return headers, rows


def students_sheet(enrolments) -> tuple[list, list]:
    headers = [_("Họ và tên"), _("Năm sinh"), _("Giới tính"), _("Khối"), _("Lớp"), _("Mã học sinh")]
    rows = [
        [
            e.child.full_name,
            e.child.birth_year,
            e.child.get_sex_display(),
            e.get_grade_display(),
            e.class_group.name if e.class_group_id else None,
            e.student_code or None,
        ]
        for e in enrolments
    ]
    return headers, rows


def census_sheet(records) -> tuple[list, list]:
    headers = [
        _("Họ và tên"),
        _("Năm sinh"),
        _("Thôn"),
        _("Tình trạng"),
        _("Đang học (theo hồ sơ)"),
        _("Ngày điều tra"),
    ]
    rows = [
        [
            r.child.full_name,
            r.child.birth_year,
            r.hamlet.display_name,
            r.get_status_display(),
            bool(r.enrolled),
            r.surveyed_on,
        ]
        for r in records
    ]
    return headers, rows


def snapshot_sheet(snapshot, rows) -> tuple[list, list]:
    """A school's frozen rows (amendments included) with the count day."""
    from apps.students.identity import ethnicity_table
    from apps.students.models import EnrolmentEvent

    names = ethnicity_table()[0]
    kinds = dict(EnrolmentEvent.Kind.choices)
    headers = [
        _("Họ và tên"),
        _("Năm sinh"),
        _("Khối"),
        _("Lớp"),
        _("Tình trạng"),
        _("Giới tính"),
        _("Dân tộc"),
        _("Ngày chốt số liệu"),
        _("Số lần đính chính"),
    ]
    out = [
        [
            r.enrolment.child.full_name,
            r.enrolment.child.birth_year,
            str(Grade(r.grade).label) if r.grade in Grade.values else r.grade,
            r.class_group.name if r.class_group_id else None,
            str(kinds.get(r.status, r.status)),
            str(Sex(r.sex).label) if r.sex in Sex.values else r.sex,
            names.get(r.ethnicity, r.ethnicity),
            snapshot.count_day,
            r.amendment_count,
        ]
        for r in rows
    ]
    return headers, out


def universal_sheet(result) -> tuple[list, list]:
    """A commune's levels, each criterion with its threshold, counts, rate and the children short."""
    from apps.indicators.universal import STATUS_LABELS

    headers = [
        _("Mức phổ cập"),
        _("Kết quả mức"),
        _("Tiêu chí"),
        _("Ngưỡng"),
        _("Tử số"),
        _("Mẫu số"),
        _("Tỷ lệ"),
        _("Số trẻ còn thiếu"),
        _("Tình trạng tiêu chí"),
        _("Số liệu xác nhận"),
        _("Minh chứng"),
    ]
    rows = []
    for level in result["levels"]:
        for c in level.criteria:
            attested = c.attested
            if attested is None:
                said = None
            elif attested.value is not None:
                said = Percent(attested.value)
            else:
                said = _("Đạt") if attested.met else _("Không đạt")
            rows.append(
                [
                    str(level.label),
                    str(level.status_label),
                    c.threshold.label,
                    Percent(c.value),
                    c.numerator,
                    c.denominator,
                    percent(c.rate),
                    c.short if c.status == "failed" and c.denominator else None,
                    str(STATUS_LABELS[c.status]),
                    said,
                    attested.evidence if attested is not None else None,
                ]
            )
    return headers, rows


def rollup_sheet(rollup) -> tuple[list, list]:
    headers = [_("Mức phổ cập"), _("Số xã đạt"), _("Số xã"), _("Tỷ lệ xã đạt")]
    return headers, [[str(r["label"]), r["passed"], r["communes"], percent(r["share"])] for r in rollup]
