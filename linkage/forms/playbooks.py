"""Forms of the linkage pages: validation only; the writes are linkage.services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import PlaybookKind


class LibrarySearchForm(forms.Form):
    """The library's search: a scenario or keyword, in either language, and a kind."""

    q = forms.CharField(label=_("Scenario or keyword"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *PlaybookKind.choices], required=False)


class CommentForm(forms.Form):
    """A comment during a version's consultation, optionally about one of its steps."""

    step = forms.ModelChoiceField(
        label=_("About step"), queryset=None, required=False, empty_label=_("The whole version")
    )
    body = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = version.steps.order_by("order")


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
