"""Who may do what in incentives (STYLE §4), built on the people scopes of staff/permissions.py. Every page and
endpoint of the app asks here.

- Anyone with an employee record recognises the colleagues of her team, the people she leads or mentors
  (visible_employees) — never herself, never someone who left.
- A recognition is seen by its giver and recipients, by the people of their teams and by whoever leads those
  teams; HR sees all. The wall shows one team's (the caller's own by default).
- The ledger: each person her own entries; HR all (and only HR writes a reversal).
"""

from django.db.models import Q

from staff import permissions as staff_permissions


def _me(user):
    return staff_permissions.employee_of(user)


def can_give_recognition(user):
    from staff.models import Stage

    me = _me(user)
    return me is not None and me.stage != Stage.LEFT


def recognisable_employees(user):
    """Whom ``user`` may recognise: active colleagues of her team and the people she sees, never herself."""
    from staff.models import Employee, Stage

    me = _me(user)
    if me is None:
        return Employee.objects.none()
    team = Q(team_id=me.team_id) if me.team_id else Q(pk__in=[])
    seen = Q(pk__in=staff_permissions.visible_employees(user).values("pk"))
    return Employee.objects.filter(team | seen).exclude(pk=me.pk).exclude(stage=Stage.LEFT).filter(user__is_active=True)


def _my_teams(me):
    from staff.models import Team

    return Team.objects.filter(Q(supervisor=me) | Q(pk=me.team_id or 0))


def recognitions_involving(people):
    """Recognitions given or received by one of ``people`` (an Employee queryset): the union of two index scans
    (by giver, by recipient), so a team's wall never scans the whole centre's year of recognition."""
    from .models import Recognition, RecognitionRecipient

    given = Recognition.objects.filter(giver__in=people.values("pk")).order_by().values("pk")
    received = RecognitionRecipient.objects.filter(employee__in=people.values("pk")).order_by().values("recognition")
    return Recognition.objects.filter(pk__in=given.union(received))


def visible_recognitions(user):
    """Recognitions ``user`` may see: HR all; anyone else those given or received by herself or by a member of the
    teams she is in or leads."""
    from staff.models import Employee

    from .models import Recognition

    if not staff_permissions.is_active_user(user):
        return Recognition.objects.none()
    if staff_permissions.is_hr(user):
        return Recognition.objects.all()
    me = _me(user)
    if me is None:
        return Recognition.objects.none()
    return recognitions_involving(Employee.objects.filter(Q(pk=me.pk) | Q(team__in=_my_teams(me))))


def wall_teams(user):
    """The teams whose wall ``user`` may open: HR all, a supervisor those she leads, anyone her own."""
    return staff_permissions.visible_teams(user)


def can_view_wall(user):
    return staff_permissions.is_active_user(user) and (staff_permissions.is_hr(user) or _me(user) is not None)


def can_react(user, recognition):
    """Anyone with an employee record who sees the recognition (its recipients too)."""
    return _me(user) is not None and visible_recognitions(user).filter(pk=recognition.pk).exists()


def can_view_my_points(user):
    return _me(user) is not None


def visible_points_entries(user):
    """Her own entries; HR all."""
    from .models import PointsEntry

    if not staff_permissions.is_active_user(user):
        return PointsEntry.objects.none()
    if staff_permissions.is_hr(user):
        return PointsEntry.objects.all()
    me = _me(user)
    if me is None:
        return PointsEntry.objects.none()
    return PointsEntry.objects.filter(employee=me)


def can_reverse_entry(user):
    return staff_permissions.is_active_user(user) and staff_permissions.is_hr(user)


def is_leader(employee):
    """A supervisor (leads a team) or a manager gets the larger monthly allowance."""
    from staff.models import Stage, Team

    return employee.stage == Stage.MANAGEMENT or Team.objects.filter(supervisor=employee).exists()


# == rewards ==
# The catalogue is open to everyone who may hold points (and HR); an employee redeems from her own balance; HR
# decides redemptions.


def can_view_rewards(user):
    return staff_permissions.is_active_user(user) and (staff_permissions.is_hr(user) or _me(user) is not None)


def can_redeem(user):
    return can_give_recognition(user)


def can_decide_redemptions(user):
    return staff_permissions.is_active_user(user) and staff_permissions.is_hr(user)


def visible_redemptions(user):
    """Her own redemptions; HR all (HR decides them)."""
    from .models import Redemption

    if not staff_permissions.is_active_user(user):
        return Redemption.objects.none()
    if staff_permissions.is_hr(user):
        return Redemption.objects.all()
    me = _me(user)
    return Redemption.objects.filter(employee=me) if me is not None else Redemption.objects.none()


# == honours ==
# Award programmes (issue 15 §3): HR sees all; anyone else the shown programmes of the whole centre, of her team's
# site or team (or of the teams she leads), and those she decides. A programme names who may nominate (HR always
# may) and who decides (HR, or a named decider). Nominations are seen by HR, the programme's decider, the nominator,
# the nominee and the supervisor of the nominee's team; a winner's is published to whoever sees the programme.
# A person's honours are seen by whoever may see the person (staff's people scopes).


def visible_programmes(user):
    from staff.models import Site

    from .models import AwardProgramme

    if not staff_permissions.is_active_user(user):
        return AwardProgramme.objects.none()
    if staff_permissions.is_hr(user):
        return AwardProgramme.objects.all()
    me = _me(user)
    if me is None:
        return AwardProgramme.objects.none()
    teams = _my_teams(me)
    sites = Site.objects.filter(departments__teams__in=teams).values("pk")
    in_scope = Q(site=None, team=None) | Q(team__in=teams) | Q(site__in=sites)
    return AwardProgramme.objects.filter(Q(is_active=True) & in_scope | Q(decider=me))


def can_view_programmes(user):
    return staff_permissions.is_active_user(user) and (staff_permissions.is_hr(user) or _me(user) is not None)


def programme_people(programme):
    """The active people a programme covers: the whole centre, a site's or a team's."""
    from staff.models import Employee, Stage

    people = Employee.objects.exclude(stage=Stage.LEFT).filter(user__is_active=True)
    if programme.team_id:
        return people.filter(team_id=programme.team_id)
    if programme.site_id:
        return people.filter(team__department__site_id=programme.site_id)
    return people


def may_nominate(user, programme):
    """The programme lets ``user`` nominate (the window and the nominee are honours_rules' business)."""
    from staff.models import Stage

    from .models import Nominators

    if not staff_permissions.is_active_user(user):
        return False
    if staff_permissions.is_hr(user):
        return True
    me = _me(user)
    if me is None or me.stage == Stage.LEFT:
        return False
    if programme.nominators == Nominators.EVERYONE:
        return True
    return programme.nominators == Nominators.SUPERVISORS and staff_permissions.is_supervisor(user)


def nominable_employees(user, programme):
    """Whom ``user`` may nominate in ``programme``: HR anyone it covers; others the colleagues of their team and the
    people they see (as for recognition), among those it covers — never herself."""
    people = programme_people(programme)
    if not staff_permissions.is_hr(user):
        people = people.filter(pk__in=recognisable_employees(user).values("pk"))
    me = _me(user)
    return people.exclude(pk=me.pk) if me is not None else people


def may_decide(user, programme):
    """HR decides a programme HR decides; the named decider hers. Deciding on oneself is refused by the rules."""
    from .models import Deciders

    if not staff_permissions.is_active_user(user):
        return False
    if programme.decided_by == Deciders.HR:
        return staff_permissions.is_hr(user)
    me = _me(user)
    return me is not None and programme.decider_id == me.pk


def visible_nominations(user):
    from .models import Nomination, NominationStatus

    if not staff_permissions.is_active_user(user):
        return Nomination.objects.none()
    if staff_permissions.is_hr(user):
        return Nomination.objects.all()
    me = _me(user)
    if me is None:
        return Nomination.objects.none()
    published = Q(status=NominationStatus.WON, programme__in=visible_programmes(user).values("pk"))
    involved = Q(nominator=user) | Q(nominee=me) | Q(nominee__team__supervisor=me) | Q(programme__decider=me)
    return Nomination.objects.filter(involved | published)


def can_view_my_honours(user):
    return _me(user) is not None


def honour_people(user):
    """Whose honours timeline ``user`` may open: the people she may see."""
    return staff_permissions.visible_employees(user)


# == pk ==
# PK boards are the floor's wall display: everyone with an account in the centre (and HR) sees every competition and
# its standings. HR organises any PK; a supervisor organises team and external project PKs between the teams of her
# sites. The organiser (and HR) enters external results and may close early. Each person's part of a reward split
# is seen by HR, the organiser and the winner's supervisor; everyone else sees the role totals and her own line.


def can_view_pk(user):
    return staff_permissions.is_active_user(user) and (staff_permissions.is_hr(user) or _me(user) is not None)


def visible_competitions(user):
    from .models import PkCompetition

    return PkCompetition.objects.all() if can_view_pk(user) else PkCompetition.objects.none()


def can_create_pk(user):
    return staff_permissions.is_active_user(user) and (
        staff_permissions.is_hr(user) or staff_permissions.is_supervisor(user)
    )


def pk_kinds(user):
    """The kinds of PK ``user`` may organise: a site PK is HR's."""
    from .models import PkKind

    if not can_create_pk(user):
        return []
    if staff_permissions.is_hr(user):
        return list(PkKind)
    return [PkKind.TEAM, PkKind.EXTERNAL]


def pk_teams(user):
    """Teams ``user`` may enter in a PK: HR all; a supervisor the teams of the sites of the teams she leads."""
    from staff.models import Team

    if not can_create_pk(user):
        return Team.objects.none()
    if staff_permissions.is_hr(user):
        return Team.objects.all()
    led = Team.objects.filter(supervisor=_me(user)).values("department__site")
    return Team.objects.filter(department__site__in=led)


def pk_sites(user):
    from staff.models import Site

    return Site.objects.all() if staff_permissions.is_hr(user) and can_create_pk(user) else Site.objects.none()


def can_manage_pk(user, competition):
    """Enter external results, close early: HR and the organiser."""
    return staff_permissions.is_active_user(user) and (
        staff_permissions.is_hr(user) or competition.created_by_id == user.pk
    )


def can_see_every_award(user, competition, participant_team_ids):
    """Each person's amount: HR, the organiser, the supervisor of a winning team."""
    if can_manage_pk(user, competition):
        return True
    from staff.models import Team

    me = _me(user)
    return me is not None and Team.objects.filter(pk__in=participant_team_ids, supervisor=me).exists()


# == pulse ==
# Pulse surveys (issue 15 §5) ask the active employees of a team in the survey's scope who lead no team (the
# questions are about their supervision); each answers an open wave once, write-only. Results are for HR (any team)
# and a supervisor (her teams), always under the rule of five (incentives.selectors.pulse). The Herzberg balance
# view (§6): a supervisor for the teams she leads, HR any team. Surveys are HR's, in the admin.


def pulse_invitees(survey):
    """Whom ``survey`` asks: active employees with a team in its site (or the centre) who lead no team."""
    from staff.models import Employee, Stage, Team

    rows = Employee.objects.filter(team__isnull=False, user__is_active=True).exclude(stage=Stage.LEFT)
    if survey.site_id:
        rows = rows.filter(team__department__site_id=survey.site_id)
    return rows.exclude(pk__in=Team.objects.filter(supervisor__isnull=False).values("supervisor_id"))


def can_answer_pulse(user):
    from staff.models import Stage, Team

    me = _me(user)
    return (
        me is not None
        and me.team_id is not None
        and me.stage != Stage.LEFT
        and not Team.objects.filter(supervisor=me).exists()
    )


def answerable_waves(user, today):
    """The open waves ``user`` may still answer (none when she may not answer at all)."""
    from .models import Wave
    from .selectors import pulse as pulse_selectors

    if not can_answer_pulse(user):
        return Wave.objects.none()
    return pulse_selectors.open_waves_for(_me(user), today)


def can_view_pulse_results(user):
    return staff_permissions.is_active_user(user) and (
        staff_permissions.is_hr(user) or staff_permissions.is_supervisor(user)
    )


def led_teams(user):
    """Teams whose pulse results and balance ``user`` may read: HR all, a supervisor those she leads."""
    from staff.models import Team

    if not staff_permissions.is_active_user(user):
        return Team.objects.none()
    if staff_permissions.is_hr(user):
        return Team.objects.all()
    me = _me(user)
    if me is None:
        return Team.objects.none()
    return Team.objects.filter(supervisor=me)


def can_view_site_results(user):
    """A site's or the centre's results without naming a team: HR only."""
    return staff_permissions.is_active_user(user) and staff_permissions.is_hr(user)


def can_view_balance(user):
    return can_view_pulse_results(user)


# == rules ==
# Rules as written (issue 15 §8): the catalogue is open to every active user (a rule no one can read is not a rule);
# HR applies any rule to anyone, a team lead to the people she leads (never to herself); HR reads the exceptions.


def can_view_rules(user):
    return staff_permissions.is_active_user(user)


def can_apply_rules(user):
    return staff_permissions.is_active_user(user) and (
        staff_permissions.is_hr(user) or staff_permissions.is_supervisor(user)
    )


def rule_targets(user):
    """Whom ``user`` may apply a rule to: everyone still here for HR; a lead's own people; never herself."""
    from staff.models import Employee, Stage, Team

    if not can_apply_rules(user):
        return Employee.objects.none()
    people = Employee.objects.exclude(stage=Stage.LEFT)
    if staff_permissions.is_hr(user):
        me = _me(user)
        return people.exclude(pk=me.pk) if me is not None else people
    me = _me(user)
    return people.filter(team__in=Team.objects.filter(supervisor=me)).exclude(pk=me.pk)


def can_apply_rule_to(user, employee):
    return rule_targets(user).filter(pk=employee.pk).exists()


def can_view_rule_exceptions(user):
    return staff_permissions.is_active_user(user) and staff_permissions.is_hr(user)


# == rituals ==
# Welcome and farewell cards (issue 15 §1): the card's team, its lead and HR see it, and the person it is for; the
# team and its lead sign it (not the person it is for, not someone who left).


def visible_cards(user):
    from staff.models import Team

    from .models import TeamCard

    if not staff_permissions.is_active_user(user):
        return TeamCard.objects.none()
    if staff_permissions.is_hr(user):
        return TeamCard.objects.all()
    me = _me(user)
    if me is None:
        return TeamCard.objects.none()
    return TeamCard.objects.filter(
        Q(team_id=me.team_id) | Q(team__in=Team.objects.filter(supervisor=me)) | Q(employee=me)
    )


def can_sign_card(user, card):
    from staff.models import Stage

    me = _me(user)
    if me is None or me.stage == Stage.LEFT or me.pk == card.employee_id:
        return False
    return me.team_id == card.team_id or card.team.supervisor_id == me.pk
