"""Forms: validation only; the writes go through staff.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors, services
from .cells import normalise
from .models import Employee, Position, Stage


class NormalisedKeyMixin:
    """The row's key (a code, an employee number) is stored as an import matches it (cells.normalise: NFKC, no
    invisible characters, trimmed), so "Ｔ０１" typed here and "T01" in a file are one team."""

    key_field = "code"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(self.key_field):
            cleaned[self.key_field] = normalise(cleaned[self.key_field])
        return cleaned


class CodeAdminForm(NormalisedKeyMixin, forms.ModelForm):
    """The admin form of sites, departments and teams (the admin gives it its model and fields)."""


class EmployeeAdminForm(NormalisedKeyMixin, forms.ModelForm):
    """The admin's employee form: a new mentor must pass the mentor rules, shown on the mentor field."""

    key_field = "employee_number"

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


class PositionAdminForm(NormalisedKeyMixin, forms.ModelForm):
    """The admin's position form: a superior that would put the position above itself is refused, as in an
    import (services.superior_loop)."""

    class Meta:
        model = Position
        fields = [
            *("code", "title", "job_family", "job_group", "grade", "superior", "department", "pay_grade"),
            *("pay_level", "headcount", "nature_of_work", "summary", "expected_results", "min_education"),
            *("training_hours", "training_subjects", "years_experience", "abilities", "personality"),
            *("physical_demands", "work_place", "hazards", "hours_pattern", "workload_balance", "comfort"),
            *("related_positions", "promotion_paths", "transfer_paths"),
        ]

    def clean_superior(self):
        superior = self.cleaned_data.get("superior")
        if superior is None or self.instance.pk is None:
            return superior
        positions = {pk: (code, up) for pk, code, up in Position.objects.values_list("pk", "code", "superior")}
        positions[self.instance.pk] = (self.instance.code, superior.pk)
        loop = services.superior_loop(self.instance.pk, positions)
        if loop:
            raise forms.ValidationError(
                _("The superiors form a loop: %(loop)s. A position cannot be above itself."),
                params={"loop": " → ".join(loop)},
            )
        return superior


class PeopleFilterForm(forms.Form):
    """The filters of the pages over one's people (My team, the KASH team heatmap): site, department and
    team, life-cycle stage, and a search by name or employee number.

    Sites, departments and teams are offered among the teams the user leads (HR: all, staff.selectors.led_teams,
    built on permissions.visible_teams); a stage among Stage's values. A value that is not offered is ignored,
    so a stale link still opens the page, over every team the user leads.
    """

    site = forms.TypedChoiceField(label=_("Site"), coerce=int, required=False, empty_value=None)
    department = forms.TypedChoiceField(label=_("Department"), coerce=int, required=False, empty_value=None)
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)
    stage = forms.ChoiceField(label=_("Life-cycle stage"), choices=[("", ""), *Stage.choices], required=False)
    q = forms.CharField(label=_("Name or employee number"), max_length=100, required=False)

    MAX_TEAM_OPTIONS = 60

    def __init__(self, data=None, *, user, with_counts=False):
        super().__init__(data)
        self.teams = list(selectors.led_teams(user, with_counts=with_counts))
        self.departments = list({team.department_id: team.department for team in self.teams}.values())
        self.sites = list({d.site_id: d.site for d in self.departments}.values())
        for name, options in (("site", self.sites), ("department", self.departments), ("team", self.teams)):
            self.fields[name].choices = [("", ""), *((option.pk, option.name) for option in options)]
        self.is_valid()

    def _value(self, name, default=None):
        return self.cleaned_data.get(name) or default

    @property
    def selected_stage(self):
        return self._value("stage", "")

    @property
    def search(self):
        return self._value("q", "")

    @property
    def scope_teams(self):
        """The offered teams inside the chosen site, department and team."""
        site, department, team = self._value("site"), self._value("department"), self._value("team")
        return [
            t
            for t in self.teams
            if (site is None or t.department.site_id == site)
            and (department is None or t.department_id == department)
            and (team is None or t.pk == team)
        ]

    @property
    def team_options(self):
        """The teams the team field offers: those inside the chosen site and department; none while that is
        more than MAX_TEAM_OPTIONS (HR at 10,000 people chooses a site or department first)."""
        site, department = self._value("site"), self._value("department")
        teams = [
            t
            for t in self.teams
            if (site is None or t.department.site_id == site) and (department is None or t.department_id == department)
        ]
        return teams if len(teams) <= self.MAX_TEAM_OPTIONS else []

    @property
    def team_ids(self):
        return [team.pk for team in self.scope_teams]

    def context(self):
        """What the filter bar of the page's template shows."""
        return {
            "sites": self.sites,
            "departments": self.departments,
            "teams": self.team_options,
            "teams_hidden": len(self.teams) > 1 and not self.team_options,
            "selected_site": self._value("site"),
            "selected_department": self._value("department"),
            "selected_team": self._value("team"),
            "stage": self.selected_stage,
            "stages": Stage.choices,
            "search": self.search,
        }
