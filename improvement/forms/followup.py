"""Forms of the follow-up for every agent (issue 14 §4): the people filter and the coaching log entry — a heads-up
before (事前), an in-flight correction with its target date (事中), an after-action review with its cause, remedy and
kind of error (事后)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from training import idempotency
from training.forms.onboarding import DATE_WIDGET, DATETIME_WIDGET
from training.models import CoachingPhase, ErrorKind


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or number"), required=False, max_length=100)
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False, empty_label=_("All teams"))
    flagged = forms.BooleanField(label=_("With open risk flags only"), required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["q"].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["team"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["flagged"].widget.attrs["class"] = "form-check-input"


class FollowUpForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=CoachingPhase.choices, widget=forms.RadioSelect)
    scheduled_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_WIDGET)
    notes = forms.CharField(label=_("What you talked about"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    agreed_actions = forms.CharField(
        label=_("Agreed actions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up_on = forms.DateField(
        label=_("Target date"), required=False, widget=DATE_WIDGET, help_text=_("Required for an in-flight correction.")
    )
    error_kind = forms.ChoiceField(label=_("Kind of error"), choices=[("", "—"), *ErrorKind.choices], required=False)
    cause = forms.CharField(label=_("Cause"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    remedy = forms.CharField(label=_("Remedy"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    idempotency_key = idempotency.KeyField()  # a double click logs one session

    def clean(self):
        data = super().clean()
        phase = data.get("phase")
        if phase == CoachingPhase.DURING and not data.get("follow_up_on"):
            self.add_error("follow_up_on", _("An in-flight correction needs a target date."))
        if phase == CoachingPhase.AFTER:
            for name, message in (
                ("error_kind", _("Name the kind of error, so that the same error again is seen.")),
                ("cause", _("An after-action review names the cause.")),
                ("remedy", _("An after-action review names the remedy.")),
            ):
                if not data.get(name):
                    self.add_error(name, message)
        return data
