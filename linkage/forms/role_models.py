"""The form marking a role model (树标杆, issue 12 §9): validation only; who may and the rules are
linkage.permissions' and linkage.services.role_models'."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RoleModelForm(forms.Form):
    """The person (among the candidates the page offers, or the one it was opened for) and what she did."""

    employee = forms.ModelChoiceField(label=_("Person"), queryset=None, empty_label=None)
    what_they_did = forms.CharField(
        label=_("What they did"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the others can learn from: the words, the timing, the hand-off."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = candidates
