"""Pages of the pulse surveys and the Herzberg balance (issue 15 §5, §6): answering the open wave in a few taps on
a phone, the results under the rule of five, and a team's balance. Parse → check access through
incentives.permissions → services / selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.api.filters import MAX_ID
from staff.models import Site

from .. import permissions
from ..forms.pulse import AnswerForm, ResultsFilterForm
from ..models import Question
from ..selectors import balance as balance_selectors
from ..selectors import pulse as selectors
from ..services import pulse as services


@login_required
def pulse(request):
    """The caller's open wave: five big buttons per question, one tap each, then send."""
    me = permissions.staff_permissions.employee_of(request.user)
    if me is None:
        raise PermissionDenied
    today = timezone.localdate()
    waves = list(permissions.answerable_waves(request.user, today))
    wave = waves[0] if waves else None
    questions = list(Question.objects.filter(survey_id=wave.survey_id)) if wave else []
    form = AnswerForm(request.POST or None, questions=questions, initial={"wave": wave.pk if wave else None})
    if request.method == "POST":
        if form.is_valid() and wave is not None and form.cleaned_data["wave"] == wave.pk:
            try:
                services.answer_wave(user=request.user, wave_id=wave.pk, scores=form.scores())
            except ValidationError as error:
                form.add_error(None, error)
            except PermissionDenied:
                form.add_error(None, _("This survey is not open for you."))
            else:
                messages.success(request, _("Thank you! Your answers are anonymous."))
                return redirect("incentives:pulse")
        elif form.is_valid():
            form.add_error(None, _("This survey is not open for you."))
    context = {"wave": wave, "form": form, "can_answer": permissions.can_answer_pulse(request.user)}
    return render(request, "incentives/pulse/answer.html", context)


def _int(value):
    return int(value) if str(value or "").isdigit() and 0 < int(value) <= MAX_ID else None


@login_required
def results(request):
    if not permissions.can_view_pulse_results(request.user):
        raise PermissionDenied
    teams = list(permissions.led_teams(request.user).select_related("department").order_by("name", "pk")[:500])
    is_hr = permissions.can_view_site_results(request.user)
    sites = list(Site.objects.order_by("name", "pk")) if is_hr else []
    waves = list(selectors.waves_with_results()[:60])
    wave = next((w for w in waves if w.pk == _int(request.GET.get("wave"))), waves[0] if waves else None)
    team_id, site_id = _int(request.GET.get("team")), _int(request.GET.get("site"))
    team = None
    if team_id is not None:
        team = permissions.led_teams(request.user).select_related("department").filter(pk=team_id).first()
        if team is None:
            raise Http404
    elif site_id is not None:
        if not is_hr or not any(s.pk == site_id for s in sites):
            raise Http404
    elif not is_hr:
        team = teams[0] if teams else None
        if team is None:
            raise PermissionDenied
    questions = list(Question.objects.filter(survey_id=wave.survey_id)) if wave else []
    form = ResultsFilterForm(request.GET or None, waves=waves, teams=teams, sites=sites, questions=questions)
    question_id = _int(request.GET.get("question"))
    factor = request.GET.get("factor", "")
    if factor and factor not in dict(form.fields["factor"].choices):
        factor = ""
    shown = None
    if wave is not None:
        shown = selectors.results(
            wave, team=team, site_id=None if team else site_id, question_id=question_id, factor=factor
        )
    context = {
        "form": form,
        "wave": wave,
        "team": team,
        "results": shown,
        "group_name": selectors.group_name(shown.group) if shown else "",
        "is_hr": is_hr,
        "min_group": selectors.rules.MIN_GROUP,
    }
    return render(request, "incentives/pulse/results.html", context)


@login_required
def balance(request):
    """A team's Herzberg balance; HR without a team picks one from the paginated list."""
    if not permissions.can_view_balance(request.user):
        raise PermissionDenied
    teams = balance_selectors.balance_teams(request.user)
    team_id = _int(request.GET.get("team"))
    is_hr = permissions.can_view_site_results(request.user)
    if team_id is not None:
        team = teams.filter(pk=team_id).first()
        if team is None:
            raise Http404
    elif is_hr:
        page = Paginator(teams, balance_selectors.PER_PAGE).get_page(request.GET.get("page"))
        return render(request, "incentives/pulse/balance_teams.html", {"page": page})
    else:
        team = teams.first()
        if team is None:
            raise PermissionDenied
    today = timezone.localdate()
    quiet = Paginator(balance_selectors.not_recognised(team, today=today), balance_selectors.PER_PAGE)
    context = {
        "team": team,
        "my_teams": [] if is_hr else list(teams[:50]),
        "is_hr": is_hr,
        "mix": balance_selectors.recognition_mix(team, today=today),
        "window_days": balance_selectors.WINDOW_DAYS,
        "quiet_days": balance_selectors.QUIET_DAYS,
        "quiet": quiet.get_page(request.GET.get("page")),
        "hygiene": balance_selectors.hygiene(team),
        "honours": list(balance_selectors.honours_this_quarter(team, today=today)[:50]),
    }
    context["hygiene_rows"] = context["hygiene"].rows()
    context["alerts"] = [(alert, services.alert_message(alert)) for alert in context["hygiene"].alerts]
    return render(request, "incentives/pulse/balance.html", context)
