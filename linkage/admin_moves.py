"""HR moves a playbook version on from its admin list (linkage.services.playbooks does the move and its checks):
open the consultation, publish to all teams. A move the rules refuse says why; publishing names the support-kit
items not in place at the sites the version now reaches."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .services import playbooks as services

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
