"""Pages of the honour system (issue 15 §3): the award programmes (open windows first), a programme with its
nominations (the nominate form; the decider's decide form), "My honours" and a person's honours timeline. Parse →
check access through incentives.permissions → services / selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.api.filters import MAX_ID

from .. import honours_rules as rules
from .. import permissions
from ..forms.honours import DecideForm, NominateForm, ProgrammeFilterForm
from ..selectors import honours as selectors
from ..services import honours as services


@login_required
def programmes(request):
    if not permissions.can_view_programmes(request.user):
        raise PermissionDenied
    filters = ProgrammeFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.programmes(request.user, kind=data.get("kind", ""), open_only=data.get("open", False))
    page = Paginator(rows, selectors.PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "incentives/honours/programmes.html", {"page": page, "filters": filters})


def _programme(request, pk):
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(permissions.visible_programmes(request.user).select_related("site", "team"), pk=pk)


def _render_programme(request, programme, form=None):
    today = timezone.localdate()
    is_open = rules.window_open(opens_on=programme.opens_on, closes_on=programme.closes_on, today=today)
    can_nominate = is_open and permissions.may_nominate(request.user, programme)
    if form is None and can_nominate:
        form = NominateForm(people=permissions.nominable_employees(request.user, programme))
    rows = selectors.nominations(request.user, programme)
    page = Paginator(rows, selectors.PER_PAGE).get_page(request.GET.get("page"))
    me = permissions.staff_permissions.employee_of(request.user)
    context = {
        "programme": programme,
        "page": page,
        "is_open": is_open,
        "form": form if can_nominate or (form is not None and form.is_bound) else None,
        "can_decide": permissions.may_decide(request.user, programme),
        "me_pk": me.pk if me else None,
        "winners": selectors.winners_count(programme),
        "decide_form": DecideForm(),
    }
    return render(request, "incentives/honours/programme.html", context, status=400 if form and form.errors else 200)


@login_required
def programme(request, pk):
    return _render_programme(request, _programme(request, pk))


@login_required
@require_POST
def nominate(request, pk):
    programme = _programme(request, pk)
    if not permissions.may_nominate(request.user, programme):
        raise PermissionDenied
    form = NominateForm(request.POST, people=permissions.nominable_employees(request.user, programme))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.nominate(
                user=request.user,
                programme_id=programme.pk,
                nominee_id=data["nominee"].pk,
                reason=data["reason"],
                evidence=data["evidence"],
                recognition_id=data["recognition"],
                idempotency_key=data["token"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Your nomination is in."))
            return redirect("incentives:honours-programme", pk=programme.pk)
    return _render_programme(request, programme, form)


@login_required
@require_POST
def decide(request, pk):
    if pk > MAX_ID:
        raise Http404
    nomination = permissions.visible_nominations(request.user).filter(pk=pk).first()
    if nomination is None:
        raise Http404
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose winner or not chosen."))
    else:
        won = form.cleaned_data["decision"] == "won"
        try:
            services.decide(user=request.user, nomination_id=pk, won=won, note=form.cleaned_data["note"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Decided: a winner is published.") if won else _("Decided."))
    return redirect("incentives:honours-programme", pk=nomination.programme_id)


def _timeline(request, employee, template):
    page = Paginator(selectors.honours_of(employee), selectors.PER_PAGE).get_page(request.GET.get("page"))
    return render(request, template, {"person": employee, "page": page})


@login_required
def my_honours(request):
    if not permissions.can_view_my_honours(request.user):
        raise PermissionDenied
    me = permissions.staff_permissions.employee_of(request.user)
    return _timeline(request, me, "incentives/honours/my_honours.html")


@login_required
def person(request, pk):
    if pk > MAX_ID:
        raise Http404
    employee = get_object_or_404(permissions.honour_people(request.user), pk=pk)
    return _timeline(request, employee, "incentives/honours/person.html")
