from django import forms
from django.utils.translation import gettext_lazy as _

from apps.retention.rules import DEFAULT_WEIGHTS, MAX_WEIGHT, SIGNALS


class RulesForm(forms.Form):
    """A province's rules: one weight per signal (0 turns it off), the thresholds and the limits."""

    absence_days = forms.IntegerField(label=_("Số ngày nghỉ không phép"), min_value=1, max_value=120)
    absence_window = forms.IntegerField(label=_("Trong số ngày gần nhất"), min_value=1, max_value=120)
    over_age_years = forms.IntegerField(label=_("Lớn hơn tuổi đúng lớp từ (tuổi)"), min_value=1, max_value=10)
    medium = forms.IntegerField(label=_("Nguy cơ trung bình từ (điểm)"), min_value=1, max_value=200)
    high = forms.IntegerField(label=_("Nguy cơ cao từ (điểm)"), min_value=1, max_value=200)
    mentor_limit = forms.IntegerField(label=_("Số học sinh tối đa mỗi người đỡ đầu"), min_value=1, max_value=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in DEFAULT_WEIGHTS:
            self.fields[f"w_{code}"] = forms.IntegerField(label=SIGNALS[code], min_value=0, max_value=MAX_WEIGHT)

    def weight_fields(self):
        return [self[f"w_{code}"] for code in DEFAULT_WEIGHTS]

    def setting_fields(self):
        return [
            self[name]
            for name in ("absence_days", "absence_window", "over_age_years", "medium", "high", "mentor_limit")
        ]

    def service_args(self) -> dict:
        data = self.cleaned_data
        return {
            "weights": {code: data[f"w_{code}"] for code in DEFAULT_WEIGHTS},
            **{
                name: data[name]
                for name in ("absence_days", "absence_window", "over_age_years", "medium", "high", "mentor_limit")
            },
        }


def initial_of(rules) -> dict:
    return {
        **{f"w_{code}": rules.weights.get(code, 0) for code in DEFAULT_WEIGHTS},
        "absence_days": rules.absence_days,
        "absence_window": rules.absence_window,
        "over_age_years": rules.over_age_years,
        "medium": rules.medium,
        "high": rules.high,
        "mentor_limit": rules.mentor_limit,
    }


class VisitForm(forms.Form):
    """A home visit, phone-first: the day, who was met, what was found, what was agreed, when to come back. `key`
    is the idempotency key the page was given: the same visit sent twice is recorded once."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    on = forms.DateField(label=_("Ngày thăm"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    met = forms.CharField(label=_("Gặp ai"), max_length=200, help_text=_("Ví dụ: mẹ và bà ngoại của em"))
    findings = forms.CharField(label=_("Tình hình gia đình"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    actions = forms.CharField(
        label=_("Việc đã thống nhất"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_on = forms.DateField(
        label=_("Ngày thăm tiếp theo"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Ghi chú"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    family_difficulty = forms.BooleanField(label=_("Gia đình đang gặp khó khăn"), required=False)


class MentorForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Người đỡ đầu"), queryset=None, empty_label=_("— Chọn —"))

    def __init__(self, *args, school, **kwargs):
        from apps.retention.mentors import mentor_candidates

        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentor_candidates(school)
        self.fields["mentor"].label_from_instance = lambda u: u.full_name or u.username


class MentorNoteForm(forms.Form):
    """A mentor's dated note about their mentee."""

    on = forms.DateField(label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    text = forms.CharField(label=_("Ghi chú đỡ đầu"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class EndForm(forms.Form):
    """The day a mentorship or a peer pair ends (today when left blank)."""

    ends_on = forms.DateField(
        label=_("Ngày kết thúc"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class PeerPairForm(forms.Form):
    """Đôi bạn cùng tiến: a struggling student and the strong classmate who helps them."""

    enrolment = forms.TypedChoiceField(label=_("Học sinh cần giúp đỡ"), coerce=int)
    helper = forms.TypedChoiceField(label=_("Bạn giúp đỡ"), coerce=int)

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        blank = [("", _("— Chọn —"))]
        choices = [(e.pk, f"{e.child.full_name}{' *' if weak else ''}") for e, weak in students]
        self.fields["enrolment"].choices = blank + choices
        self.fields["helper"].choices = blank + choices
