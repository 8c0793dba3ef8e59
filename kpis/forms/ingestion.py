"""Forms of the KPI file upload and the ingest log: validation only (STYLE §1)."""

from pathlib import PurePath

from django import forms
from django.utils.translation import gettext_lazy as _

from staff.imports import ImportTempStorage

from ..models import Channel, IngestStatus, Source

EXTENSIONS = (".csv", ".xlsx")


class UploadForm(forms.Form):
    source = forms.ChoiceField(
        label=_("File of"), choices=Source.choices, initial=Source.AGENT, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
        help_text=_("The platform's export (.csv or .xlsx), with Chinese or English column headers."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class ConfirmForm(forms.Form):
    """The preview's confirm: the upload waiting in IMPORT_TMP_DIR, and what it is."""

    upload = forms.RegexField(regex=ImportTempStorage.NAME, max_length=200, widget=forms.HiddenInput)
    source = forms.ChoiceField(choices=Source.choices, widget=forms.HiddenInput)
    file_name = forms.CharField(max_length=255, widget=forms.HiddenInput)


def _any(choices):
    return [("", _("Any")), *choices]


def _select():
    return forms.Select(attrs={"class": "form-select form-select-sm"})


class IngestFilterForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=_any(Source.choices), required=False, widget=_select())
    channel = forms.ChoiceField(label=_("Channel"), choices=_any(Channel.choices), required=False, widget=_select())
    status = forms.ChoiceField(label=_("Status"), choices=_any(IngestStatus.choices), required=False, widget=_select())
    # An <input type="date"> needs ISO dates whatever the language.
    on = forms.DateField(
        label=_("Holds the day"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
