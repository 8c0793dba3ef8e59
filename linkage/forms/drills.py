"""Forms of the drill pages (issue 12 §6): validation of the input only; who may, the cast rules and the scoring
rules live in linkage.permissions and linkage.services.drills."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import DrillMode, DrillStatus

# <input type="datetime-local"> needs an ISO value whatever the language.
DATETIME_WIDGET = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})
MAX_SECONDS = 24 * 3600  # a step lasting longer than a day is a typing mistake


class DrillFilterForm(forms.Form):
    """The drills list's filters, among the teams and playbooks of the drills the user may see."""

    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *DrillStatus.choices], required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False, empty_label=_("All teams"))
    playbook = forms.ModelChoiceField(
        label=_("Playbook"), queryset=None, required=False, empty_label=_("All playbooks"), to_field_name="code"
    )

    def __init__(self, *args, teams, playbooks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["playbook"].queryset = playbooks
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class DrillChooseForm(forms.Form):
    """Step one of scheduling: the playbook and the team (her teams; HR any). The cast rows depend on both."""

    playbook = forms.ModelChoiceField(label=_("Playbook"), queryset=None, to_field_name="code", empty_label=None)
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, empty_label=None)

    def __init__(self, *args, playbooks, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["playbook"].queryset = playbooks
        self.fields["team"].queryset = teams


class PersonChoiceField(forms.TypedChoiceField):
    """A person among a list loaded once for the whole form (one query, however many cast rows)."""

    def __init__(self, *, people, **kwargs):
        self.people = {person.pk: person for person in people}
        choices = [("", "—"), *((person.pk, person.name) for person in people)]
        super().__init__(choices=choices, coerce=int, empty_value=None, **kwargs)

    def clean(self, value):
        pk = super().clean(value)
        return None if pk is None else self.people[pk]


class DrillScheduleForm(forms.Form):
    """Step two: the version, when, the mode, the examiner and one person per owner role of its scripted steps.

    ``roles`` is [(LinkageRole, [Employee])]: the candidates of each role, holders of the role first."""

    version = forms.ModelChoiceField(label=_("Version"), queryset=None, empty_label=None)
    scheduled_for = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_WIDGET)
    mode = forms.ChoiceField(label=_("Mode"), choices=DrillMode.choices, initial=DrillMode.SCORED)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, versions, examiners, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
        self.fields["examiner"] = PersonChoiceField(label=_("Examiner"), people=examiners, required=True)
        if examiners:
            self.fields["examiner"].initial = examiners[0].pk
        self.roles = roles
        for role, candidates in roles:
            self.fields[f"cast_{role.pk}"] = PersonChoiceField(label=role.name, people=candidates, required=False)

    @property
    def cast_fields(self):
        return [self[f"cast_{role.pk}"] for role, _candidates in self.roles]

    def cast(self):
        """[(employee, role)] of the rows filled in."""
        rows = [(self.cleaned_data.get(f"cast_{role.pk}"), role) for role, _candidates in self.roles]
        return [(employee, role) for employee, role in rows if employee is not None]


@dataclass
class ScoreRow:
    """One step of the tablet form: its cast owner and its inputs (none for a guidance or an uncast step)."""

    step: object
    participant: object  # DrillParticipant or None
    action: object = None
    handoff: object = None
    signal: object = None
    seconds: object = None
    notes: object = None

    @property
    def is_scored(self):
        return self.action is not None

    @property
    def errors(self):
        fields = [self.action, self.handoff, self.signal, self.seconds, self.notes]
        return [error for field in fields if field is not None for error in field.errors]


class DrillScoreForm(forms.Form):
    """The examiner's tablet form: per scripted step whose owner is cast, action right, hand-off on its
    criterion, signal used (when the step names one), seconds and notes."""

    notes = forms.CharField(
        label=_("Notes on the drill"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, steps, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = steps
        self.cast = {participant.role_id: participant for participant in participants}
        for step in self.scored_steps:
            pk = step.pk
            self.fields[f"action_{pk}"] = forms.BooleanField(label=_("Action right"), required=False)
            self.fields[f"handoff_{pk}"] = forms.BooleanField(label=_("Hand-off on its criterion"), required=False)
            if step.signal_id is not None:
                self.fields[f"signal_{pk}"] = forms.BooleanField(label=_("Signal used"), required=False)
            self.fields[f"seconds_{pk}"] = forms.IntegerField(
                label=_("Time taken (seconds)"),
                required=False,
                min_value=0,
                max_value=MAX_SECONDS,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*"}),
            )
            self.fields[f"notes_{pk}"] = forms.CharField(label=_("Notes"), required=False, max_length=2000)

    @property
    def scored_steps(self):
        return [step for step in self.steps if step.is_scripted and step.owner_id in self.cast]

    def rows(self):
        rows = []
        for step in self.steps:
            row = ScoreRow(step=step, participant=self.cast.get(step.owner_id))
            if step.is_scripted and row.participant is not None:
                pk = step.pk
                row.action, row.handoff = self[f"action_{pk}"], self[f"handoff_{pk}"]
                row.signal = self[f"signal_{pk}"] if step.signal_id is not None else None
                row.seconds, row.notes = self[f"seconds_{pk}"], self[f"notes_{pk}"]
            rows.append(row)
        return rows

    def scores(self):
        """score_drill's ``scores``: {step_id: {...}} for each scored step."""
        data = self.cleaned_data
        return {
            step.pk: {
                "action_ok": data[f"action_{step.pk}"],
                "handoff_ok": data[f"handoff_{step.pk}"],
                "signal_ok": data[f"signal_{step.pk}"] if step.signal_id is not None else None,
                "seconds": data[f"seconds_{step.pk}"],
                "notes": data[f"notes_{step.pk}"],
            }
            for step in self.scored_steps
        }


class CancelDrillForm(forms.Form):
    reason = forms.CharField(label=_("Why is it cancelled?"), max_length=2000)
