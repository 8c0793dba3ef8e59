"""Pages of recognition and points (issue 15 §1–§3): give recognition (two taps on a phone), the team wall with
reactions, and "My points". Parse → check access through incentives.permissions → services / selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.api.filters import MAX_ID

from .. import permissions
from ..forms.recognition import GiveForm, ReactForm
from ..models import ReactionLabel
from ..selectors import honours as honour_selectors
from ..selectors import ledger as ledger_selectors
from ..selectors import recognition as selectors
from ..selectors import rituals as ritual_selectors
from ..services import recognition as services


@login_required
def give(request):
    if not permissions.can_give_recognition(request.user):
        raise PermissionDenied
    people = permissions.recognisable_employees(request.user).order_by("name", "pk")
    initial = {}
    if str(request.GET.get("to", "")).isdigit():
        initial["recipients"] = [int(request.GET["to"])]
    form = GiveForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.give_recognition(
                user=request.user,
                recipients=list(data["recipients"]),
                message=data["message"] or _("Thank you!"),
                motivator=data["motivator"],
                kind=data["kind"],
                points=data["points"] or 0,
                earned_by_kind=data["earned_by_kind"],
                earned_by_id=data["earned_by_id"],
                idempotency_key=data["token"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your recognition is on the wall."))
            return redirect("incentives:wall")
    me = permissions.staff_permissions.employee_of(request.user)
    context = {"form": form, "allowance_left": ledger_selectors.allowance_left(me)}
    return render(request, "incentives/give.html", context)


def _wall_team(request, teams):
    """The team asked for (among those ``teams`` the caller may open), else her own, else the first."""
    by_pk = {team.pk: team for team in teams}
    team_id = request.GET.get("team", "")
    if team_id.isdigit() and int(team_id) in by_pk:
        return by_pk[int(team_id)]
    me = permissions.staff_permissions.employee_of(request.user)
    if me is not None and me.team_id in by_pk:
        return by_pk[me.team_id]
    return teams[0] if teams else None


@login_required
def wall(request):
    if not permissions.can_view_wall(request.user):
        raise PermissionDenied
    teams = list(permissions.wall_teams(request.user).order_by("name", "pk"))
    team = _wall_team(request, teams)
    page = Paginator(selectors.wall(request.user, team), selectors.PER_PAGE).get_page(request.GET.get("page"))
    for item in page:
        item.reaction_list = [
            (label.value, label.label, getattr(item, f"n_{label.value}"), item.my_reaction == label.value)
            for label in ReactionLabel
        ]
    context = {
        "page": page,
        "teams": teams,
        "team": team,
        "can_give": permissions.can_give_recognition(request.user),
        "can_react": permissions.can_view_my_points(request.user),
        "honours": honour_selectors.wall_honours(team),  # honours: won honours on top (issue 15 §3)
        "cards": ritual_selectors.wall_cards(request.user, team),  # welcome and farewell cards (issue 15 §1)
    }
    return render(request, "incentives/wall.html", context)


@login_required
@require_POST
def react(request, pk):
    if pk > MAX_ID:
        raise Http404
    try:
        recognition = permissions.visible_recognitions(request.user).get(pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    form = ReactForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a reaction."))
        services.react(user=request.user, recognition=recognition, label=form.cleaned_data["label"])
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, getattr(error, "messages", [str(error)])[0] or _("You may not do this."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        back = reverse("incentives:wall")
    return redirect(f"{back}#recognition-{recognition.pk}")


@login_required
def my_points(request):
    if not permissions.can_view_my_points(request.user):
        raise PermissionDenied
    me = permissions.staff_permissions.employee_of(request.user)
    rows = ledger_selectors.entries(request.user, me).select_related("recognition__giver")
    page = Paginator(rows, ledger_selectors.PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "balance": ledger_selectors.balance(me),
        "allowance": ledger_selectors.allowance(me),
        "allowance_left": ledger_selectors.allowance_left(me),
    }
    return render(request, "incentives/my_points.html", context)
