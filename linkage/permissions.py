"""Who may do what with playbooks (STYLE §4), built on the roles and people scopes of staff.permissions.

- A version applies to a person (issue 12 §3): the published version of each playbook to every active member
  of a team, a pilot version to the members of its pilot teams. She reads, acknowledges and drills those.
- A version in consultation is open to the people it will apply to: the members of its pilot teams when it
  names some, otherwise every active member of a team. HR sees every version, answers the comments and
  manages playbooks.
- A team's acknowledgements are seen by its supervisor and HR.
Views fetch through the scopes below, so "not yours" and "does not exist" both answer 404.
"""

from django.db.models import Exists, OuterRef, Q

from staff import permissions as people
from staff.models import Employee, Stage, Team

from .models import Acknowledgement, PlaybookVersion, VersionStatus

_pilot_links = PlaybookVersion.pilot_teams.through
# A person reads and acknowledges the versions in force for her (issue 12 §5).
ACKNOWLEDGED_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.PILOT)


def _pilot_versions_of(team_id):
    """Versions naming ``team_id`` among their pilot teams (a subquery: no join, no DISTINCT)."""
    return _pilot_links.objects.filter(team_id=team_id).values("playbookversion_id")


def _is_member(employee):
    """Playbooks apply to active members of a team."""
    return employee is not None and employee.team_id is not None and employee.stage != Stage.LEFT


# Scopes -------------------------------------------------------------------------------------


def versions_for_employee(employee):
    """The versions that apply to ``employee`` as a person: published ones, and pilots of her team."""
    if not _is_member(employee):
        return PlaybookVersion.objects.none()
    return PlaybookVersion.objects.filter(
        Q(status=VersionStatus.PUBLISHED) | Q(status=VersionStatus.PILOT, pk__in=_pilot_versions_of(employee.team_id))
    )


def consultations_for_employee(employee):
    """Versions in consultation that will apply to ``employee``: her team is a pilot team, or the version
    names no pilot team (it is headed for all teams)."""
    if not _is_member(employee):
        return PlaybookVersion.objects.none()
    has_pilots = Exists(_pilot_links.objects.filter(playbookversion_id=OuterRef("pk")))
    return PlaybookVersion.objects.filter(status=VersionStatus.CONSULTATION).filter(
        ~has_pilots | Q(pk__in=_pilot_versions_of(employee.team_id))
    )


def members_of(version):
    """The employees ``version`` applies to (published: every active team member; pilot: its pilot teams')."""
    members = Employee.objects.filter(team__isnull=False).exclude(stage=Stage.LEFT)
    if version.status == VersionStatus.PUBLISHED:
        return members
    if version.status == VersionStatus.PILOT:
        return members.filter(team__in=version.pilot_teams.values("pk"))
    return members.none()


def applicable_versions(user):
    """HR: every version. A person: the versions that apply to her (published, and pilots of her team)."""
    if not people.is_active_user(user):
        return PlaybookVersion.objects.none()
    if people.is_hr(user):
        return PlaybookVersion.objects.all()
    return versions_for_employee(people.employee_of(user))


def visible_versions(user):
    """The versions ``user`` may open: those that apply to her and the consultations open to her."""
    if not people.is_active_user(user):
        return PlaybookVersion.objects.none()
    if people.is_hr(user):
        return PlaybookVersion.objects.all()
    me = people.employee_of(user)
    if not _is_member(me):
        return PlaybookVersion.objects.none()
    return PlaybookVersion.objects.filter(
        Q(pk__in=versions_for_employee(me).values("pk")) | Q(pk__in=consultations_for_employee(me).values("pk"))
    )


def visible_acknowledgements(user):
    """HR all; others their own and those of the members of the teams they lead."""
    if not people.is_active_user(user):
        return Acknowledgement.objects.none()
    if people.is_hr(user):
        return Acknowledgement.objects.all()
    me = people.employee_of(user)
    if me is None:
        return Acknowledgement.objects.none()
    return Acknowledgement.objects.filter(Q(employee=me) | Q(employee__team__supervisor=me))


def acknowledgement_teams(user):
    """Teams whose acknowledgements ``user`` follows: HR all, a supervisor the teams she leads."""
    teams = people.visible_teams(user)
    if people.is_hr(user):
        return teams
    me = people.employee_of(user)
    if me is None or not people.is_supervisor(user):
        return teams.none()
    return teams.filter(supervisor=me)


# Predicates ---------------------------------------------------------------------------------


def can_view_library(user):
    """The library is for everyone with an employee record, and HR."""
    return people.is_active_user(user) and (people.is_hr(user) or people.employee_of(user) is not None)


def can_manage_playbooks(user):
    """Write playbooks, run the consultation, decide the rollout, keep the kit: HR."""
    return people.is_hr(user)


def can_answer(user):
    """Answer consultation comments: HR."""
    return people.is_hr(user)


def can_comment(user, version):
    """Comment on ``version`` while it is in consultation and it will apply to ``user`` (HR too)."""
    if version.status != VersionStatus.CONSULTATION or not people.is_active_user(user):
        return False
    if people.is_hr(user) and people.employee_of(user) is not None:
        return True
    return consultations_for_employee(people.employee_of(user)).filter(pk=version.pk).exists()


def can_acknowledge(user, version):
    """Acknowledge having read ``version``: whoever it applies to, as a person."""
    if version.status not in ACKNOWLEDGED_STATUSES:
        return False
    me = people.employee_of(user)
    return versions_for_employee(me).filter(pk=version.pk).exists()


def can_view_acknowledgements(user, team):
    """Who in ``team`` has not acknowledged: the team's supervisor and HR."""
    if not people.is_active_user(user):
        return False
    if people.is_hr(user):
        return True
    me = people.employee_of(user)
    return me is not None and team.supervisor_id == me.pk


def can_view_team_acknowledgements(user):
    """The team acknowledgements page: supervisors and HR."""
    return people.is_hr(user) or people.is_supervisor(user)


# Drills and levels --------------------------------------------------------------------------
# Issue 12 §6–7: a supervisor schedules and scores the drills of the teams she leads, a mentor practice drills
# with her mentees, the examiner scores; a person sees the drills she takes part in and her own levels.


def visible_drills(user):
    """HR all; a supervisor the drills of the teams she leads; an examiner the drills she examines; a person the
    drills she takes part in."""
    from .models import Drill, DrillParticipant

    if not people.is_active_user(user):
        return Drill.objects.none()
    if people.is_hr(user):
        return Drill.objects.all()
    me = people.employee_of(user)
    if me is None:
        return Drill.objects.none()
    taking_part = DrillParticipant.objects.filter(employee=me).values("drill_id")
    return Drill.objects.filter(Q(team__supervisor=me) | Q(examiner=me) | Q(pk__in=taking_part))


def can_schedule_drill(user, team):
    """HR, or the team's supervisor; a mentor with a mentee in ``team`` (practice drills of her mentees only:
    the service checks the mode and the cast)."""
    if not people.is_active_user(user):
        return False
    if people.is_hr(user):
        return True
    me = people.employee_of(user)
    if me is None or team is None:
        return False
    if team.supervisor_id == me.pk:
        return True
    return people.is_mentor(user) and Employee.objects.filter(mentor=me, team=team).exclude(stage=Stage.LEFT).exists()


def leads_drill(user, drill):
    """HR or the supervisor of the drill's team: may schedule scored drills there and cancel any."""
    if not people.is_active_user(user):
        return False
    me = people.employee_of(user)
    return people.is_hr(user) or (me is not None and drill.team.supervisor_id == me.pk)


def examines(user, drill):
    """HR or the drill's examiner (her employee record), whatever the drill's status."""
    if not people.is_active_user(user):
        return False
    me = people.employee_of(user)
    return people.is_hr(user) or (me is not None and drill.examiner_id == me.pk)


def can_score(user, drill):
    """Score a scheduled drill: HR or its examiner."""
    from .models import DrillStatus

    return drill.status == DrillStatus.SCHEDULED and examines(user, drill)


def can_cancel_drill(user, drill):
    """Cancel a scheduled drill: HR, the supervisor of its team or its examiner."""
    from .models import DrillStatus

    return drill.status == DrillStatus.SCHEDULED and (leads_drill(user, drill) or examines(user, drill))


def can_certify(user, employee):
    """Confirm a certification: HR or the supervisor who leads the employee's team."""
    return people.is_active_user(user) and (people.is_hr(user) or people.leads(user, employee))


def can_mark_role_model(user, employee):
    """Mark a person (or her drill) as a role model: HR, or the supervisor leading her team."""
    return people.is_active_user(user) and (people.is_hr(user) or people.leads(user, employee))


def can_view_coverage(user):
    """Team coverage and the four-abilities matrix: HR and supervisors."""
    return people.is_active_user(user) and (people.is_hr(user) or people.is_supervisor(user))


def coverage_teams(user):
    """Teams whose coverage ``user`` sees: HR every team, a supervisor the teams she leads."""
    from staff.models import Team

    if not people.is_active_user(user):
        return Team.objects.none()
    if people.is_hr(user):
        return Team.objects.all()
    me = people.employee_of(user)
    if me is None:
        return Team.objects.none()
    return Team.objects.filter(supervisor=me)


def can_view_levels(user, employee):
    """A person's levels: herself, her supervisor, her mentor, HR."""
    if not people.is_active_user(user) or employee is None:
        return False
    return (
        people.is_hr(user)
        or people.is_self(user, employee)
        or people.leads(user, employee)
        or people.mentors(user, employee)
    )


def schedulable_teams(user):
    """The teams ``user`` may schedule drills for (can_schedule_drill): HR every team, a supervisor the teams she
    leads, a mentor the teams of her mentees."""
    if people.is_hr(user):
        return Team.objects.all()
    me = people.employee_of(user)
    if me is None or not people.is_active_user(user):
        return Team.objects.none()
    mentees = Employee.objects.filter(mentor=me).exclude(stage=Stage.LEFT).values("team_id")
    return Team.objects.filter(Q(supervisor=me) | Q(pk__in=mentees))


# Cases ------------------------------------------------------------------------------------------------------------
# Issue 13 §1 (首问负责, seed 003): the owner keeps her case to closure; a step handed off to another person (or to a
# role she holds, in her team or centre-wide) lets that person see it; a supervisor sees the cases of the teams she
# leads; HR all. QA sees a case only through its queue (the QA section).


def _case_models():
    from .models import Case, CaseStatus, Handoff, RoleScope

    return Case, CaseStatus, Handoff, RoleScope


def visible_cases(user):
    """HR all; others their own cases, those handed to them, and the cases of the teams they lead."""
    Case, _status, Handoff, RoleScope = _case_models()
    if not people.is_active_user(user):
        return Case.objects.none()
    if people.is_hr(user):
        return Case.objects.all()
    me = people.employee_of(user)
    if me is None:
        return Case.objects.none()
    return Case.objects.filter(
        Q(owner=me) | Q(pk__in=_handed_to(me, Handoff, RoleScope)) | Q(team__in=Team.objects.filter(supervisor=me))
    )


def _handed_to(me, Handoff, RoleScope):
    """Cases with a hand-off to ``me``, or to a role she holds (not yet back; a team role within her team)."""
    named = Q(to_employee=me)
    if me.position_id is not None and me.stage != Stage.LEFT:
        by_role = Q(to_employee__isnull=True, returned_at__isnull=True, to_role__positions=me.position_id) & (
            Q(to_role__scope=RoleScope.CENTRE) | Q(case__team_id=me.team_id)
        )
        named |= by_role
    return Handoff.objects.filter(named).values("case_id")


def handed_to_me(user):
    """The cases ``user`` may see because a step was handed to her (a subquery of case ids)."""
    _case, _status, Handoff, RoleScope = _case_models()
    me = people.employee_of(user)
    if me is None:
        return Handoff.objects.none().values("case_id")
    return _handed_to(me, Handoff, RoleScope)


def can_log_case(user):
    """Log a case she took: an active member of a team (the first agent who takes it owns it)."""
    return people.is_active_user(user) and _is_member(people.employee_of(user))


def owns_case(user, case):
    me = people.employee_of(user)
    return me is not None and case.owner_id == me.pk


def leads_case_team(user, case):
    me = people.employee_of(user)
    return me is not None and case.team_id is not None and case.team.supervisor_id == me.pk


def can_work_case(user, case):
    """Hand off, add follow-ups, record the first response, escalate past her lead: the owner, while open."""
    _case, CaseStatus, _handoff, _scope = _case_models()
    return case.status == CaseStatus.OPEN and owns_case(user, case)


def can_close_case(user, case):
    """Only the owner closes her case (HR may not close someone's case)."""
    return can_work_case(user, case)


def can_reopen_case(user, case):
    """The owner, or the supervisor of the case's team, reopens a closed case."""
    _case, CaseStatus, _handoff, _scope = _case_models()
    return case.status == CaseStatus.CLOSED and (owns_case(user, case) or leads_case_team(user, case))


def can_note_case(user, case):
    """Add to an open case's history: the owner, whoever a step is handed to, the team's supervisor, HR."""
    _case, CaseStatus, _handoff, _scope = _case_models()
    if case.status != CaseStatus.OPEN or not people.is_active_user(user):
        return False
    return visible_cases(user).filter(pk=case.pk).exists()


def can_hand_back(user, handoff):
    """Return a handed-off step: the owner, or the person (or a holder of the role) it went to."""
    if handoff.returned_at is not None or not people.is_active_user(user):
        return False
    me = people.employee_of(user)
    if me is None:
        return False
    if handoff.case.owner_id == me.pk or handoff.to_employee_id == me.pk:
        return True
    return handoff.to_employee_id is None and handed_to_me(user).filter(pk=handoff.pk).exists()


def can_correct_event(user, event):
    """Correct an entry of an open case's history: its author (a correction supersedes it, the entry stays)."""
    _case, CaseStatus, _handoff, _scope = _case_models()
    return (
        event.case.status == CaseStatus.OPEN
        and people.is_active_user(user)
        and event.actor_id == user.pk
        and not type(event).objects.filter(supersedes=event).exists()
    )


def can_view_team_cases(user):
    """The team cases list with the breach countdown: supervisors and HR."""
    return people.is_active_user(user) and (people.is_hr(user) or people.is_supervisor(user))


def case_teams(user):
    """Teams whose cases ``user`` follows: HR every team, a supervisor the teams she leads."""
    if not people.is_active_user(user):
        return Team.objects.none()
    if people.is_hr(user):
        return Team.objects.all()
    me = people.employee_of(user)
    if me is None:
        return Team.objects.none()
    return Team.objects.filter(supervisor=me)


# Authority --------------------------------------------------------------------------------------------------------
# Issue 13 §3 (seed 003): HR sets the matrix; whoever works an open case (its owner, or the person a step of it was
# handed to) issues within her grade's limits or asks for approval; a higher grade approves within her scope (a
# supervisor the requests of the teams she leads, HR all); the ledger: an agent her own rows, a supervisor her teams',
# HR all. Reversals: HR or the supervisor of the issuance's team.


def _authority_models():
    from .models import CouponRequest, Issuance, RequestStatus

    return CouponRequest, Issuance, RequestStatus


def can_manage_authority(user):
    """Set grades, scenarios and the matrix of limits: HR."""
    return people.is_active_user(user) and people.is_hr(user)


def can_view_authority(user):
    """The matrix (HR) and "what may I do?" (everyone with an employee record)."""
    return people.is_active_user(user) and (people.is_hr(user) or people.employee_of(user) is not None)


def can_issue(user, case):
    """Issue a coupon on ``case`` (or ask for approval): the owner of the open case, or the person a step of it is
    handed to."""
    _case, CaseStatus, _handoff, _scope = _case_models()
    if case.status != CaseStatus.OPEN or not people.is_active_user(user):
        return False
    return owns_case(user, case) or handed_to_me(user).filter(case_id=case.pk).exists()


def approval_scope(user):
    """Requests ``user`` may decide as far as scope goes (her grade is checked by the service): HR all, a supervisor
    those of the members of the teams she leads; never her own."""
    CouponRequest, _issuance, _status = _authority_models()
    if not people.is_active_user(user):
        return CouponRequest.objects.none()
    me = people.employee_of(user)
    if people.is_hr(user):
        scope = CouponRequest.objects.all()
    elif me is not None and people.is_supervisor(user):
        scope = CouponRequest.objects.filter(requested_by__team__in=Team.objects.filter(supervisor=me))
    else:
        return CouponRequest.objects.none()
    return scope.exclude(requested_by=me) if me is not None else scope


def can_view_approvals(user):
    """The approval inbox: supervisors and HR."""
    return people.is_active_user(user) and (people.is_hr(user) or people.is_supervisor(user))


def can_cancel_request(user, request):
    """Withdraw a pending request: the person who asked."""
    _request, _issuance, RequestStatus = _authority_models()
    me = people.employee_of(user)
    return request.status == RequestStatus.PENDING and me is not None and request.requested_by_id == me.pk


def visible_issuances(user):
    """The ledger: HR all; a supervisor her teams' rows; everyone her own."""
    _request, Issuance, _status = _authority_models()
    if not people.is_active_user(user):
        return Issuance.objects.none()
    if people.is_hr(user):
        return Issuance.objects.all()
    me = people.employee_of(user)
    if me is None:
        return Issuance.objects.none()
    return Issuance.objects.filter(Q(issued_by=me) | Q(team__in=Team.objects.filter(supervisor=me)))


def can_view_ledger(user):
    return can_view_authority(user)


def can_reverse_issuance(user, issuance):
    """Reverse a mistaken issuance (a negative row naming it): HR or the supervisor of the issuance's team."""
    if not people.is_active_user(user) or issuance.reverses_id is not None:
        return False
    if people.is_hr(user):
        return True
    me = people.employee_of(user)
    return me is not None and issuance.team_id is not None and issuance.team.supervisor_id == me.pk


# QA ---------------------------------------------------------------------------------------------------------------
# Issue 13 §4 (seed 003): QA staff (active people whose position holds the shipped centre role "qa") and HR work the
# queue and review samples; an agent sees her own findings and disputes them; her supervisor (or HR) decides.


QA_STAFF = "linkage_qa"  # the role registered with staff.permissions (LinkageConfig.ready)


def qa_staff_expression():
    """For staff.permissions.register_role: the employee (OuterRef "pk") is active and her position holds the
    LinkageRole "qa" — found in the one roles query of the request, so the navigation costs nothing more."""
    from .models import LinkageRole

    holds = LinkageRole.positions.through.objects.filter(linkagerole__code="qa", position_id=OuterRef("position_id"))
    return Exists(Employee.objects.filter(pk=OuterRef("pk")).exclude(stage=Stage.LEFT).filter(Exists(holds)))


def is_qa_staff(user):
    """An active person whose position holds the LinkageRole "qa"."""
    return people.is_active_user(user) and people.has_role(user, QA_STAFF)


def can_review_qa(user):
    """The QA queue and review form: QA staff and HR."""
    return people.is_active_user(user) and (people.is_hr(user) or is_qa_staff(user))


def can_view_findings(user):
    """The findings page: anyone with an employee record (her own; a supervisor her teams'), and HR."""
    return people.is_active_user(user) and (people.is_hr(user) or people.employee_of(user) is not None)


def visible_findings(user):
    """HR all; others their own findings and those of agents in the teams they lead."""
    from .models import Finding

    if not people.is_active_user(user):
        return Finding.objects.none()
    if people.is_hr(user):
        return Finding.objects.all()
    me = people.employee_of(user)
    if me is None:
        return Finding.objects.none()
    return Finding.objects.filter(Q(agent=me) | Q(agent__team__supervisor=me))


def can_dispute_finding(user, finding):
    me = people.employee_of(user) if people.is_active_user(user) else None
    return me is not None and finding.agent_id == me.pk


def can_decide_finding(user, finding):
    """The agent's supervisor or HR; never the agent herself."""
    if not people.is_active_user(user):
        return False
    me = people.employee_of(user)
    if me is not None and finding.agent_id == me.pk:
        return False
    if people.is_hr(user):
        return True
    team = finding.agent.team
    return me is not None and team is not None and team.supervisor_id == me.pk
