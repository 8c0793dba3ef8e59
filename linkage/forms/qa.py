"""Forms of the QA pages (issue 13 §4): input only; who may in linkage.permissions, writes in linkage.services.qa."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import FindingKind, ReviewResult, SampleReason, Severity


class QueueFilterForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why sampled"), choices=[("", "—"), *SampleReason.choices], required=False)
    agent = forms.IntegerField(label=_("Agent"), required=False, min_value=1, max_value=2**31 - 1)
    team = forms.IntegerField(label=_("Team"), required=False, min_value=1, max_value=2**31 - 1)


class ReviewForm(forms.Form):
    result = forms.ChoiceField(label=_("Verdict"), choices=ReviewResult.choices, widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=_("Finding"), choices=[("", "—"), *FindingKind.choices], required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=[("", "—"), *Severity.choices], required=False)
    evidence = forms.CharField(
        label=_("Evidence"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("result") == ReviewResult.FINDING and not (
            data.get("kind") and data.get("severity") and (data.get("evidence") or "").strip()
        ):
            raise forms.ValidationError(_("A finding needs its kind, severity and evidence."))
        return data


class DisputeForm(forms.Form):
    text = forms.CharField(label=_("Why you dispute it"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class DecideFindingForm(forms.Form):
    confirm = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Confirm")), ("0", _("Overturn"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    lower_grade = forms.BooleanField(label=_("Lower her authority grade by one"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
