"""Assessment form: validation only (STYLE §1). One level (1–5) and evidence per indicator."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import idempotency
from ..models import Source

LEVELS = [(str(n), str(n)) for n in range(1, 6)]


class AssessmentForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"))
    # An <input type="date"> needs ISO dates whatever the language (zh-hans would format 2026/11/23).
    assessed_on = forms.DateField(label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    context = forms.CharField(label=_("Context"), max_length=200, required=False)
    private_note = forms.CharField(
        label=_("Private note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seen only by the person's supervisor and HR, never by the person."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    idempotency_key = idempotency.KeyField()  # a double click on "new assessment" records one

    def __init__(self, *args, indicators, sources, allow_private_note, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        labels = dict(Source.choices)
        self.fields["source"].choices = [(s, labels[s]) for s in sources]
        if len(sources) == 1:
            self.fields["source"].widget = forms.HiddenInput()
            self.fields["source"].initial = sources[0]
        if not allow_private_note:
            del self.fields["private_note"]
        for indicator in indicators:
            self.fields[f"level_{indicator.pk}"] = forms.TypedChoiceField(
                label=indicator.name, choices=LEVELS, coerce=int, required=False, widget=forms.RadioSelect
            )
            self.fields[f"evidence_{indicator.pk}"] = forms.CharField(
                label=_("Evidence"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 1})
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_assessed_on(self):
        value = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        if not self.scores_from(cleaned) and not self.errors:
            raise forms.ValidationError(_("Score at least one indicator."))
        for indicator in self.indicators:
            if cleaned.get(f"evidence_{indicator.pk}") and not cleaned.get(f"level_{indicator.pk}"):
                self.add_error(f"level_{indicator.pk}", _("Choose a level for the evidence you wrote."))
        return cleaned

    def scores_from(self, cleaned=None):
        cleaned = self.cleaned_data if cleaned is None else cleaned
        return {
            i.pk: (cleaned[f"level_{i.pk}"], cleaned.get(f"evidence_{i.pk}", ""))
            for i in self.indicators
            if cleaned.get(f"level_{i.pk}")
        }

    def indicator_fields(self):
        """(indicator, level field, evidence field) for the template, grouped in framework order."""
        return [(i, self[f"level_{i.pk}"], self[f"evidence_{i.pk}"]) for i in self.indicators]


def initial_from(assessment):
    """Form data that shows an existing draft's entries."""
    initial = {
        "source": assessment.source,
        "assessed_on": assessment.assessed_on,
        "context": assessment.context,
        "private_note": assessment.private_note,
        "version": assessment.version,
    }
    for score in assessment.scores.all():
        initial[f"level_{score.indicator_id}"] = str(score.level)
        initial[f"evidence_{score.indicator_id}"] = score.evidence
    return initial
