"""Role-linkage models (DOMAIN §4, seed 000): the roles that take part in a hand-off, versioned playbooks with
their steps, branches and signals, consultation comments, events, the support kit of each site, and
acknowledgements of a published version; drills, levels, the four abilities and role models."""

from .abilities import Ability, AbilitySource, AbilityTarget, RoleModel
from .drills import Drill, DrillMode, DrillParticipant, DrillStatus, StepScore
from .levels import Certification, LinkageSettings
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
    RoleScope,
    Signal,
    SignalKind,
    Step,
    VersionEvent,
    VersionStatus,
)

__all__ = [
    "Ability",
    "AbilitySource",
    "AbilityTarget",
    "Acknowledgement",
    "Branch",
    "Certification",
    "Comment",
    "Drill",
    "DrillMode",
    "DrillParticipant",
    "DrillStatus",
    "KitItem",
    "KitItemKind",
    "KitStatus",
    "LinkageRole",
    "LinkageSettings",
    "Playbook",
    "PlaybookKind",
    "PlaybookVersion",
    "RoleModel",
    "RoleScope",
    "Signal",
    "SignalKind",
    "Step",
    "StepScore",
    "VersionEvent",
    "VersionStatus",
]
