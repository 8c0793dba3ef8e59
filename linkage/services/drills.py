"""Every write of a drill (issue 12 §6, STYLE §2): schedule it with people cast into the version's roles, score
it step by step, cancel it.

Scoring locks the drill and returns at once when it is already scored, so a resubmitted result (a double tap on
the tablet, an API retry) changes nothing; a scored drill's KASH assessments carry an idempotency key per
participant as well. A practice drill is recorded but never counts: no assessment, no pass (seed 000)."""

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff import permissions as people
from staff.models import Stage
from training import permissions as training_permissions
from training.models import Source
from training.services import kash

from .. import drill_rules, permissions
from ..models import Drill, DrillMode, DrillParticipant, DrillStatus, PlaybookVersion, StepScore, VersionStatus


def _fail(reasons):
    raise ValidationError([str(reason) for reason in reasons])


# Schedule ----------------------------------------------------------------------------------------------------


def _version_problem(version, team):
    """Why ``version`` may not be drilled by ``team`` (None when it may): published, or a pilot of the team."""
    if version.status == VersionStatus.PUBLISHED:
        return None
    if version.status == VersionStatus.PILOT and version.pilot_teams.filter(pk=team.pk).exists():
        return None
    if version.status == VersionStatus.PILOT:
        return _("%(version)s is piloted by other teams, not by %(team)s.") % {"version": version, "team": team}
    return _("%(version)s is not published: only a published (or piloted) version is drilled.") % {"version": version}


def _cast_problems(version, cast, *, examiner, mentor):
    """What is wrong with ``cast`` [(employee, role)] for ``version`` (translated; empty when nothing)."""
    problems = []
    owners = set(version.steps.filter(is_scripted=True).values_list("owner_id", flat=True))
    if not cast:
        problems.append(_("Cast at least one person into a role that owns a scored step."))
    people_seen, roles_seen = set(), set()
    for employee, role in cast:
        names = {"person": employee.name, "role": role.name}
        if employee.pk in people_seen:
            problems.append(_("%(person)s is cast twice.") % names)
        if role.pk in roles_seen:
            problems.append(_("The role %(role)s is cast twice.") % names)
        people_seen.add(employee.pk)
        roles_seen.add(role.pk)
        if role.pk not in owners:
            problems.append(_("The role %(role)s owns no scored step of this version.") % names)
        if employee.stage == Stage.LEFT:
            problems.append(_("%(person)s has left.") % names)
        elif mentor is not None and employee.mentor_id != mentor.pk:
            problems.append(_("%(person)s is not your mentee.") % names)
        if examiner.user is None or not training_permissions.can_assess(examiner.user, employee, Source.EXAM):
            problems.append(_("%(examiner)s may not assess %(person)s.") % {**names, "examiner": examiner.name})
    return problems


@transaction.atomic
def _schedule(*, created_by, version, team, scheduled_for, cast, mode, examiner, notes, is_refresher, mentor=None):
    """Validate and write a drill (no permission check: schedule_drill and the refresher sweep ask first)."""
    version = PlaybookVersion.objects.select_for_update(of=("self",)).select_related("playbook").get(pk=version.pk)
    problems = []
    if (problem := _version_problem(version, team)) is not None:
        problems.append(problem)
    if mode not in DrillMode.values:
        problems.append(_("Unknown drill mode."))
    if examiner is None:
        problems.append(_("Name the examiner."))
    else:
        problems += _cast_problems(version, cast, examiner=examiner, mentor=mentor)
    if problems:
        _fail(problems)
    drill = Drill.objects.create(
        version=version,
        team=team,
        mode=mode,
        scheduled_for=scheduled_for,
        examiner=examiner,
        is_refresher=is_refresher,
        notes=(notes or "").strip(),
        created_by=created_by,
    )
    DrillParticipant.objects.bulk_create(
        DrillParticipant(drill=drill, employee=employee, role=role) for employee, role in cast
    )
    return drill


def schedule_drill(
    *,
    actor,
    version,
    team,
    scheduled_for,
    cast,
    mode=DrillMode.SCORED,
    examiner=None,
    notes="",
    is_refresher=False,
):
    """Schedule a drill of ``version`` for ``team`` with ``cast`` [(employee, LinkageRole)]. HR and the team's
    supervisor schedule any drill; a mentor only practice drills of her mentees. The examiner (the actor by
    default) must be allowed to assess every participant."""
    if not permissions.can_schedule_drill(actor, team):
        raise PermissionDenied(_("You may not schedule drills for this team."))
    me = people.employee_of(actor)
    as_mentor = not people.is_hr(actor) and not (me is not None and team.supervisor_id == me.pk)
    if as_mentor and mode != DrillMode.PRACTICE:
        raise ValidationError(_("A mentor schedules practice drills only."))
    return _schedule(
        created_by=actor,
        version=version,
        team=team,
        scheduled_for=scheduled_for,
        cast=list(cast),
        mode=mode,
        examiner=examiner or me,
        notes=notes,
        is_refresher=is_refresher,
        mentor=me if as_mentor else None,
    )


# Score -------------------------------------------------------------------------------------------------------


def _lock_drill(drill_id):
    return Drill.objects.select_for_update(of=("self",)).select_related("version__playbook", "team").get(pk=drill_id)


def _key(step_id):
    try:
        return int(step_id)
    except (TypeError, ValueError):
        return None


def _checked_scores(drill, steps, participants, scores):
    """{step: entry} for exactly each scripted step whose owner is cast; ValidationError naming each problem."""
    by_role = {participant.role_id: participant for participant in participants}
    by_id = {step.pk: step for step in steps}
    given = {_key(step_id): entry for step_id, entry in (scores or {}).items()}
    problems, checked = [], {}
    for step_id in given:
        step = by_id.get(step_id)
        if step is None:
            problems.append(_("A score names a step that is not in this version."))
        elif not step.is_scripted:
            problems.append(_("“%(step)s” is guidance only and is never scored.") % {"step": step.name})
        elif step.owner_id not in by_role:
            problems.append(
                _("Nobody was cast as %(role)s, who owns “%(step)s”: it cannot be scored.")
                % {"role": step.owner.name, "step": step.name}
            )
    for step in steps:
        if not step.is_scripted or step.owner_id not in by_role:
            continue
        entry = given.get(step.pk)
        if not isinstance(entry, dict):
            problems.append(_("Score “%(step)s”.") % {"step": step.name})
            continue
        if step.signal_id is not None and entry.get("signal_ok") is None:
            problems.append(_("Say whether the signal was used in “%(step)s”.") % {"step": step.name})
        seconds = entry.get("seconds")
        if seconds is not None and (not isinstance(seconds, int) or isinstance(seconds, bool) or seconds < 0):
            problems.append(_("The time taken in “%(step)s” is a whole number of seconds.") % {"step": step.name})
        checked[step] = entry
    if problems:
        _fail(problems)
    return checked, by_role


def _checks(score):
    """(met, total) of a step score's checks: action, hand-off, and the signal when the step names one."""
    marks = [score.action_ok, score.handoff_ok] + ([score.signal_ok] if score.signal_ok is not None else [])
    return sum(1 for mark in marks if mark), len(marks)


def _assess(drill, participant, owned, *, actor):
    """One submitted EXAM assessment of ``participant``: the indicators her steps name, each at the level of the
    checks of the steps naming it. None when her steps name no active indicator."""
    tally, names = defaultdict(lambda: [0, 0]), defaultdict(list)
    for step, score in owned:
        met, total = _checks(score)
        for indicator in step.indicators.all():
            if indicator.is_active:
                tally[indicator.pk][0] += met
                tally[indicator.pk][1] += total
                names[indicator.pk].append(f"{step.name} {'✓' if score.passed else '✗'}")
    if not tally:
        return None
    drill_day = timezone.localtime(drill.scheduled_for).date()
    return kash.create_assessment(
        actor=actor,
        subject=participant.employee,
        source=Source.EXAM,
        assessed_on=min(drill_day, timezone.localdate()),
        scores={pk: (drill_rules.level_for(met, total), ", ".join(names[pk])) for pk, (met, total) in tally.items()},
        context=_("Drill of %(playbook)s v%(n)s on %(day)s (drill %(id)s)")
        % {"playbook": drill.version.playbook.name, "n": drill.version.number, "day": drill_day, "id": drill.pk},
        submit=True,
        idempotency_key=f"linkage-drill:{drill.pk}:{participant.pk}",
    )


@transaction.atomic
def score_drill(*, actor, drill_id, scores, notes=""):
    """Record the examiner's result: one StepScore per scored step, each participant's pass, and for a scored
    drill one KASH assessment per participant. A drill already scored is returned unchanged."""
    drill = _lock_drill(drill_id)
    if not permissions.examines(actor, drill):
        raise PermissionDenied(_("Only the drill's examiner or HR scores it."))
    if drill.status == DrillStatus.SCORED:
        return drill
    if drill.status != DrillStatus.SCHEDULED:
        raise ValidationError(_("This drill was cancelled and cannot be scored."))
    steps = list(drill.version.steps.select_related("owner").prefetch_related("indicators"))
    participants = list(drill.participants.select_related("employee__team", "role"))
    checked, by_role = _checked_scores(drill, steps, participants, scores)
    rows = []
    for step, entry in checked.items():
        has_signal = step.signal_id is not None
        signal_ok = bool(entry.get("signal_ok")) if has_signal else None
        action_ok, handoff_ok = bool(entry.get("action_ok")), bool(entry.get("handoff_ok"))
        rows.append(
            StepScore(
                drill=drill,
                step=step,
                participant=by_role[step.owner_id],
                action_ok=action_ok,
                handoff_ok=handoff_ok,
                signal_ok=signal_ok,
                seconds=entry.get("seconds"),
                passed=drill_rules.step_passed(
                    action_ok=action_ok, handoff_ok=handoff_ok, signal_ok=signal_ok, has_signal=has_signal
                ),
                notes=(entry.get("notes") or "").strip(),
            )
        )
    StepScore.objects.bulk_create(rows)
    owned = defaultdict(list)
    for row in rows:
        owned[row.participant.pk].append((row.step, row))
    for participant in participants:
        mine = owned[participant.pk]
        participant.passed = all(score.passed for _step, score in mine) if drill.counts else None
    DrillParticipant.objects.bulk_update(participants, ["passed"])
    drill.status = DrillStatus.SCORED
    drill.scored_at = timezone.now()
    drill.scored_by = actor
    if notes and notes.strip():
        drill.notes = "\n\n".join(filter(None, [drill.notes, notes.strip()]))
    drill.save(update_fields=["status", "scored_at", "scored_by", "notes"])
    if drill.counts:
        for participant in participants:
            _assess(drill, participant, owned[participant.pk], actor=actor)
    return drill


# Cancel ------------------------------------------------------------------------------------------------------


@transaction.atomic
def cancel_drill(*, actor, drill_id, reason):
    """Cancel a scheduled drill with a reason (HR, the team's supervisor or the examiner). Cancelling a drill
    already cancelled changes nothing; a scored drill stays scored."""
    drill = _lock_drill(drill_id)
    if not (permissions.leads_drill(actor, drill) or permissions.examines(actor, drill)):
        raise PermissionDenied(_("You may not cancel this drill."))
    if drill.status == DrillStatus.CANCELLED:
        return drill
    if drill.status != DrillStatus.SCHEDULED:
        raise ValidationError(_("This drill is scored and can no longer be cancelled."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the drill is cancelled.")})
    drill.status = DrillStatus.CANCELLED
    drill.cancel_reason = reason
    drill.save(update_fields=["status", "cancel_reason"])
    return drill


def refresher_time(expires_on, today):
    """When a refresher drill is set: the earlier of the expiry and a week from today, never before today, at
    10:00 local time."""
    day = max(today, min(expires_on, today + datetime.timedelta(days=7)))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
