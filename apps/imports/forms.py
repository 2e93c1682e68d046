from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.imports.services import upload_refusal


class UploadForm(forms.Form):
    """The file field every kind's upload form starts from (a kind adds its own fields: the school, the year)."""

    file = forms.FileField(label=gettext_lazy("Tệp (.xlsx, .xls, .ods, .csv)"))

    def __init__(self, *args, user, api: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.api = user, api
        self.fields["file"].help_text = _("Tối đa %(max)s MB.") % {"max": settings.IMPORT_MAX_UPLOAD_MB}

    def offer(self, name: str, queryset, *, preselect: bool = False) -> None:
        """The choices of a field: on a page, what the user may pick (the only one preselected, when asked); through
        the API any existing object, so that the kind answers 404 for one out of scope and 403 for one only
        readable, as everywhere else."""
        self.fields[name].queryset = queryset.model._default_manager.all() if self.api else queryset
        if preselect and len(only := list(queryset[:2])) == 1:
            self.fields[name].initial = only[0].pk

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if refusal := upload_refusal(upload):  # refused before anything is kept
            raise forms.ValidationError(refusal)
        return upload
