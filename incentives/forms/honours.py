"""Forms of the honour pages (issue 15 §3): input only; rules and access live in honours_rules, services and
permissions."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ProgrammeKind

# Past this many people the nominee is typed as an employee number instead of picked from a list.
PICKER_LIMIT = 200


class NomineeField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.employee_number})"


class NominateForm(forms.Form):
    nominee = NomineeField(
        label=_("Nominee"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": _("Choose a colleague."),
            "invalid_choice": _("Choose a colleague this programme covers."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": _("Give the reason for the nomination.")},
    )
    evidence = forms.CharField(
        label=_("Evidence (optional)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    recognition = forms.IntegerField(
        label=_("Recognition cited (its number, optional)"),
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=80, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["nominee"]
        field.queryset = people.order_by("name", "pk")
        if people.count() > PICKER_LIMIT:
            field.to_field_name = "employee_number"
            field.widget = forms.TextInput(attrs={"autocomplete": "off", "class": "form-control"})
            field.label = _("Nominee's employee number")
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4().hex)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("won", _("Winner")), ("not_chosen", _("Not chosen"))])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ProgrammeFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds"))] + ProgrammeKind.choices, required=False)
    open = forms.BooleanField(label=_("Open windows only"), required=False)
