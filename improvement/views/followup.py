"""Pages of the follow-up for every agent (issue 14 §4): the people one follows up (flags and overdue corrections
first), one person's follow-up log (flags, in-flight corrections to mark done, after-action reviews with the repeat
badge, the whole coaching log and the form to add to it), and each lead's record for the manager. Parse → check
access through improvement.permissions → services / selectors → redirect or render; a person outside the user's
scope answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from staff import permissions as people
from staff.api.filters import MAX_ID
from staff.models import Employee
from training.models import CoachingSession
from training.services import onboarding as coaching

from .. import followup_rules as rules
from .. import permissions
from ..forms.followup import FollowUpForm, PeopleFilterForm
from ..selectors import followup as selectors


def _person_or_404(user, pk):
    if pk > MAX_ID:
        raise Http404
    employee = get_object_or_404(Employee.objects.select_related("team", "position", "user"), pk=pk)
    if not permissions.can_view_followup(user, employee):
        raise Http404
    return employee


@login_required
def people_list(request):
    user = request.user
    if not permissions.can_view_followup_list(user):
        me = people.employee_of(user)
        if me is None:
            raise Http404
        return redirect("improvement:followup-person", pk=me.pk)
    form = PeopleFilterForm(request.GET or None, teams=people.visible_teams(user).order_by("code"))
    chosen = form.cleaned_data if form.is_valid() else {}
    listed = selectors.followed_people(
        user, team=chosen.get("team"), query=chosen.get("q", "").strip(), flagged=chosen.get("flagged", False)
    )
    page = Paginator(listed, selectors.PER_PAGE).get_page(request.GET.get("page"))
    flags = selectors.open_flags_of([person.pk for person in page])
    names = selectors.kpi_names() if flags else {}
    rows = [(person, [selectors.flag_text(flag, names) for flag in flags.get(person.pk, [])]) for person in page]
    context = {
        "page": page,
        "rows": rows,
        "form": form,
        "can_leads": permissions.can_view_lead_followup(user),
    }
    return render(request, "improvement/followup/people.html", context)


@login_required
def person(request, pk):
    employee = _person_or_404(request.user, pk)
    log = selectors.person_log(employee)
    names = selectors.kpi_names() if log["flags"] else {}
    flags = [(flag, selectors.flag_text(flag, names), rules.review_due(flag.raised_on)) for flag in log["flags"]]
    page = Paginator(log.pop("log"), selectors.LOG_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **log,
        "employee": employee,
        "flags": flags,
        "page": page,
        "can_coach": permissions.can_follow_up(request.user, employee),
        "is_self": people.is_self(request.user, employee),
    }
    return render(request, "improvement/followup/person.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def log_new(request, pk):
    employee = _person_or_404(request.user, pk)
    if not permissions.can_follow_up(request.user, employee):
        raise Http404
    initial = {
        "phase": request.GET.get("phase") or "during",
        "scheduled_at": timezone.localtime().replace(second=0, microsecond=0),
    }
    form = FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            coaching.log_employee_coaching(actor=request.user, employee_id=employee.pk, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Follow-up logged."))
            return redirect("improvement:followup-person", pk=employee.pk)
    return render(request, "improvement/followup/log_form.html", {"form": form, "employee": employee})


@login_required
@require_POST
def correction_done(request, pk):
    if pk > MAX_ID:
        raise Http404
    session = get_object_or_404(CoachingSession.objects.select_related("employee__team"), pk=pk)
    if not permissions.can_follow_up(request.user, session.employee):
        raise Http404
    coaching.complete_correction(actor=request.user, session_id=session.pk)
    messages.success(request, _("Correction marked done."))
    return redirect("improvement:followup-person", pk=session.employee_id)


@login_required
def leads(request):
    if not permissions.can_view_lead_followup(request.user):
        raise Http404
    listed = selectors.lead_records(selectors.leads_for(request.user))
    page = Paginator(listed, selectors.PER_PAGE).get_page(request.GET.get("page"))
    rows = [(lead, rules.share(lead.on_time, lead.flags)) for lead in page]
    context = {
        "page": page,
        "rows": rows,
        "window": rules.LEAD_WINDOW_DAYS,
        "within": rules.REVIEW_WITHIN_DAYS,
    }
    return render(request, "improvement/followup/leads.html", context)
