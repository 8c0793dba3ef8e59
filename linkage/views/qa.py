"""Pages of QA spot checks (issue 13 §4, §6): the queue with calibration, the review form, findings with the
agent's dispute and her supervisor's decision. What the user may not reach answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff import permissions as people
from staff.api.filters import MAX_ID

from .. import permissions
from ..forms.qa import DecideFindingForm, DisputeForm, QueueFilterForm, ReviewForm
from ..models import AuthorityLimit, QAReview, QASample
from ..selectors import qa as selectors
from ..services import qa as services


def _pk(pk):
    if pk > MAX_ID:
        raise Http404
    return pk


@login_required
def queue(request):
    """This week's and older samples the user has not reviewed, 50 a page, with the reviewers' agreement."""
    if not permissions.can_review_qa(request.user):
        raise Http404
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.queue(
        request.user, reason=filters.get("reason", ""), agent=filters.get("agent"), team=filters.get("team")
    )
    page = Paginator(rows, selectors.PAGE).get_page(request.GET.get("page"))
    _shares, overall = selectors.agreement(selectors.reviewed_sample_ids())
    return render(request, "linkage/qa_queue.html", {"form": form, "page": page, "agreement": overall})


@login_required
def sample_review(request, pk):
    """One sampled issuance or case (customer masked), the scenario's standard and the agent's limit; the verdict."""
    if not permissions.can_review_qa(request.user):
        raise Http404
    sample = get_object_or_404(
        QASample.objects.select_related("agent__team", "issuance__scenario", "issuance__grade", "case__category"),
        pk=_pk(pk),
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review(actor=request.user, sample_id=sample.pk, **form.cleaned_data)
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("linkage:qa-queue")
    issuance = sample.issuance
    limit = (
        AuthorityLimit.objects.filter(grade=issuance.grade, scenario=issuance.scenario, risk=issuance.risk).first()
        if issuance
        else None
    )
    reviews = list(QAReview.objects.filter(sample=sample).select_related("reviewer"))
    shares, _overall = selectors.agreement([sample.pk])
    context = {
        "sample": sample,
        "issuance": issuance,
        "case": sample.case or (issuance.case if issuance else None),
        "limit": limit,
        "reviews": reviews,
        "agreement": shares.get(sample.pk),
        "form": form,
    }
    return render(request, "linkage/qa_review.html", context)


@login_required
def findings(request):
    """An agent's own findings (dispute form); a supervisor's team's findings (decide form); HR all."""
    if not permissions.can_view_findings(request.user):
        raise Http404
    me = people.employee_of(request.user)
    rows = permissions.visible_findings(request.user).select_related(
        "agent__team", "review__sample", "lowered_to__grade"
    )
    page = Paginator(rows.order_by("-pk"), 50).get_page(request.GET.get("page"))
    for finding in page:
        finding.mine = me is not None and finding.agent_id == me.pk
        finding.may_decide = permissions.can_decide_finding(request.user, finding)
    context = {"page": page, "dispute_form": DisputeForm(), "decide_form": DecideFindingForm()}
    return render(request, "linkage/findings.html", context)


def _finding(request, pk):
    finding = get_object_or_404(permissions.visible_findings(request.user).select_related("agent__team"), pk=_pk(pk))
    return finding


@login_required
@require_POST
def finding_dispute(request, pk):
    finding = _finding(request, pk)
    form = DisputeForm(request.POST)
    if form.is_valid():
        try:
            services.dispute(actor=request.user, finding_id=finding.pk, text=form.cleaned_data["text"])
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your dispute is recorded."))
    return redirect("linkage:findings")


@login_required
@require_POST
def finding_decide(request, pk):
    finding = _finding(request, pk)
    form = DecideFindingForm(request.POST)
    if form.is_valid():
        try:
            services.decide_finding(actor=request.user, finding_id=finding.pk, **form.cleaned_data)
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Decision recorded."))
    return redirect("linkage:findings")
