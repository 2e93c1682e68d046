from itertools import groupby

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import MANAGE, MAX_ID, VIEW
from apps.imports.forms import UploadForm
from apps.orgunits.models import OrgUnit
from apps.orgunits.selectors import governed_communes
from apps.schools.models import School, SchoolYear
from apps.students import rules
from apps.students.identity import ethnicity_choices
from apps.students.models import ClassGroup, DropoutReason, EnrolmentEvent, Grade, Sex

ANY = [("", _("— Tất cả —"))]
CIRCUMSTANCES = list(rules.CIRCUMSTANCES.items())
GRADE_ORDER = {grade: n for n, grade in enumerate(Grade.values)}
# A province holds thousands of classes: past this many, the class list waits for a school to be chosen.
CLASS_OPTIONS_LIMIT = 300


class GroupedChoiceIterator(ModelChoiceIterator):
    """The field's shown objects in <optgroup>s: sorted by `sort_key`, grouped by `group_of`."""

    def __iter__(self):
        first, objects = self.field.shown()
        yield ("", first)
        for group, members in groupby(sorted(objects, key=self.field.sort_key), key=self.field.group_of):
            yield (group, [self.choice(obj) for obj in members])


class GroupedModelChoiceField(forms.ModelChoiceField):
    """An optional choice of one object of `queryset` (what the user may see), shown in <optgroup>s. The form may
    narrow what is shown (`options`, e.g. the classes of the chosen school) without narrowing what is accepted;
    past `limit` options it shows `too_many_label` and the chosen object (`kept`) only."""

    iterator = GroupedChoiceIterator

    def __init__(self, *, group_of, sort_key, label_of=str, limit=0, too_many_label="", **kwargs):
        self.group_of, self.sort_key, self.label_of = group_of, sort_key, label_of
        self.limit, self.too_many_label, self.kept = limit, too_many_label, None
        self._options = self._shown = None
        super().__init__(queryset=None, required=False, empty_label=ANY[0][1], **kwargs)

    @property
    def options(self):
        return self.queryset if self._options is None else self._options

    @options.setter
    def options(self, queryset):
        self._options, self._shown = queryset, None

    def shown(self) -> tuple[str, list]:
        """(label of the empty choice, objects shown), read once: the select widget walks its choices twice."""
        if self._shown is None:
            found = list(self.options[: self.limit + 1] if self.limit else self.options)
            if self.limit and len(found) > self.limit:
                self._shown = (self.too_many_label, list(self.options.filter(pk=self.kept)) if self.kept else [])
            else:
                self._shown = (self.empty_label, found)
        return self._shown

    def label_from_instance(self, obj):
        return self.label_of(obj)


def _hamlet_label(hamlet: OrgUnit) -> str:
    if hamlet.is_current:
        return hamlet.display_name
    return _("%(name)s (đã thôi hiệu lực)") % {"name": hamlet.display_name}


class StudentFilterForm(forms.Form):
    """The filters of the student list, its Excel export and the API: every choice is one the user may see
    (an id out of their scope is refused like one that does not exist), and a filter only narrows their list."""

    q = forms.CharField(label=_("Họ tên"), required=False, max_length=100)
    year = forms.ModelChoiceField(label=_("Năm học"), queryset=None, required=False, empty_label=_("— Tất cả —"))
    school = forms.ModelChoiceField(label=_("Trường"), queryset=None, required=False, empty_label=_("— Tất cả —"))
    grade = forms.ChoiceField(label=_("Khối"), choices=ANY + Grade.choices, required=False)
    class_group = GroupedModelChoiceField(
        label=_("Lớp"),
        group_of=lambda c: f"{c.school.name} ({c.year.name})",
        sort_key=lambda c: (c.school.name, c.school_id, -c.year.start_year, GRADE_ORDER.get(c.grade, 99), c.name),
        limit=CLASS_OPTIONS_LIMIT,
        too_many_label=_("— Chọn trường trước —"),
        error_messages={"invalid_choice": _("Không tìm thấy lớp đã chọn.")},
    )
    hamlet = GroupedModelChoiceField(
        label=_("Thôn, tổ dân phố"),
        group_of=lambda h: h.parent.name,
        sort_key=lambda h: (h.parent.name, h.parent_id, not h.is_current, h.name_folded, h.qualifier),
        label_of=_hamlet_label,
        error_messages={"invalid_choice": _("Không tìm thấy thôn, tổ dân phố đã chọn.")},
    )
    status = forms.ChoiceField(label=_("Tình trạng"), choices=ANY + EnrolmentEvent.Kind.choices, required=False)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=ANY + Sex.choices, required=False)
    ethnicity = forms.ChoiceField(label=_("Dân tộc"), choices=(), required=False)
    circumstance = forms.ChoiceField(label=_("Hoàn cảnh"), choices=ANY + CIRCUMSTANCES, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = SchoolYear.objects.restrict(user, VIEW).order_by("-start_year")
        self.fields["school"].queryset = School.objects.restrict(user, VIEW).order_by("name")
        self.fields["ethnicity"].choices = ANY + ethnicity_choices()
        classes = self.fields["class_group"]
        classes.queryset = ClassGroup.objects.restrict(user, VIEW).select_related("school", "year")
        # Shown: the classes of the school and year chosen (read raw: the options are drawn before validation, and
        # a school out of scope simply has no classes here). Accepted: any class in scope, checked in clean().
        narrowing = {f"{name}_id": pk for name in ("school", "year") if (pk := self._chosen_id(name))}
        classes.options = classes.queryset.filter(**narrowing)
        classes.kept = self._chosen_id("class_group")
        self.fields["hamlet"].queryset = (
            OrgUnit.objects.restrict(user, VIEW).filter(type=OrgUnit.Type.HAMLET).select_related("parent")
        )

    def _chosen_id(self, name: str) -> int | None:
        try:
            pk = int(self.data.get(self.add_prefix(name)) or 0)
        except (TypeError, ValueError):
            return None
        return pk if 0 < pk <= MAX_ID else None

    def clean(self):
        cleaned = super().clean()
        group, school, year = cleaned.get("class_group"), cleaned.get("school"), cleaned.get("year")
        if group and ((school and group.school_id != school.pk) or (year and group.year_id != year.pk)):
            self.add_error(
                "class_group",
                forms.ValidationError(
                    _("%(name)s không thuộc trường hoặc năm học đã chọn."),
                    code="class_elsewhere",
                    params={"name": group.name},
                ),
            )
        return cleaned

    def filters(self) -> dict | None:
        """The chosen filters as keyword arguments of `selectors.student_list`; None when one of them is not valid."""
        if not self.is_bound:
            return {}
        if not self.is_valid():
            return None
        return {name: value for name, value in self.cleaned_data.items() if value}


class YearUploadForm(UploadForm):
    """An upload for a school year: the years the user may see, the one under way preselected (a file is for the
    year being entered, even one with nothing in it yet, not the year a page opens on)."""

    year = forms.ModelChoiceField(label=_("Năm học"), queryset=None, empty_label=_("— Chọn —"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        years = SchoolYear.objects.restrict(user, VIEW).order_by("-start_year")
        self.offer("year", years)
        if current := years.containing(timezone.localdate()).first() or years.first():
            self.fields["year"].initial = current.pk


class RosterUploadForm(YearUploadForm):
    """A roster's upload: for one school (preselected when the user manages only one), or a file with a school
    column (rights on every school in it)."""

    school = forms.ModelChoiceField(
        label=_("Trường"),
        queryset=None,
        required=False,
        empty_label=_("— Tệp có cột Mã trường —"),
        help_text=_(
            "Để trống khi tệp xuất cho cả xã hoặc tỉnh có cột Mã trường: cần quyền quản lý mọi trường trong tệp."
        ),
    )
    field_order = ["school", "year", "file"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.offer("school", School.objects.restrict(user, MANAGE).order_by("name"), preselect=True)
        self.fields["file"].label = _("Tệp danh sách học sinh (.xlsx, .xls, .ods, .csv)")


class CensusUploadForm(YearUploadForm):
    commune = forms.ModelChoiceField(label=_("Xã, phường"), queryset=None, empty_label=_("— Chọn —"))
    field_order = ["commune", "year", "file"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.offer("commune", governed_communes(user), preselect=True)
        self.fields["file"].label = _("Tệp điều tra phổ cập (.xlsx, .xls, .ods, .csv), có cột Thôn")


ANY_REASON = [("", _("— Không phải bỏ học —"))]


class EnrolmentEventForm(forms.Form):
    """What happened to an enrolment: a transfer, a dropout with its reason, a return… (a correction is a new
    event, never an edit)."""

    kind = forms.ChoiceField(
        label=_("Diễn biến"), choices=[c for c in EnrolmentEvent.Kind.choices if c[0] != EnrolmentEvent.Kind.ENROLLED]
    )
    on = forms.DateField(label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(label=_("Lý do bỏ học"), choices=ANY_REASON + DropoutReason.choices, required=False)
    reason_text = forms.CharField(label=_("Ghi rõ lý do"), max_length=255, required=False)
    other_school = forms.CharField(label=_("Trường chuyển đến/đi"), max_length=255, required=False)
