from .honours import AwardProgramme, Deciders, Nomination, NominationStatus, Nominators, ProgrammeKind
from .ledger import EntryKind, LedgerIsAppendOnly, PointsEntry
from .pk import (
    MetricSource,
    Normalisation,
    PkAward,
    PkCompetition,
    PkHonour,
    PkKind,
    PkParticipant,
    PoolUnit,
    Standing,
)
from .pulse import PulseAlert, PulseRespondent, PulseTally, Question, Survey, Wave
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
from .rituals import CardKind, CardSignature, TeamCard
from .rules import IncentiveRule, RuleKind

__all__ = [
    "AwardProgramme",
    "CardKind",
    "CardSignature",
    "Deciders",
    "EarnedBy",
    "EntryKind",
    "IncentiveRule",
    "IncentiveSettings",
    "Kind",
    "LedgerIsAppendOnly",
    "MetricSource",
    "Nomination",
    "NominationStatus",
    "Nominators",
    "Normalisation",
    "PkAward",
    "PkCompetition",
    "PkHonour",
    "PkKind",
    "PkParticipant",
    "PointsEntry",
    "PoolUnit",
    "ProgrammeKind",
    "PulseAlert",
    "PulseRespondent",
    "PulseTally",
    "Question",
    "Reaction",
    "ReactionLabel",
    "Recognition",
    "RecognitionRecipient",
    "Redemption",
    "RedemptionStatus",
    "Reward",
    "RewardKind",
    "RuleKind",
    "Standing",
    "Survey",
    "TeamCard",
    "Wave",
]
