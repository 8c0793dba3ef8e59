"""Pages of the rules as written (issue 15 §8): the catalogue (everyone), applying a rule (HR; a lead to her people)
and the exceptions report (HR). Parse → check access through incentives.permissions → services / selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import permissions
from ..forms.rules import ApplyRuleForm, ExceptionFilterForm
from ..selectors import rules as selectors
from ..services import rules as services


@login_required
def catalogue(request):
    if not permissions.can_view_rules(request.user):
        raise Http404
    rules = list(selectors.catalogue())
    context = {
        "rewards": [r for r in rules if r.kind == "reward"],
        "penalties": [r for r in rules if r.kind == "penalty"],
        "can_apply": permissions.can_apply_rules(request.user),
        "can_exceptions": permissions.can_view_rule_exceptions(request.user),
    }
    return render(request, "incentives/rules/catalogue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request):
    user = request.user
    if not permissions.can_apply_rules(user):
        raise Http404
    initial = {}
    if str(request.GET.get("to", "")).isdigit():
        to = permissions.rule_targets(user).filter(pk=int(request.GET["to"])).first()
        initial["employee_number"] = to.employee_number if to else ""
    if str(request.GET.get("rule", "")).isdigit():
        initial["rule"] = int(request.GET["rule"])
    form = ApplyRuleForm(
        request.POST or None, initial=initial, people=permissions.rule_targets(user), rules=selectors.catalogue()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry, _created = services.apply_rule(
                user=user,
                employee_id=data["employee"].pk,
                rule_id=data["rule"].pk,
                points=data["points"],
                note=data["note"],
                idempotency_key=data["idempotency_key"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(rule)s applied to %(name)s: %(points)+d points.")
                % {"rule": entry.rule.name, "name": entry.employee.name, "points": entry.points},
            )
            return redirect("incentives:rules")
    recent = Paginator(selectors.applied().filter(actor=user), selectors.PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "incentives/rules/apply.html", {"form": form, "page": recent})


@login_required
def exceptions(request):
    if not permissions.can_view_rule_exceptions(request.user):
        raise Http404
    form = ExceptionFilterForm(request.GET or None)
    kind = form.cleaned_data.get("kind", "") if form.is_valid() else ""
    page = Paginator(selectors.exceptions(kind=kind), selectors.PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "incentives/rules/exceptions.html", {"form": form, "page": page})
