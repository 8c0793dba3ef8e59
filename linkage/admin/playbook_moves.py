"""HR moves a playbook version on from its admin list (linkage.services.playbooks does the move and its checks):
open the consultation, start a pilot with the teams HR chooses, publish to all teams, retire with a written
reason. A move the rules refuse says why; publishing names the support-kit items not in place at the sites the
version now reaches. The pilot and the retirement ask first, on an intermediate page (its form, then the move)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from staff.models import Team

from ..services import playbooks as services

CONSULTATION_DAYS = 14


def _each(modeladmin, request, queryset, move):
    """Run ``move(version)`` for each selected version, each on its own: one refused does not stop the others."""
    for version in queryset.select_related("playbook").order_by("playbook", "number"):
        try:
            move(version)
        except ValidationError as refusal:
            modeladmin.message_user(
                request,
                _("%(version)s: %(reasons)s") % {"version": version, "reasons": " ".join(refusal.messages)},
                messages.ERROR,
            )


@admin.action(description=_("Open the consultation (14 days)"))
def open_consultation(modeladmin, request, queryset):
    def move(version):
        services.open_consultation(actor=request.user, version=version, days=CONSULTATION_DAYS)
        modeladmin.message_user(request, _("%(version)s is open for comments.") % {"version": version})

    _each(modeladmin, request, queryset, move)


@admin.action(description=_("Publish to all teams"))
def publish(modeladmin, request, queryset):
    def move(version):
        publication = services.publish(actor=request.user, version=version)
        modeladmin.message_user(request, _("%(version)s is published.") % {"version": version})
        if publication.kit_gaps:
            items = "; ".join(f"{gap.site}: {gap.name} ({gap.status_label})" for gap in publication.kit_gaps)
            count = len(publication.kit_gaps)
            warning = ngettext(
                "%(count)s support-kit item is not in place: %(items)s",
                "%(count)s support-kit items are not in place: %(items)s",
                count,
            )
            modeladmin.message_user(request, warning % {"count": count, "items": items}, messages.WARNING)

    _each(modeladmin, request, queryset, move)


# Moves that ask first ------------------------------------------------------------------------------------------


class TeamsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, team):
        """Team names repeat across sites: name the site too."""
        return f"{team.department.site.name} · {team.name}" if team.department_id else team.name


class PilotForm(forms.Form):
    teams = TeamsField(
        label=_("Pilot teams"),
        queryset=Team.objects.select_related("department__site").order_by("department__site__name", "name"),
        widget=FilteredSelectMultiple(_("pilot teams"), is_stacked=False),
        error_messages={"required": _("Choose at least one pilot team.")},
        help_text=_("The version is published to these teams only; their members are told."),
    )


class RetireForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it retired?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        strip=True,
        error_messages={"required": _("Say why the version is retired.")},
    )


def _ask(modeladmin, request, queryset, *, form_class, template, title, move):
    """Show ``form_class`` for the selected versions; once it is posted back valid (``apply``), run ``move(version,
    data)`` for each and return to the list (None)."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        _each(modeladmin, request, queryset, lambda version: move(version, form.cleaned_data))
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "form": form,
        "media": modeladmin.media + form.media,
        "versions": queryset.select_related("playbook").order_by("playbook__code", "number"),
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, template, context)


@admin.action(description=_("Start a pilot with chosen teams"))
def start_pilot(modeladmin, request, queryset):
    def move(version, data):
        services.start_pilot(actor=request.user, version=version, teams=data["teams"])
        modeladmin.message_user(request, _("%(version)s is in pilot.") % {"version": version})

    return _ask(
        modeladmin,
        request,
        queryset,
        form_class=PilotForm,
        template="admin/linkage/start_pilot.html",
        title=_("Start a pilot"),
        move=move,
    )


@admin.action(description=_("Retire (with a reason)"))
def retire(modeladmin, request, queryset):
    def move(version, data):
        services.retire(actor=request.user, version=version, reason=data["reason"])
        modeladmin.message_user(request, _("%(version)s is retired.") % {"version": version})

    return _ask(
        modeladmin,
        request,
        queryset,
        form_class=RetireForm,
        template="admin/linkage/retire.html",
        title=_("Retire versions"),
        move=move,
    )
