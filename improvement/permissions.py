"""Who may do what in improvement (STYLE §4), built on the people scopes of staff/permissions.py: suggestions,
initiatives, tasks and follow-up. Every page and endpoint of the app asks here."""

from django.db.models import Exists, OuterRef, Q

from staff import permissions as staff_permissions

# == suggestions ==
# Suggestions (issue 14 §1): any active user with an employee submits; the author sees hers, every active employee
# sees the public ones, reviewers (HR: all; supervisors: those whose author they lead) see and triage in scope.


def can_submit_suggestion(user):
    return staff_permissions.employee_of(user) is not None


def can_submit_on_behalf(user, employee):
    """A supervisor raises a suggestion for an agent she leads (from a 1:1 or a review)."""
    return staff_permissions.is_active_user(user) and staff_permissions.leads(user, employee)


def reviewable_suggestions(user):
    """Suggestions ``user`` triages: HR all, a supervisor those of the people of the teams she leads."""
    from staff.models import Team

    from .models import Suggestion

    if not staff_permissions.is_active_user(user):
        return Suggestion.objects.none()
    if staff_permissions.is_hr(user):
        return Suggestion.objects.all()
    me = staff_permissions.employee_of(user)
    if me is None or not staff_permissions.is_supervisor(user):
        return Suggestion.objects.none()
    return Suggestion.objects.filter(author__team__in=Team.objects.filter(supervisor=me))


def is_suggestion_reviewer(user):
    return staff_permissions.is_active_user(user) and (
        staff_permissions.is_hr(user) or staff_permissions.is_supervisor(user)
    )


def visible_suggestions(user):
    """Her own, the public ones (any active employee) and, for reviewers, the private ones in scope."""
    from staff.models import Team

    from .models import Suggestion

    if not staff_permissions.is_active_user(user):
        return Suggestion.objects.none()
    if staff_permissions.is_hr(user):
        return Suggestion.objects.all()
    me = staff_permissions.employee_of(user)
    if me is None:
        return Suggestion.objects.none()
    return Suggestion.objects.filter(
        Q(author=me) | Q(is_public=True) | Q(author__team__in=Team.objects.filter(supervisor=me))
    )


def can_see_suggestion(user, suggestion):
    if not staff_permissions.is_active_user(user):
        return False
    if staff_permissions.is_hr(user):
        return True
    me = staff_permissions.employee_of(user)
    if me is None:
        return False
    return suggestion.is_public or suggestion.author_id == me.pk or staff_permissions.leads(user, suggestion.author)


def can_review_suggestion(user, suggestion):
    if not staff_permissions.is_active_user(user):
        return False
    return staff_permissions.is_hr(user) or staff_permissions.leads(user, suggestion.author)


def can_support_suggestion(user, suggestion):
    """+1 on a visible public suggestion, not one's own, not a merged one."""
    me = staff_permissions.employee_of(user)
    return (
        me is not None
        and suggestion.is_public
        and suggestion.author_id != me.pk
        and suggestion.status != "merged"
        and can_see_suggestion(user, suggestion)
    )


def can_comment_suggestion(user, suggestion):
    """Comments on visible public ones; the author and reviewers on private ones too."""
    if not can_see_suggestion(user, suggestion):
        return False
    me = staff_permissions.employee_of(user)
    return (
        suggestion.is_public
        or (me is not None and suggestion.author_id == me.pk)
        or can_review_suggestion(user, suggestion)
    )


def can_create_campaign(user):
    return is_suggestion_reviewer(user)


def visible_campaigns(user):
    """Campaigns are for everyone who may suggest (an employee) and for HR; nobody else."""
    from .models import Campaign

    if staff_permissions.is_active_user(user) and (can_submit_suggestion(user) or staff_permissions.is_hr(user)):
        return Campaign.objects.all()
    return Campaign.objects.none()


def can_view_participation(user):
    return staff_permissions.is_active_user(user) and staff_permissions.is_hr(user)


# == initiatives ==
# PDCA initiatives (issue 14 §2): HR and supervisors create them; HR sees all; the owner hers; supervisors and agents
# those whose scope covers their team or its site (no scope: the whole centre), agents read-only. The owner and HR
# edit the plan, move the status and record the Act decision.


def visible_initiatives(user):
    """The initiatives ``user`` may see (subqueries, no join, so no DISTINCT)."""
    from staff.models import Team

    from .models import Initiative

    if not staff_permissions.is_active_user(user):
        return Initiative.objects.none()
    if staff_permissions.is_hr(user):
        return Initiative.objects.all()
    me = staff_permissions.employee_of(user)
    if me is None:
        return Initiative.objects.none()
    my_teams = Team.objects.filter(Q(supervisor=me) | Q(pk=me.team_id or 0))
    teams = Initiative.scope_teams.through.objects.filter(initiative=OuterRef("pk"), team__in=my_teams)
    sites = Initiative.scope_sites.through.objects.filter(
        initiative=OuterRef("pk"), site__in=my_teams.values("department__site")
    )
    any_team = Initiative.scope_teams.through.objects.filter(initiative=OuterRef("pk"))
    any_site = Initiative.scope_sites.through.objects.filter(initiative=OuterRef("pk"))
    whole_centre = ~Exists(any_team) & ~Exists(any_site)
    return Initiative.objects.filter(Q(owner=me) | Exists(teams) | Exists(sites) | whole_centre)


def can_create_initiative(user):
    return staff_permissions.is_active_user(user) and (
        staff_permissions.is_hr(user) or staff_permissions.is_supervisor(user)
    )


def can_manage_initiative(user, initiative):
    """Edit the plan, move the status, decide: the owner and HR."""
    if not staff_permissions.is_active_user(user):
        return False
    if staff_permissions.is_hr(user):
        return True
    me = staff_permissions.employee_of(user)
    return me is not None and initiative.owner_id == me.pk


def can_edit_initiative_plan(user, initiative):
    """The plan is edited until the initiative closes."""
    return can_manage_initiative(user, initiative) and initiative.status != "closed"


def initiative_owners(user):
    """Whom ``user`` may make an initiative's owner (or a risk's): HR anyone active, a supervisor herself and her
    teams' people."""
    from staff.models import Stage as LifeStage

    return staff_permissions.visible_employees(user).exclude(stage=LifeStage.LEFT)


# == tasks ==
# Tasks (issue 14 §3, seed 002): supervisors, HR and initiative owners create them; everyone on a task (the overall
# owner, the assignee, stage owners and delegators, who stay accountable: 授权不授责), whoever leads any of them and
# HR see it. Acting follows the rules of improvement.task_rules; each service asks the predicate below.


def _task_people(user):
    """Employee ids whose tasks ``user`` sees besides HR: herself and the people of the teams she leads (a
    subquery, no join)."""
    from staff.models import Employee

    me = staff_permissions.employee_of(user)
    return Employee.objects.filter(Q(pk=me.pk) | Q(team__supervisor=me)).values("pk")


def visible_tasks(user):
    """The tasks ``user`` may see: HR all; anyone else those she or a person she leads is on (owner, assignee,
    stage owner, delegator)."""
    from .models import Stage as TaskStage
    from .models import Task

    if not staff_permissions.is_active_user(user):
        return Task.objects.none()
    if staff_permissions.is_hr(user):
        return Task.objects.all()
    if staff_permissions.employee_of(user) is None:
        return Task.objects.none()
    people = _task_people(user)
    on_stage = TaskStage.objects.filter(task=OuterRef("pk")).filter(Q(owner__in=people) | Q(delegated_by__in=people))
    return Task.objects.filter(Q(owner__in=people) | Q(assignee__in=people) | Exists(on_stage))


def can_create_task(user):
    """Supervisors, HR and initiative owners assign tasks."""
    from .models import Initiative

    if not staff_permissions.is_active_user(user):
        return False
    if staff_permissions.is_hr(user) or staff_permissions.is_supervisor(user):
        return True
    me = staff_permissions.employee_of(user)
    return me is not None and Initiative.objects.filter(owner=me).exists()


def can_view_team_tasks(user):
    return staff_permissions.is_hr(user) or staff_permissions.is_supervisor(user)


def task_assignable(user):
    """Whom ``user`` may give a task or a stage to: the active people she sees (a supervisor her teams, HR all)."""
    from staff.models import Stage as LifeStage

    return staff_permissions.visible_employees(user).exclude(stage=LifeStage.LEFT).filter(user__is_active=True)


def delegation_targets(user):
    """Whom ``user`` may hand a stage to: the active people she leads and the active colleagues of her team."""
    from staff.models import Employee
    from staff.models import Stage as LifeStage

    me = staff_permissions.employee_of(user)
    if me is None:
        return Employee.objects.none()
    team = Q(team_id=me.team_id) if me.team_id else Q(pk__in=[])
    colleagues = Employee.objects.filter(team | Q(pk__in=task_assignable(user).values("pk")))
    return colleagues.exclude(stage=LifeStage.LEFT).filter(user__is_active=True)


def _me_id(user):
    me = staff_permissions.employee_of(user)
    return me.pk if me is not None else None


def is_task_owner(user, task):
    return _me_id(user) is not None and task.owner_id == _me_id(user)


def is_task_assignee(user, task):
    return _me_id(user) is not None and task.assignee_id == _me_id(user)


def is_on_task(user, task, stages=None):
    """Owner, assignee, a stage owner or a delegator of ``task`` (``stages``: the task's stages when loaded)."""
    me = _me_id(user)
    if me is None:
        return False
    if me in (task.owner_id, task.assignee_id):
        return True
    stages = task.stages.all() if stages is None else stages
    return any(me in (stage.owner_id, stage.delegated_by_id) for stage in stages)


def can_work_stage(user, stage):
    """The stage owner, or who delegated it (she stays accountable), completes it."""
    me = _me_id(user)
    return me is not None and me in (stage.owner_id, stage.delegated_by_id)


def can_delegate_stage(user, stage):
    """The accountable person hands the stage on: its owner, or once delegated the delegator (a delegate does not
    hand it further)."""
    me = _me_id(user)
    return me is not None and me == (stage.delegated_by_id or stage.owner_id)


def can_cancel_task(user, task):
    return is_task_owner(user, task) or staff_permissions.is_hr(user)


# == follow-up ==
# Every agent's follow-up (issue 14 §4): she sees her own log and flags; whoever may coach her (her lead, her
# mentor, HR) sees and writes it; HR and the floor managers see each lead's follow-up record.


def can_view_followup(user, employee):
    """Her own follow-up, or a person the user may see who is not herself and whom she may coach."""
    if staff_permissions.is_self(user, employee):
        return True
    return can_follow_up(user, employee)


def can_follow_up(user, employee):
    """Log coaching, mark corrections done: training's rule for every agent's coaching log."""
    from training import permissions as training_permissions

    return training_permissions.can_coach_employee(user, employee)


def can_view_followup_list(user):
    """The list of people one follows up: those who lead, mentor or are HR."""
    return staff_permissions.is_hr(user) or staff_permissions.supervises_work(user) or staff_permissions.is_mentor(user)


def can_view_lead_followup(user):
    from .selectors.followup import is_floor_manager

    return staff_permissions.is_hr(user) or is_floor_manager(user)


def visible_risk_flags(user):
    """Flags as their people are seen (her own, her team's for a lead, her mentees' for a mentor, all for HR)."""
    from .models import RiskFlag

    if not staff_permissions.is_active_user(user):
        return RiskFlag.objects.none()
    if staff_permissions.is_hr(user):
        return RiskFlag.objects.all()
    return RiskFlag.objects.filter(employee__in=staff_permissions.visible_employees(user))
