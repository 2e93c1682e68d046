from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.scoping import VIEW
from apps.imports.services import upload_refusal
from apps.schools.models import SchoolYear


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

    def offer_year(self, name: str = "year") -> None:
        """The school years the user may see, the one under way preselected: a file is for the year being entered
        (even one with nothing in it yet), not the year a page opens on (`schools.selectors.default_year`)."""
        years = SchoolYear.objects.restrict(self.user, VIEW).order_by("-start_year")
        self.offer(name, years)
        if current := years.containing(timezone.localdate()).first() or years.first():
            self.fields[name].initial = current.pk

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if refusal := upload_refusal(upload):  # refused before anything is kept
            raise forms.ValidationError(refusal)
        return upload
