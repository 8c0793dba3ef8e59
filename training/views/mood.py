"""The trainee's weekly mood check-in (issue 15 §9): one question on a phone. Parse → check through
training.permissions → call training.services.mood → render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from staff import permissions as people

from .. import permissions, services
from ..forms.mood import MoodForm
from ..mood_rules import week_of
from ..selectors import mood as selectors
from ..selectors.onboarding import current_enrollment


@login_required
@require_http_methods(["GET", "POST"])
def my_mood(request):
    """Everyone with an employee record reaches it (the notification's link needs no query to be right); someone
    not in cycle 4 reads that the check-in is for trainees in cycle 4."""
    me = people.employee_of(request.user)
    if me is None:
        raise Http404
    enrollment = current_enrollment(me)
    if enrollment is None or not permissions.can_check_in(request.user, enrollment):
        return render(request, "training/mood/not_asked.html")
    today = timezone.localdate()
    current = selectors.this_week(enrollment, today=today)
    initial = {"mood": current.mood, "note": current.note} if current else None
    form = MoodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_in(actor=request.user, enrollment_id=enrollment.pk, today=today, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you. Your answer for this week is saved."))
            return redirect("training:my-mood")
    context = {"form": form, "current": current, "week": week_of(today), "enrollment": enrollment}
    return render(request, "training/mood/my_mood.html", context)
