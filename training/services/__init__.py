"""Every write of the training app (STYLE §1): KASH assessments, onboarding and the cycle-4 mood check-in."""

from .kash import (
    AssessmentConflict,
    AssessmentLocked,
    correct_assessment,
    create_assessment,
    save_draft,
    submit_assessment,
)
from .mood import ask_for_checkins, check_in
from .onboarding import (
    acknowledge_coaching,
    add_batch_activity,
    adjust_cycle,
    assign_mentor,
    complete_activity,
    enroll_trainee,
    log_coaching,
    move_enrollment,
    open_batch,
    record_gate_check,
    sweep_due_enrollments,
)

__all__ = [
    "AssessmentConflict",
    "AssessmentLocked",
    "acknowledge_coaching",
    "add_batch_activity",
    "adjust_cycle",
    "ask_for_checkins",
    "assign_mentor",
    "check_in",
    "complete_activity",
    "correct_assessment",
    "create_assessment",
    "enroll_trainee",
    "log_coaching",
    "move_enrollment",
    "open_batch",
    "record_gate_check",
    "save_draft",
    "submit_assessment",
    "sweep_due_enrollments",
]
