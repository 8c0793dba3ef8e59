"""Every write of a playbook's versions (issue 12 §2–§3, STYLE §2): start a version, edit a draft's fields, steps
and branches, and move it draft → consultation → pilot → published → retired.

Each move locks the playbook and the version, returns at once when the version is already there, asks
linkage.versions whether the move is allowed, saves with update_fields and writes a VersionEvent (actor, from, to,
reason). Every writer of a version's content refuses anything but a draft: a version is fixed from consultation
on. The database backs this up (one published version per playbook; a reason from version 2 on)."""

import datetime
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from staff import permissions as people
from staff.models import Team

from .. import notify, permissions, versions
from .. import steps as step_rules
from ..models import Branch, Comment, Playbook, PlaybookVersion, Step, VersionEvent, VersionStatus
from . import onboarding
from .kit import kit_gaps

VERSION_FIELDS = ("topic_en", "topic_zh", "trigger_en", "trigger_zh", "keywords", "reason")
STEP_FIELDS = (
    "order",
    "code",
    "name_en",
    "name_zh",
    "owner",
    "guidance_en",
    "guidance_zh",
    "is_scripted",
    "handoff_en",
    "handoff_zh",
    "receiver",
    "signal",
    "expected_seconds",
)


@dataclass(frozen=True)
class Publication:
    """What publishing did: the version, the version it retired (or None), and the support-kit items missing at
    the sites it now applies to (linkage.services.kit.kit_gaps), to warn about."""

    version: PlaybookVersion
    retired: PlaybookVersion | None = None
    kit_gaps: tuple = ()


# Locks and facts ---------------------------------------------------------------------------------------------


def _lock(version):
    """Lock the playbook, then the version (always in this order: every move of a playbook's versions is
    serialised, so two publishes at once end with one published version)."""
    Playbook.objects.select_for_update().get(pk=version.playbook_id)
    return PlaybookVersion.objects.select_for_update(of=("self",)).select_related("playbook").get(pk=version.pk)


def _editable(version):
    """The locked version, or ValidationError when it is not a draft."""
    locked = PlaybookVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
    refusal = versions.edit_refusal(locked.status)
    if refusal:
        raise ValidationError(refusal)
    return locked


def _fail(reasons):
    raise ValidationError([str(reason) for reason in reasons])


def facts_of(step, *, owners=None):
    return step_rules.StepFacts(
        key=step.pk,
        order=step.order,
        code=step.code,
        owners=step_rules.owners_of(step.owner_id if owners is None else owners),
        is_scripted=step.is_scripted,
        handoff=step.handoff_en or step.handoff_zh,
        receiver=step.receiver_id,
        name=step.name,
    )


def outside_targets(playbook_id):
    """Keys of the steps a branch may reach in other playbooks: those of their published or pilot versions."""
    return frozenset(
        Step.objects.filter(version__status__in=versions.APPLIES)
        .exclude(version__playbook_id=playbook_id)
        .values_list("pk", flat=True)
    )


def problems_of_version(version):
    """What linkage.steps finds wrong with ``version``'s steps and branches (translated)."""
    rows = list(version.steps.all())
    branches = Branch.objects.filter(step__version=version).values_list("step_id", "target_id")
    return step_rules.step_problems(
        [facts_of(step) for step in rows],
        [step_rules.BranchFacts(step_id, target_id) for step_id, target_id in branches],
        outside_targets=outside_targets(version.playbook_id),
    )


def _unanswered(version):
    return version.comments.filter(answered_at__isnull=True).count()


def _event(version, from_status, to_status, *, actor, reason=""):
    return VersionEvent.objects.create(
        version=version, from_status=from_status, to_status=to_status, actor=actor, reason=(reason or "").strip()
    )


def _move(version, target, *, actor, reason="", fields=(), **checks):
    """Check the move with linkage.versions, then save the status (and ``fields``) and write the event."""
    decision = versions.move_decision(version.status, target, **checks)
    if not decision:
        _fail(decision.reasons)
    from_status = version.status
    version.status = target
    version.save(update_fields=["status", *fields])
    _event(version, from_status, target, actor=actor, reason=reason)
    return version


# Starting a version and editing a draft ----------------------------------------------------------------------


@transaction.atomic
def start_version(*, actor, playbook, reason="", from_version=None, **fields):
    """A new draft of ``playbook``, numbered next. With ``from_version`` it starts as a copy of it: its fields,
    its steps (with their indicators) and its branches (those within the version re-pointed to the copies,
    those to other playbooks kept); ``fields`` (topic, trigger, keywords) override. From version 2 on it needs
    a reason; only one version of a playbook is on its way to publication at a time."""
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise TypeError(f"start_version() got unexpected fields: {sorted(unknown)}")
    playbook = Playbook.objects.select_for_update().get(pk=playbook.pk)
    if from_version is not None and from_version.playbook_id != playbook.pk:
        raise ValidationError(_("A version can only be copied from a version of the same playbook."))
    number = (playbook.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    in_work = playbook.versions.filter(status__in=versions.IN_WORK).values_list("number", "status").first()
    decision = versions.start_decision(number, reason, in_work=in_work)
    if not decision:
        _fail(decision.reasons)
    values = {name: getattr(from_version, name) for name in VERSION_FIELDS[:5]} if from_version else {}
    values.update(fields)
    version = PlaybookVersion.objects.create(
        playbook=playbook, number=number, reason=(reason or "").strip(), created_by=actor, **values
    )
    if from_version is not None:
        _copy_steps(from_version, version)
    _event(version, "", VersionStatus.DRAFT, actor=actor, reason=reason)
    return version


def _copy_steps(source, version):
    originals = list(source.steps.prefetch_related("indicators"))
    copies = Step.objects.bulk_create(
        [
            Step(
                version=version,
                **{name: getattr(step, name) for name in STEP_FIELDS if name != "owner"},
                owner_id=step.owner_id,
            )
            for step in originals
        ]
    )
    copy_of = {old.pk: new.pk for old, new in zip(originals, copies, strict=True)}
    links = Step.indicators.through
    links.objects.bulk_create(
        [links(step_id=copy_of[old.pk], indicator_id=i.pk) for old in originals for i in old.indicators.all()]
    )
    Branch.objects.bulk_create(
        [
            Branch(
                step_id=copy_of[branch.step_id],
                target_id=copy_of.get(branch.target_id, branch.target_id),
                condition_en=branch.condition_en,
                condition_zh=branch.condition_zh,
            )
            for branch in Branch.objects.filter(step__version=source)
        ]
    )


@transaction.atomic
def update_draft(*, actor, version, **fields):
    """Change a draft's topic, trigger, keywords or reason; anything but a draft is refused."""
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise TypeError(f"update_draft() got unexpected fields: {sorted(unknown)}")
    version = _editable(version)
    for name, value in fields.items():
        setattr(version, name, value)
    decision = versions.start_decision(version.number, version.reason)
    if not decision:
        raise ValidationError({"reason": list(decision.reasons)})
    version.full_clean(exclude=["playbook", "supersedes", "created_by"])
    version.save(update_fields=list(fields))
    return version


@transaction.atomic
def save_step(*, actor, version, step=None, indicators=None, **fields):
    """Add a step to a draft (``step`` None) or change one of its steps. ``owner`` must be exactly one role (a
    list of several, or none, is refused); ``indicators``: the KASH indicators it exercises (None keeps them)."""
    unknown = set(fields) - set(STEP_FIELDS)
    if unknown:
        raise TypeError(f"save_step() got unexpected fields: {sorted(unknown)}")
    version = _editable(version)
    if step is not None and step.version_id != version.pk:
        raise ValidationError(_("This step belongs to another version."))
    row = Step.objects.get(pk=step.pk) if step is not None else Step(version=version)
    owners = step_rules.owners_of(fields.pop("owner", row.owner if row.owner_id else None))
    for name, value in fields.items():
        setattr(row, name, value)
    others = [facts_of(other) for other in version.steps.exclude(pk=row.pk)]
    facts = facts_of(row, owners=[owner.pk if hasattr(owner, "pk") else owner for owner in owners])
    problems = step_rules.problems_of(facts) + step_rules.duplicate_problems([*others, facts])
    if problems:
        _fail(problems)
    if hasattr(owners[0], "pk"):
        row.owner = owners[0]
    else:
        row.owner_id = owners[0]
    row.full_clean(exclude=["version", "indicators"])
    row.save()
    if indicators is not None:
        row.indicators.set(indicators)
    return row


@transaction.atomic
def delete_step(*, actor, step):
    """Remove a step from a draft, with the branches from and to it."""
    _editable(step.version)
    Branch.objects.filter(target=step, step__version_id=step.version_id).delete()
    Step.objects.filter(pk=step.pk).delete()


@transaction.atomic
def save_branch(*, actor, step, target, condition_en, condition_zh, branch=None):
    """Add (or change) a branch of a draft's step: when ``condition`` holds, go to ``target``, a step of this
    version or of the published or pilot version of another playbook."""
    version = _editable(step.version)
    if branch is not None and branch.step.version_id != version.pk:
        raise ValidationError(_("This branch belongs to another version."))
    own = list(version.steps.all())
    outside = frozenset()
    if target.version_id != version.pk:
        outside = outside_targets(version.playbook_id)
    problems = step_rules.branch_problems(
        [facts_of(s) for s in own], [step_rules.BranchFacts(step.pk, target.pk)], outside_targets=outside
    )
    if problems:
        _fail(problems)
    row = Branch.objects.get(pk=branch.pk) if branch is not None else Branch()
    row.step, row.target, row.condition_en, row.condition_zh = step, target, condition_en, condition_zh
    row.full_clean(exclude=["step", "target"])
    row.save()
    return row


@transaction.atomic
def delete_branch(*, actor, branch):
    """Remove a branch of a draft's step."""
    _editable(branch.step.version)
    Branch.objects.filter(pk=branch.pk).delete()


# Consultation --------------------------------------------------------------------------------------------------


@transaction.atomic
def open_consultation(*, actor, version, days, today=None):
    """Open a draft for consultation for ``days`` days, once its steps pass linkage.steps; from now on it is
    fixed. Opening it again changes nothing."""
    version = _lock(version)
    if version.status == VersionStatus.CONSULTATION:
        return version
    if not isinstance(days, int) or days < 1:
        raise ValidationError({"days": _("A consultation lasts at least one day.")})
    problems = problems_of_version(version) if version.status == VersionStatus.DRAFT else ()
    version.consultation_ends_on = (today or timezone.localdate()) + datetime.timedelta(days=days)
    return _move(
        version, VersionStatus.CONSULTATION, actor=actor, fields=["consultation_ends_on"], step_problems=problems
    )


@transaction.atomic
def add_comment(*, user, version, body, step=None, today=None):
    """A comment by ``user``'s employee record on a version in consultation, until its end date, when it will
    apply to her or she is HR (linkage.permissions.can_comment, asked of the locked version)."""
    version = PlaybookVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
    today = today or timezone.localdate()
    is_open = version.consultation_ends_on is None or today <= version.consultation_ends_on
    may_comment = permissions.can_comment(user, version)
    refusal = versions.comment_refusal(version.status, may_comment=may_comment, is_open=is_open)
    if refusal:
        raise ValidationError(refusal)
    if step is not None and step.version_id != version.pk:
        raise ValidationError({"step": _("This step belongs to another version.")})
    if not (body or "").strip():
        raise ValidationError({"body": _("Write the comment.")})
    author = people.employee_of(user)
    return Comment.objects.create(version=version, step=step, author=author, body=body.strip())


@transaction.atomic
def answer_comment(*, actor, comment, answer):
    """HR answers a comment while its version is in consultation; answering again replaces the answer."""
    version = PlaybookVersion.objects.select_for_update(of=("self",)).get(pk=comment.version_id)
    if version.status != VersionStatus.CONSULTATION:
        raise ValidationError(_("Comments are answered only while the version is in consultation."))
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Write the answer.")})
    comment = Comment.objects.get(pk=comment.pk)
    comment.answer, comment.answered_by, comment.answered_at = answer.strip(), actor, timezone.now()
    comment.save(update_fields=["answer", "answered_by", "answered_at"])
    return comment


# Rollout -------------------------------------------------------------------------------------------------------


@transaction.atomic
def start_pilot(*, actor, version, teams):
    """Publish a version that has left consultation (every comment answered) to its pilot teams only; their
    members are told. Starting it again changes nothing."""
    version = _lock(version)
    if version.status == VersionStatus.PILOT:
        return version
    teams = list(teams)
    _move(
        version, VersionStatus.PILOT, actor=actor, unanswered_comments=_unanswered(version), pilot_team_count=len(teams)
    )
    version.pilot_teams.set(teams)
    _after_commit(notify.version_piloted, version.pk)
    return version


@transaction.atomic
def publish(*, actor, version):
    """Publish a version to all teams (every comment answered): the published version of its playbook is retired
    in the same transaction and superseded by it, with an event for each. Publishing again changes nothing.
    Returns a Publication with the support-kit items missing at the sites it applies to."""
    version = _lock(version)
    if version.status == VersionStatus.PUBLISHED:
        return Publication(version, None, kit_warnings(version))
    decision = versions.move_decision(version.status, VersionStatus.PUBLISHED, unanswered_comments=_unanswered(version))
    if not decision:
        _fail(decision.reasons)
    current = (
        PlaybookVersion.objects.select_for_update(of=("self",))
        .filter(playbook_id=version.playbook_id, status=VersionStatus.PUBLISHED)
        .first()
    )
    if current is not None:
        _move(current, VersionStatus.RETIRED, actor=actor, reason=version.reason)
        version.supersedes = current
    version.published_at = timezone.now()
    _move(version, VersionStatus.PUBLISHED, actor=actor, fields=["supersedes", "published_at"])
    _after_commit(notify.version_published, version.pk)
    onboarding.sync_playbook_activity(version.playbook)
    return Publication(version, current, kit_warnings(version))


@transaction.atomic
def retire(*, actor, version, reason):
    """Withdraw a published version without a successor, saying why. Retiring it again changes nothing."""
    version = _lock(version)
    if version.status == VersionStatus.RETIRED:
        return version
    _move(version, VersionStatus.RETIRED, actor=actor, reason=reason, retire_reason=reason)
    onboarding.sync_playbook_activity(version.playbook)
    return version


def kit_warnings(version):
    """The support-kit items not in place at the sites ``version`` now applies to: every site with a team when
    published, the pilot teams' sites in a pilot (issue 12 §4: publishing to a site with missing items warns)."""
    teams = Team.objects.all() if version.status == VersionStatus.PUBLISHED else version.pilot_teams.all()
    return tuple(kit_gaps(playbook=version.playbook, sites=teams.values("department__site_id")))


def _after_commit(follow_up, version_id):
    """Tell the members once the move is committed (linkage.notify; its keys make a second call write nothing)."""
    transaction.on_commit(partial(follow_up, version_id))
