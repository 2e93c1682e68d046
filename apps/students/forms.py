from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.scoping import VIEW
from apps.schools.models import School, SchoolYear
from apps.students.identity import ethnicity_choices
from apps.students.models import EnrolmentEvent, Grade, Sex

ANY = [("", _("— Tất cả —"))]
CIRCUMSTANCES = [
    ("poor", _("Hộ nghèo")),
    ("near_poor", _("Hộ cận nghèo")),
    ("orphan", _("Mồ côi")),
    ("disability", _("Khuyết tật")),
    ("remote_area", _("Vùng đặc biệt khó khăn")),
]


class StudentFilterForm(forms.Form):
    q = forms.CharField(label=_("Họ tên"), required=False, max_length=100)
    year = forms.ModelChoiceField(label=_("Năm học"), queryset=None, required=False, empty_label=_("— Tất cả —"))
    school = forms.ModelChoiceField(label=_("Trường"), queryset=None, required=False, empty_label=_("— Tất cả —"))
    grade = forms.ChoiceField(label=_("Khối"), choices=ANY + Grade.choices, required=False)
    status = forms.ChoiceField(label=_("Tình trạng"), choices=ANY + EnrolmentEvent.Kind.choices, required=False)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=ANY + Sex.choices, required=False)
    ethnicity = forms.ChoiceField(label=_("Dân tộc"), choices=(), required=False)
    circumstance = forms.ChoiceField(label=_("Hoàn cảnh"), choices=ANY + CIRCUMSTANCES, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = SchoolYear.objects.restrict(user, VIEW).order_by("-start_year")
        self.fields["school"].queryset = School.objects.restrict(user, VIEW).order_by("name")
        self.fields["ethnicity"].choices = ANY + ethnicity_choices()


class ImportForm(forms.Form):
    school = forms.ModelChoiceField(label=_("Trường"), queryset=None, empty_label=_("— Chọn —"))
    year = forms.ModelChoiceField(label=_("Năm học"), queryset=None, empty_label=_("— Chọn —"))
    file = forms.FileField(label=_("Tệp danh sách học sinh (.xlsx, .xls, .ods, .csv)"))

    def __init__(self, *args, schools, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["year"].queryset = years
