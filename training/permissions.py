"""Who may do what in training (STYLE §4), built on the roles and people scopes of staff.permissions.

KASH (DOMAIN §2): everyone assesses themself; a supervisor assesses the people of the teams they
lead, a mentor their mentees, HR anyone; a pass-the-gate check becomes an ``exam`` assessment.

Onboarding (DOMAIN §3): HR, the trainee's team supervisor and the batch's supervisor manage an
enrollment; her mentor coaches it too; the trainee marks her own activities and acknowledges her
coaching. The batch's supervisor leads the batch's onboarding whatever the trainee's team (issue 8):
she sees and acts on every enrollment of the batches she supervises — and no more: the trainee's
employee page and KASH profile stay with the trainee's team.

Views fetch through the scopes below, so "not yours" and "does not exist" both answer 404.
"""

from django.db.models import Exists, OuterRef, Q

from staff import permissions as people

from . import cycles, mood_rules
from .models import (
    Activity,
    ActivityOwner,
    AssessmentStatus,
    Batch,
    CoachingSession,
    Enrollment,
    GateCheck,
    MoodCheckIn,
    Source,
)

# KASH ---------------------------------------------------------------------------------------

SELF_SOURCES = (Source.SELF,)
SUPERVISOR_SOURCES = (Source.SUPERVISOR, Source.QA, Source.EXAM)
MENTOR_SOURCES = (Source.MENTOR, Source.EXAM)
HR_SOURCES = (Source.SUPERVISOR, Source.MENTOR, Source.PEER, Source.QA, Source.EXAM, Source.IMPORTED)
EXAMINER_SOURCES = (Source.EXAM,)  # who coaches an open enrollment records its gate checks


def assessable_sources(user, subject):
    """The assessment sources ``user`` may record for ``subject`` (empty: may not assess)."""
    if not people.is_active_user(user):
        return ()
    if people.is_self(user, subject):
        return SELF_SOURCES
    if people.is_hr(user):
        return HR_SOURCES
    if people.leads(user, subject):
        return SUPERVISOR_SOURCES
    if people.mentors(user, subject):
        return MENTOR_SOURCES
    if _coaches_an_open_enrollment(user, subject):
        return EXAMINER_SOURCES
    return ()


def _coaches_an_open_enrollment(user, subject):
    """A batch supervisor of another team: her gate checks of ``subject`` create exam assessments."""
    if people.employee_of(user) is None:
        return False
    enrollments = subject.enrollments.exclude(state__in=cycles.TERMINAL).select_related("batch")
    return any(can_coach(user, enrollment) for enrollment in enrollments)


def can_assess(user, subject, source):
    return source in assessable_sources(user, subject)


def can_view_private_notes(user, subject):
    """A supervisor's private note is for the subject's supervisor and HR, never the subject or peers."""
    if not people.is_active_user(user) or people.is_self(user, subject):
        return False
    return people.is_hr(user) or people.leads(user, subject)


def can_edit_draft(user, assessment):
    """Only the assessor continues a draft; nobody edits a submitted assessment."""
    return (
        people.is_active_user(user)
        and assessment.status == AssessmentStatus.DRAFT
        and assessment.assessor_id == user.pk
    )


def can_correct(user, assessment):
    """A correction (a new assessment superseding a submitted one) by the assessor or HR.
    Callers fetch the assessment through a scoped queryset, so visibility is already settled."""
    return (
        people.is_active_user(user)
        and assessment.status == AssessmentStatus.SUBMITTED
        and (assessment.assessor_id == user.pk or people.is_hr(user))
    )


# Onboarding: scopes -------------------------------------------------------------------------


def _scoped(model, user, path=""):
    """Rows of ``model`` whose enrollment (reached through ``path``) ``user`` may see: HR all; others
    the enrollments of the people they may see and of the batches they supervise."""
    if not people.is_active_user(user):
        return model.objects.none()
    if people.is_hr(user):
        return model.objects.all()
    me = people.employee_of(user)
    if me is None:
        return model.objects.none()
    return model.objects.filter(
        Q(**{f"{path}trainee__in": people.visible_employees(user)}) | Q(**{f"{path}batch__supervisor": me})
    )


def visible_enrollments(user):
    return _scoped(Enrollment, user)


def visible_activities(user):
    return _scoped(Activity, user, "enrollment__")


def visible_coaching(user):
    """A trainee's sessions as her enrollment is seen; any employee's as she is seen (her own, her team's for
    her lead, her mentees' for a mentor, all for HR)."""
    if not people.is_active_user(user):
        return CoachingSession.objects.none()
    if people.is_hr(user):
        return CoachingSession.objects.all()
    me = people.employee_of(user)
    if me is None:
        return CoachingSession.objects.none()
    return CoachingSession.objects.filter(
        Q(employee__in=people.visible_employees(user)) | Q(enrollment__batch__supervisor=me)
    )


def visible_gate_checks(user):
    return _scoped(GateCheck, user, "enrollment__")


def visible_mood_checkins(user):
    """A trainee's weekly mood is hers and not anonymous (issue 15 §9): she, her mentor, her team's supervisor, her
    batch's supervisor and HR see it, exactly as they see her enrollment."""
    return _scoped(MoodCheckIn, user, "enrollment__")


def led_enrollments(user):
    """The enrollments ``user`` leads themself: of the teams they lead, the batches they supervise and their
    mentees, never their own. HR's see-everything scope aside: what lands on a supervisor's "Today"."""
    me = people.employee_of(user)
    if me is None:
        return Enrollment.objects.none()
    mine = Q(trainee__team__supervisor=me) | Q(batch__supervisor=me) | Q(trainee__mentor=me)
    return visible_enrollments(user).filter(mine).exclude(trainee=me)


def visible_batches(user):
    """HR sees every batch; others the batches they supervise or that hold an enrollment they may see."""
    if people.is_hr(user):
        return Batch.objects.all()
    me = people.employee_of(user)
    if me is None:
        return Batch.objects.none()
    return Batch.objects.filter(Q(supervisor=me) | Q(pk__in=visible_enrollments(user).values("batch_id")))


# Onboarding: predicates (callers load enrollment.batch and enrollment.trainee.team) ---------------


def supervises_batch(user, enrollment):
    me = people.employee_of(user)
    return me is not None and enrollment.batch.supervisor_id == me.pk


# A batch's supervisor leads its onboarding even when she leads no team (issue 8): a role registered with
# staff (TrainingConfig.ready), found in the one roles query, for the navigation, the landing and "Today".
SUPERVISES_BATCH = "supervises_batch"


def supervises_batch_expression():
    return Exists(Batch.objects.filter(supervisor=OuterRef("pk")))


def can_view_batch_board(user):
    """Supervisors, HR, and whoever supervises a batch."""
    return people.can_view_team_board(user) or people.has_role(user, SUPERVISES_BATCH)


def can_administer_batches(user):
    """Open a batch, enroll trainees, adjust a batch's cycles and activities: HR."""
    return people.is_hr(user)


def can_manage(user, enrollment):
    """Approve or fail a gate, hold, resume, withdraw, assign a mentor: HR, the trainee's team
    supervisor or the batch's supervisor; never the trainee herself."""
    if is_trainee(user, enrollment):
        return False
    return people.is_hr(user) or people.leads(user, enrollment.trainee) or supervises_batch(user, enrollment)


def can_coach(user, enrollment):
    """Log coaching and run pass-the-gate checks: whoever manages the enrollment, and the mentor."""
    return people.mentors(user, enrollment.trainee) or can_manage(user, enrollment)


def can_complete(user, activity):
    """Mark an activity done: its owner (the trainee or the mentor), or whoever manages the enrollment
    (the supervisor's own activities included)."""
    enrollment = activity.enrollment
    owner = activity.template.owner
    if owner == ActivityOwner.TRAINEE and is_trainee(user, enrollment):
        return True
    if owner == ActivityOwner.MENTOR and people.mentors(user, enrollment.trainee):
        return True
    return can_manage(user, enrollment)


def can_check_in(user, enrollment):
    """Only the trainee answers her weekly mood check-in, and only while her enrollment is in cycle 4."""
    return is_trainee(user, enrollment) and mood_rules.is_asked(enrollment.state, enrollment.cycle)


def is_trainee(user, enrollment):
    me = people.employee_of(user)
    return me is not None and me.pk == enrollment.trainee_id


def can_acknowledge(user, session):
    """Only the coached employee (a trainee or any agent) acknowledges her coaching session."""
    me = people.employee_of(user)
    return me is not None and me.pk == session.employee_id


def can_coach_employee(user, employee):
    """Log coaching for any employee (the coaching log is every agent's, issue 13/14): HR, whoever leads her
    and her mentor; never she herself."""
    if people.is_self(user, employee):
        return False
    return people.is_hr(user) or people.leads(user, employee) or people.mentors(user, employee)
