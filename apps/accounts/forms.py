from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.orgunits.models import OrgUnit
from apps.schools.models import Organisation, School


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    target = forms.ChoiceField(label=_("Đơn vị, trường hoặc tổ chức"), required=False)

    def __init__(self, *args, targets=(), roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "—")] + list(targets)
        if roles is not None:
            self.fields["role"].choices = roles

    def target_kwargs(self) -> dict:
        """{'org_unit': …} / {'school': …} / {'organisation': …} for the chosen target (ids, not yet scoped:
        the service checks the actor may grant there)."""
        kind, _sep, pk = (self.cleaned_data.get("target") or "").partition(":")
        model, key = {
            "unit": (OrgUnit, "org_unit"),
            "school": (School, "school"),
            "org": (Organisation, "organisation"),
        }.get(kind, (None, None))
        if model is None:
            return {}
        obj = model.objects.filter(pk=pk).first()
        return {key: obj} if obj else {}


class UserCreateForm(GrantForm):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    password = forms.CharField(label=_("Mật khẩu ban đầu"), widget=forms.PasswordInput, min_length=10)

    field_order = ["username", "full_name", "email", "phone", "password", "role", "target"]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Tên mã truy cập"), max_length=100)
