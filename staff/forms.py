"""Forms: validation only; the writes go through staff.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors, services
from .models import Employee, Stage


class EmployeeAdminForm(forms.ModelForm):
    """The admin's employee form: a new mentor must pass the mentor rules, shown on the mentor field."""

    class Meta:
        model = Employee
        fields = [
            "user",
            "employee_number",
            "name",
            "email",
            "hire_date",
            "team",
            "position",
            "stage",
            "mentor",
            "language",
        ]

    def clean(self):
        cleaned = super().clean()
        mentor = cleaned.get("mentor")
        if "mentor" in self.changed_data and mentor is not None:
            services.check_mentor(mentor.pk, {self.instance.pk} if self.instance.pk else set())
        return cleaned


class TeamStageFilterForm(forms.Form):
    """The team and stage filters of the pages over one's teams (My team, the KASH team heatmap).

    A team is accepted only among the teams the user leads (HR: all, staff.selectors.led_teams, built
    on permissions.visible_teams); a stage among Stage's values. A value that is not offered is
    ignored, so a stale link still opens the page, with every team or stage.
    """

    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)
    stage = forms.ChoiceField(label=_("Life-cycle stage"), choices=[("", ""), *Stage.choices], required=False)

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.teams = list(selectors.led_teams(user))
        self.fields["team"].choices = [("", ""), *((team.pk, team.name) for team in self.teams)]
        self.is_valid()

    @property
    def selected_team(self):
        return self.cleaned_data.get("team")

    @property
    def selected_stage(self):
        return self.cleaned_data.get("stage", "")

    @property
    def team_ids(self):
        """The selected team, or every team offered."""
        return [self.selected_team] if self.selected_team else [team.pk for team in self.teams]

    def context(self):
        """What the filter bar of the page's template shows."""
        return {
            "teams": self.teams,
            "selected_team": self.selected_team,
            "stage": self.selected_stage,
            "stages": Stage.choices,
        }
