"""Filters of the team coverage and four-abilities pages: validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TeamFilterForm(forms.Form):
    """The team to show, among the teams the user may see (the first one without a choice)."""

    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False, empty_label=None)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class AbilitiesFilterForm(TeamFilterForm):
    q = forms.CharField(label=_("Name"), max_length=100, required=False)
