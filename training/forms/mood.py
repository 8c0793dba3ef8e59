"""The weekly mood check-in form (issue 15 §9): validation of the input only; who may answer and when lives in
training.permissions and training.mood_rules, the write in training.services.mood."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Mood, MoodCheckIn


class MoodForm(forms.Form):
    mood = forms.TypedChoiceField(
        label=_("How was your week?"), choices=Mood.choices, coerce=int, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Anything you want to add? (optional)"),
        required=False,
        max_length=MoodCheckIn._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
