"""Each site's support kit for a playbook (seed 000: the hardware and software that help a hand-off — calling
system, signage, layout, service facilities, materials, the signal glossary): what is not in place yet, to warn
about when a version is published to a site, and a writer of one kit item for pages, the API and the demo (HR
also keeps the kit in the admin: plain rows, no state machine)."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from staff.models import Employee, Site

from ..models import KitItem, KitItemKind, KitStatus, Playbook


@dataclass(frozen=True)
class KitGap:
    """A kit item of a site that is not in place: missing, or planned by a date."""

    site: Site
    kind: str
    kind_label: str
    name: str
    status: str
    status_label: str
    planned_on: datetime.date | None
    owner: Employee | None

    @property
    def is_missing(self):
        return self.status == KitStatus.MISSING


def kit_gaps(*, playbook, sites):
    """The items of ``playbook``'s kit at ``sites`` (Site rows, ids or a queryset) that are not in place, by site
    then kind: the items recorded as missing or planned. A site with nothing missing has no row. One query."""
    items = (
        KitItem.objects.filter(playbook=playbook, site__in=sites)
        .exclude(status=KitStatus.IN_PLACE)
        .select_related("site", "owner")
        .order_by("site__name", "site_id", "kind", "name", "pk")
    )
    return [
        KitGap(
            site=item.site,
            kind=item.kind,
            kind_label=item.get_kind_display(),
            name=item.name,
            status=item.status,
            status_label=item.get_status_display(),
            planned_on=item.planned_on,
            owner=item.owner,
        )
        for item in items
    ]


@transaction.atomic
def set_kit_item(
    *,
    site: Site,
    playbook: Playbook,
    kind: KitItemKind,
    name: str,
    status: KitStatus,
    planned_on: datetime.date | None = None,
    owner: Employee | None = None,
):
    """Record one item of a site's kit for a playbook (found by site, playbook, kind and name) with its status,
    planned date and owner; a planned item needs its date, and an item in place or missing keeps none. Saving the
    same values again changes nothing. Returns (item, created)."""
    if status != KitStatus.PLANNED:
        planned_on = None
    item = (
        KitItem.objects.select_for_update()
        .filter(site=site, playbook=playbook, kind=kind, name=name)
        .order_by("pk")
        .first()
    )
    created = item is None
    if created:
        item = KitItem(site=site, playbook=playbook, kind=kind, name=name)
    values = {"status": status, "planned_on": planned_on, "owner_id": owner.pk if owner else None}
    changed = [field for field, value in values.items() if getattr(item, field) != value]
    for field in changed:
        setattr(item, field, values[field])
    if created or changed:
        item.full_clean()  # the planned-has-a-date constraint, as a ValidationError rather than an IntegrityError
        item.save(update_fields=None if created else [f.removesuffix("_id") for f in changed])
    return item, created
