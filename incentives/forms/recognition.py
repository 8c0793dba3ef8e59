"""Forms of the recognition pages (issue 15 §1): input only; rules and access live in services/permissions."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import EarnedBy, Kind, ReactionLabel
from ..recognition_rules import Motivator


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class GiveForm(forms.Form):
    recipients = PersonChoiceField(
        label=_("Who?"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one colleague.")},
    )
    motivator = forms.ChoiceField(label=_("Motivator"), choices=Motivator.choices, widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Kind.choices,
        initial=Kind.SPIRITUAL,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    points = forms.IntegerField(label=_("Points each (optional)"), min_value=0, max_value=10000, required=False)
    earned_by_kind = forms.ChoiceField(
        label=_("Earned by"), choices=[("", _("Nothing in particular"))] + EarnedBy.choices, required=False
    )
    earned_by_id = forms.IntegerField(label=_("Its number"), min_value=1, max_value=2**63 - 1, required=False)
    token = forms.CharField(widget=forms.HiddenInput, max_length=80, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = people
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4().hex)


class ReactForm(forms.Form):
    label = forms.ChoiceField(choices=ReactionLabel.choices)
