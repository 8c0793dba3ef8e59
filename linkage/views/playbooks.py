"""Pages: the playbook library, a playbook, my linkage, the team's acknowledgements (issue 12 §10).
Parse → check access through linkage.permissions → linkage.selectors / linkage.services → render; anything
outside the user's scope answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff import permissions as people
from staff.api.filters import MAX_ID

from .. import permissions
from ..forms.playbooks import AnswerForm, CommentForm, LibrarySearchForm
from ..models import Comment, Playbook, PlaybookVersion
from ..selectors import playbooks as selectors
from ..selectors import role_models as role_model_selectors
from ..selectors.levels import my_levels
from ..services import acknowledgements
from ..services import playbooks as playbook_services

MAX_NUMBER = 32767  # a version's number is a small integer; a larger one names nothing (and no database error)


def _version_or_404(user, code, number):
    if number > MAX_NUMBER:
        raise Http404
    return get_object_or_404(
        permissions.visible_versions(user).select_related("playbook"), playbook__code=code, number=number
    )


def _playbook_url(version):
    url = reverse("linkage:playbook", args=[version.playbook.code])
    return f"{url}?version={version.number}"


@login_required
def library(request):
    """Query parameters: q (words to find, in either language), kind, page."""
    if not permissions.can_view_library(request.user):
        raise Http404
    form = LibrarySearchForm(request.GET or None)
    search = form.cleaned_data if form.is_valid() else {}
    page = selectors.library(
        request.user, q=search.get("q", ""), kind=search.get("kind", ""), page=request.GET.get("page")
    )
    return render(request, "linkage/library.html", {"form": form, "page": page, "search": search})


@login_required
def playbook(request, code):
    """Query parameter: version (a number among the versions the user may open)."""
    if not permissions.can_view_library(request.user):
        raise Http404
    found = get_object_or_404(Playbook, code=code)
    number = request.GET.get("version", "")
    if number.isdigit() and int(number) > MAX_NUMBER:
        raise Http404
    version = selectors.version_for(request.user, found, int(number) if number.isdigit() else None)
    data = selectors.playbook_page(request.user, version)
    can_comment = permissions.can_comment(request.user, version)
    return render(
        request,
        "linkage/playbook.html",
        {
            "page": data,
            "version": version,
            "can_comment": can_comment,
            "comment_form": CommentForm(version=version) if can_comment else None,
            "can_answer": permissions.can_answer(request.user) and version.status == "consultation",
            "answer_form": AnswerForm(),
            "can_acknowledge": data.acknowledgement is None and permissions.can_acknowledge(request.user, version),
            "can_manage": permissions.can_manage_playbooks(request.user),
            "role_models": role_model_selectors.gallery(found, viewer=request.user),
            "can_mark_role_models": permissions.coverage_teams(request.user).exists(),
            "can_schedule_drill": permissions.schedulable_teams(request.user).exists(),
        },
    )


@login_required
@require_POST
def acknowledge(request, code, number):
    version = _version_or_404(request.user, code, number)
    _ack, created = acknowledgements.acknowledge(user=request.user, version=version)
    if created:
        messages.success(request, _("Thank you: you have acknowledged %(playbook)s.") % {"playbook": version})
    return redirect(_playbook_url(version))


@login_required
@require_POST
def comment(request, code, number):
    version = _version_or_404(request.user, code, number)
    if not permissions.can_comment(request.user, version):
        raise Http404
    form = CommentForm(request.POST, version=version)
    if not form.is_valid():
        messages.error(request, _("The comment was not added: write something."))
        return redirect(_playbook_url(version))
    try:
        playbook_services.add_comment(
            user=request.user, version=version, body=form.cleaned_data["body"], step=form.cleaned_data["step"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your comment was added; HR will answer it."))
    return redirect(_playbook_url(version))


@login_required
@require_POST
def answer(request, pk):
    if not permissions.can_answer(request.user) or pk > MAX_ID:
        raise Http404
    found = get_object_or_404(Comment.objects.select_related("version__playbook"), pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The answer was not saved: write something."))
        return redirect(_playbook_url(found.version))
    try:
        playbook_services.answer_comment(actor=request.user, comment=found, answer=form.cleaned_data["answer"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your answer was saved."))
    return redirect(_playbook_url(found.version))


@login_required
def mine(request):
    me = people.employee_of(request.user)
    if me is None:
        raise Http404
    versions, consultations = selectors.my_linkage(me)
    levels = {row.playbook.pk: row for row in my_levels(request.user, me)}
    for version in versions:
        version.mine = levels.get(version.playbook_id)
    return render(request, "linkage/mine.html", {"versions": versions, "consultations": consultations})


@login_required
def team_acknowledgements(request):
    """Query parameters: team (an id among the user's teams; the first one without it), pending (1: only who
    has not acknowledged everything), page."""
    if not permissions.can_view_team_acknowledgements(request.user):
        raise Http404
    teams = permissions.acknowledgement_teams(request.user).order_by("name", "pk")
    team_id = request.GET.get("team", "")
    team = get_object_or_404(teams, pk=int(team_id)) if team_id.isdigit() else teams.first()
    if team is None or not permissions.can_view_acknowledgements(request.user, team):
        raise Http404
    only_pending = request.GET.get("pending") == "1"
    data = selectors.team_acknowledgements(team, page=request.GET.get("page"), only_pending=only_pending)
    return render(
        request,
        "linkage/team_acknowledgements.html",
        {"data": data, "teams": teams, "only_pending": only_pending},
    )


def version_url(version: PlaybookVersion):
    """The playbook page of ``version`` (notifications and "Today" link here)."""
    return _playbook_url(version)
