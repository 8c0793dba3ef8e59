"""Pages of suggestions (issue 14 §1, §5): the box, submit (under a minute on a phone), one suggestion with its
timeline and POST-only actions, the triage board, participation (HR) and campaigns. Parse → check access through
improvement.permissions → services / selectors → redirect or render; a suggestion outside scope answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.api.filters import MAX_ID

from .. import permissions, suggestion_rules
from ..forms.suggestions import BoxFilterForm, CampaignForm, CommentForm, MergeForm, MoveForm, SuggestionForm
from ..models import Campaign
from ..selectors import suggestions as selectors
from ..services import suggestions as services


def _open_campaigns():
    today = timezone.localdate()
    return Campaign.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on", "pk")


def _visible_or_404(user, pk):
    if pk > MAX_ID:
        raise Http404
    try:
        return permissions.visible_suggestions(user).select_related("author__team").get(pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _done(request, pk, action, success=""):
    try:
        action()
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if success:
            messages.success(request, success)
    return redirect("improvement:suggestion", pk=pk)


def _require_employee(user):
    if not permissions.can_submit_suggestion(user):
        raise PermissionDenied


@login_required
def box(request):
    if not permissions.staff_permissions.is_hr(request.user):
        _require_employee(request.user)
    form = BoxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.box(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(rows, selectors.PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "can_submit": permissions.can_submit_suggestion(request.user),
        "is_reviewer": permissions.is_suggestion_reviewer(request.user),
        "can_participation": permissions.can_view_participation(request.user),
        "campaigns": list(_open_campaigns()[:3]),
    }
    return render(request, "improvement/suggestions/box.html", context)


@login_required
def suggestion_new(request):
    _require_employee(request.user)
    campaigns = list(_open_campaigns())
    form = SuggestionForm(request.POST or None, campaigns=Campaign.objects.filter(pk__in=[c.pk for c in campaigns]))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = services.submit(
                user=request.user,
                category=data["category"],
                title=data["title"],
                what=data["what"],
                why=data["why"],
                is_public=data["is_public"],
                campaign=data.get("campaign"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your suggestion was sent. You will hear of every step."))
            return redirect("improvement:suggestion", pk=suggestion.pk)
    return render(request, "improvement/suggestions/new.html", {"form": form})


@login_required
def suggestion(request, pk):
    if pk > MAX_ID:
        raise Http404
    try:
        item = selectors.detail(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    reviewer = permissions.can_review_suggestion(request.user, item)
    context = {
        "s": item,
        "can_support": permissions.can_support_suggestion(request.user, item),
        "can_comment": permissions.can_comment_suggestion(request.user, item),
        "can_review": reviewer,
        "moves": [(m, _status_label(m)) for m in suggestion_rules.next_statuses(item.status)] if reviewer else [],
        "can_merge": reviewer and item.status in suggestion_rules.OPEN,
        "comment_form": CommentForm(),
        "merge_form": MergeForm(),
    }
    return render(request, "improvement/suggestions/detail.html", context)


def _status_label(status):
    from ..models import SuggestionStatus

    return SuggestionStatus(status).label


@login_required
@require_POST
def suggestion_support(request, pk):
    item = _visible_or_404(request.user, pk)
    if request.POST.get("undo"):
        return _done(request, pk, lambda: services.unsupport(user=request.user, suggestion=item))
    return _done(request, pk, lambda: services.support(user=request.user, suggestion=item))


@login_required
@require_POST
def suggestion_follow(request, pk):
    item = _visible_or_404(request.user, pk)
    if request.POST.get("undo"):
        return _done(request, pk, lambda: services.unfollow(user=request.user, suggestion=item))
    return _done(request, pk, lambda: services.follow(user=request.user, suggestion=item))


@login_required
@require_POST
def suggestion_comment(request, pk):
    item = _visible_or_404(request.user, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment."))
        return redirect("improvement:suggestion", pk=pk)
    return _done(
        request, pk, lambda: services.comment(user=request.user, suggestion=item, text=form.cleaned_data["text"])
    )


@login_required
@require_POST
def suggestion_move(request, pk):
    item = _visible_or_404(request.user, pk)
    if not permissions.can_review_suggestion(request.user, item):
        raise PermissionDenied
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect("improvement:suggestion", pk=pk)
    data = form.cleaned_data
    return _done(
        request,
        pk,
        lambda: services.move(user=request.user, suggestion_id=pk, to_status=data["to_status"], answer=data["answer"]),
        _("Status changed; the author and followers are told."),
    )


@login_required
@require_POST
def suggestion_merge(request, pk):
    item = _visible_or_404(request.user, pk)
    if not permissions.can_review_suggestion(request.user, item):
        raise PermissionDenied
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Name the suggestion to merge into."))
        return redirect("improvement:suggestion", pk=pk)
    target = form.cleaned_data["target"]
    if not permissions.reviewable_suggestions(request.user).filter(pk=target).exists():
        messages.error(request, _("Name the suggestion to merge into."))
        return redirect("improvement:suggestion", pk=pk)
    return _done(
        request,
        pk,
        lambda: services.merge(user=request.user, suggestion_id=pk, target_id=target),
        _("Merged; its supporters moved with it."),
    )


@login_required
def triage(request):
    if not permissions.is_suggestion_reviewer(request.user):
        raise PermissionDenied
    columns, counts = selectors.board(request.user)
    return render(request, "improvement/suggestions/triage.html", {"columns": columns, "counts": counts})


@login_required
def participation(request):
    if not permissions.can_view_participation(request.user):
        raise PermissionDenied
    return render(request, "improvement/suggestions/participation.html", {"rows": selectors.participation()})


@login_required
def campaigns(request):
    if not permissions.can_create_campaign(request.user):
        raise PermissionDenied
    page = Paginator(Campaign.objects.order_by("-opens_on", "pk"), selectors.PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "improvement/suggestions/campaigns.html", {"page": page, "today": timezone.localdate()})


@login_required
def campaign_new(request):
    if not permissions.can_create_campaign(request.user):
        raise PermissionDenied
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_campaign(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Campaign created."))
            return redirect("improvement:suggestion-campaigns")
    return render(request, "improvement/suggestions/campaign_new.html", {"form": form})
