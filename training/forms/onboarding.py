"""Onboarding forms: validation of the input only; the rules (gates, moves, who may) live in
training.cycles, training.services and training.permissions."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import cycles, idempotency
from ..models import CoachingPhase, Indicator

# <input type="date"> and "datetime-local" need ISO values whatever the language.
DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
DATETIME_WIDGET = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})


class ActivityDoneForm(forms.Form):
    note = forms.CharField(
        label=_("Note or evidence"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MoveForm(forms.Form):
    """One move of an enrollment. ``from_state`` is the state the page showed, so a second submit
    of the same move (a double click) changes nothing."""

    move = forms.ChoiceField(choices=[(m, m) for m in cycles.MOVES], widget=forms.HiddenInput)
    from_state = forms.ChoiceField(choices=[(s, s) for s in cycles.STATES], widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
    remediation_plan = forms.CharField(
        label=_("Remediation plan"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(label=_("New due date"), required=False, widget=DATE_WIDGET)


class CoachingForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=CoachingPhase.choices, widget=forms.RadioSelect)
    scheduled_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_WIDGET)
    focus_indicators = forms.ModelMultipleChoiceField(
        label=_("Focus indicators"),
        queryset=Indicator.objects.filter(is_active=True).order_by("order", "code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    agreed_actions = forms.CharField(
        label=_("Agreed actions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up_on = forms.DateField(label=_("Follow-up date"), required=False, widget=DATE_WIDGET)
    idempotency_key = idempotency.KeyField()  # a double click logs one session


class GateCheckForm(forms.Form):
    score = forms.IntegerField(label=_("Score"), min_value=0, max_value=100)
    taken_on = forms.DateField(label=_("Taken on"), widget=DATE_WIDGET)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    idempotency_key = idempotency.KeyField()  # a double click records one check

    def clean_taken_on(self):
        value = self.cleaned_data["taken_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        count = obj.mentee_count
        return ngettext("%(name)s (%(count)d mentee)", "%(name)s (%(count)d mentees)", count) % {
            "name": obj.name,
            "count": count,
        }


class MentorForm(forms.Form):
    mentor = MentorChoiceField(label=_("Mentor"), queryset=None, empty_label=None)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = candidates
