"""Pages of PK competitions (issue 15 §4): the list, organising one, a competition's standings (with the floor's
big-screen mode: ?screen=1), external results by hand, closing early, and the reward split after close. Parse →
check access through incentives.permissions → services / selectors → render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.api.filters import MAX_ID

from .. import permissions
from .. import pk_rules as rules
from ..forms.pk import CompetitionFilterForm, CompetitionForm, ResultForm
from ..models import MetricSource, PkAward, PkHonour, PkKind, PkParticipant
from ..selectors import pk as selectors
from ..services import pk as services


def _competition(request, pk):
    if pk > MAX_ID:
        raise Http404
    rows = permissions.visible_competitions(request.user).select_related("kpi", "created_by")
    return get_object_or_404(rows, pk=pk)


@login_required
def competitions(request):
    if not permissions.can_view_pk(request.user):
        raise PermissionDenied
    filters = CompetitionFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.competitions(request.user, status=chosen.get("status", ""), kind=chosen.get("kind", ""))
    page = Paginator(rows, selectors.PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "can_create": permissions.can_create_pk(request.user)}
    return render(request, "incentives/pk/list.html", context)


@login_required
def create(request):
    if not permissions.can_create_pk(request.user):
        raise PermissionDenied
    form = CompetitionForm(
        request.POST or None,
        kinds=permissions.pk_kinds(request.user),
        teams=permissions.pk_teams(request.user),
        sites=permissions.pk_sites(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["teams"], data["sites"] = list(data["teams"]), list(data.get("sites") or [])
        token = data.pop("token")
        try:
            competition = services.create_competition(user=request.user, idempotency_key=token, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            services.refresh_standings(competition.pk)
            messages.success(request, _("The competition is on."))
            return redirect("incentives:pk-detail", pk=competition.pk)
    return render(request, "incentives/pk/create.html", {"form": form})


@login_required
def detail(request, pk):
    if not permissions.can_view_pk(request.user):
        raise PermissionDenied
    competition = _competition(request, pk)
    screen = request.GET.get("screen") == "1"
    rows = selectors.standings(competition)
    per_page = selectors.SCREEN_ROWS if screen else selectors.STANDINGS_PER_PAGE
    page = Paginator(rows, per_page).get_page(1 if screen else request.GET.get("page"))
    can_manage = permissions.can_manage_pk(request.user, competition)
    context = {
        "competition": competition,
        "page": page,
        "screen": screen,
        "can_manage": can_manage,
        "is_open": competition.status == rules.Status.OPEN,
        "is_manual": competition.metric == MetricSource.MANUAL,
        "honours": PkHonour.objects.filter(competition=competition).select_related(
            "participant__team", "participant__site"
        ),
    }
    template = "incentives/pk/screen.html" if screen else "incentives/pk/detail.html"
    return render(request, template, context)


@login_required
def results(request, pk):
    competition = _competition(request, pk)
    if not permissions.can_manage_pk(request.user, competition):
        raise PermissionDenied
    if competition.metric != MetricSource.MANUAL:
        raise Http404
    participants = PkParticipant.objects.filter(competition=competition).select_related("team", "site")
    if request.method == "POST":
        form = ResultForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if not participants.filter(pk=data["participant"]).exists():
                raise Http404
            try:
                services.enter_result(
                    user=request.user, participant_id=data["participant"], value=data["value"], volume=data["volume"]
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Result saved; the board is ranked again."))
        else:
            messages.error(request, _("Enter a number for the result."))
        return redirect("incentives:pk-results", pk=competition.pk)
    context = {"competition": competition, "participants": participants, "is_open": competition.status == "open"}
    return render(request, "incentives/pk/results.html", context)


@login_required
@require_POST
def close(request, pk):
    competition = _competition(request, pk)
    if not permissions.can_manage_pk(request.user, competition):
        raise PermissionDenied
    try:
        closed = services.close(competition_id=competition.pk, user=request.user, early=True)
    except ObjectDoesNotExist:
        raise Http404 from None
    if closed:
        messages.success(request, _("Closed: the ranks are final and the pool is split."))
    else:
        messages.info(request, _("This competition was already closed."))
    return redirect("incentives:pk-split", pk=competition.pk)


@login_required
def split(request, pk):
    if not permissions.can_view_pk(request.user):
        raise PermissionDenied
    competition = _competition(request, pk)
    awards = list(
        PkAward.objects.filter(competition=competition).select_related(
            "employee", "participant__team", "participant__site"
        )
    )
    team_ids = {a.participant.team_id for a in awards if a.participant.team_id}
    every = permissions.can_see_every_award(request.user, competition, team_ids)
    me = permissions.staff_permissions.employee_of(request.user)
    shown = awards if every else [a for a in awards if me is not None and a.employee_id == me.pk]
    for award in awards:
        award.amount = rules.from_units(award.amount_units, is_cny=competition.is_cny)
        award.percent = award.share * 100
    roles = [
        (role, share * 100, rules.from_units(units, is_cny=competition.is_cny), people)
        for role, share, units, people in selectors.split_by_role(awards)
    ]
    total = rules.from_units(sum(a.amount_units for a in awards), is_cny=competition.is_cny)
    context = {
        "competition": competition,
        "awards": shown,
        "every": every,
        "roles": roles,
        "total": total,
        "is_closed": competition.status == rules.Status.CLOSED,
        "formula": rules.formula_text(),
        "honours": PkHonour.objects.filter(competition=competition).select_related(
            "participant__team", "participant__site"
        ),
        "is_site": competition.kind == PkKind.SITE,
    }
    return render(request, "incentives/pk/split.html", context)
