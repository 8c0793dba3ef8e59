"""Reads of role models (树标杆, issue 12 §9): the gallery of a playbook, which every reader of it may learn from."""

from .. import permissions
from ..models import RoleModel

GALLERY_SIZE = 12


def gallery(playbook, *, viewer=None, limit=GALLERY_SIZE):
    """The active role models of ``playbook``, newest first, with the person, her team and the drill's version
    loaded (one query). With ``viewer``, each row says whether she may take it out (``can_remove``)."""
    rows = list(
        RoleModel.objects.filter(playbook=playbook, is_active=True)
        .select_related("employee__team", "drill__version")
        .order_by("-marked_at", "-pk")[:limit]
    )
    for row in rows:
        row.can_remove = viewer is not None and permissions.can_mark_role_model(viewer, row.employee)
    return rows
