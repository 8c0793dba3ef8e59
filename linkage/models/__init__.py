"""Role-linkage models (DOMAIN §4, seed 000): the roles that take part in a hand-off, versioned playbooks with
their steps, branches and signals, consultation comments, events, the support kit of each site, and
acknowledgements of a published version."""

from .playbooks import (
    Acknowledgement,
    Branch,
    Comment,
    KitItem,
    KitItemKind,
    KitStatus,
    LinkageRole,
    Playbook,
    PlaybookKind,
    PlaybookVersion,
    Signal,
    SignalKind,
    Step,
    VersionEvent,
    VersionStatus,
)

__all__ = [
    "Acknowledgement",
    "Branch",
    "Comment",
    "KitItem",
    "KitItemKind",
    "KitStatus",
    "LinkageRole",
    "Playbook",
    "PlaybookKind",
    "PlaybookVersion",
    "Signal",
    "SignalKind",
    "Step",
    "VersionEvent",
    "VersionStatus",
]
