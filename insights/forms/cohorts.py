"""The cohort explorer's filters (validation only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..selectors import cohorts as selectors

MONTH_WIDGET = forms.DateInput(attrs={"type": "month", "class": "form-control form-control-sm"}, format="%Y-%m")


class CohortFilterForm(forms.Form):
    group = forms.ChoiceField(label=_("Group by"), choices=list(selectors.GROUPS.items()), required=False)
    site = forms.TypedChoiceField(label=_("Site"), coerce=int, required=False, empty_value=None)
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)
    hired_from = forms.DateField(label=_("Hired from"), required=False, input_formats=["%Y-%m"], widget=MONTH_WIDGET)
    hired_to = forms.DateField(label=_("Hired to"), required=False, input_formats=["%Y-%m"], widget=MONTH_WIDGET)

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("All sites"))]
        self.fields["site"].choices = everyone + options["sites"]
        self.fields["team"].choices = [("", _("All teams"))] + options["teams"]
        for name in ("group", "site", "team"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def clean(self):
        data = super().clean()
        first, last = data.get("hired_from"), data.get("hired_to")
        if first and last and first > last:
            raise forms.ValidationError(_("The first hire month comes after the last."))
        return data

    def filters(self):
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.Filters(
            group=data.get("group") or selectors.DEFAULT_GROUP,
            site=data.get("site"),
            team=data.get("team"),
            hired_from=data.get("hired_from"),
            hired_to=data.get("hired_to"),
        )
