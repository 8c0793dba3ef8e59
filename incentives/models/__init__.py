from .ledger import EntryKind, LedgerIsAppendOnly, PointsEntry
from .recognition import (
    EarnedBy,
    IncentiveSettings,
    Kind,
    Reaction,
    ReactionLabel,
    Recognition,
    RecognitionRecipient,
)
from .rewards import Redemption, RedemptionStatus, Reward, RewardKind

__all__ = [
    "EarnedBy",
    "EntryKind",
    "IncentiveSettings",
    "Kind",
    "LedgerIsAppendOnly",
    "PointsEntry",
    "Reaction",
    "ReactionLabel",
    "Recognition",
    "RecognitionRecipient",
    "Redemption",
    "RedemptionStatus",
    "Reward",
    "RewardKind",
]
