"""The reporting system's forms (validation only): the archive's filters, the author's commentary and the
manager's review."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ReportKind, ReportStatus
from ..services.reports import MAX_COMMENTARY

SELECT = {"class": "form-select form-select-sm"}


class ReportFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All reports"))] + ReportKind.choices
        self.fields["status"].choices = [("", _("Any status"))] + ReportStatus.choices
        self.fields["team"].choices = [("", _("All teams"))] + teams
        for name in ("kind", "status", "team"):
            self.fields[name].widget.attrs.update(SELECT)
        self.fields["year"].widget.attrs.update({"class": "form-control form-control-sm", "inputmode": "numeric"})

    def filter(self, reports):
        if not self.is_valid():
            return reports.none()
        data = self.cleaned_data
        if data["kind"]:
            reports = reports.filter(kind=data["kind"])
        if data["status"]:
            reports = reports.filter(status=data["status"])
        if data["team"]:
            reports = reports.filter(team=data["team"])
        if data["year"]:
            reports = reports.filter(period_start__year=data["year"])
        return reports


class CommentaryForm(forms.Form):
    commentary = forms.CharField(
        label=_("Commentary"),
        required=False,
        max_length=MAX_COMMENTARY,
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
        help_text=_("What went well, what did not, and what you will do next. Required to submit."),
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Review note"),
        required=False,
        max_length=MAX_COMMENTARY,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("Required when you return the report."),
    )
