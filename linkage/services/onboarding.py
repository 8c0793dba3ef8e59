"""Published playbooks as onboarding activities (issue 12 §5): linkage is part of 4C communication, so every
playbook with a published version is an activity of onboarding cycle 3 — read it and acknowledge it. Training
keeps the activity (training.services.linked_activities); acknowledging any version of the playbook marks it done."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from training.services.linked_activities import complete_kept_activity, keep_program_activity

from ..models import PlaybookVersion, VersionStatus

ONBOARDING_CYCLE = 3  # 4C communication (DOMAIN §3): the cycle in which a new hire learns to link with other roles


def activity_key(playbook):
    return f"linkage-playbook:{playbook.code}"


def title_of(playbook, language):
    with translation.override(language):
        return _("Read and acknowledge the playbook “%(name)s”") % {"name": getattr(playbook, f"name_{language[:2]}")}


def sync_playbook_activity(playbook):
    """Give the playbook's activity to cycle 3 while it has a published version; stop giving it once it has none.
    Returns the number of trainees given it now."""
    published = PlaybookVersion.objects.filter(playbook=playbook, status=VersionStatus.PUBLISHED).exists()
    return keep_program_activity(
        key=activity_key(playbook),
        cycle_number=ONBOARDING_CYCLE,
        title_en=title_of(playbook, "en"),
        title_zh=title_of(playbook, "zh-hans"),
        link=reverse("linkage:playbook", args=[playbook.code]),
        active=published,
    )


def acknowledged(*, user, employee, version):
    """She has read a version of the playbook: her cycle-3 activity for it is done."""
    return complete_kept_activity(
        actor=user,
        employee=employee,
        key=activity_key(version.playbook),
        note=_("Acknowledged version %(n)s.") % {"n": version.number},
    )
