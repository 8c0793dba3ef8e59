"""A playbook version's life (issue 12 §3, STYLE §2), pure: no database, tested exhaustively.

draft → consultation → pilot → published → retired, and consultation → published without a pilot. Only a draft
changes (its fields, steps and branches); from consultation on a version is fixed, and a published version is
replaced by a new one that supersedes it with a written reason. A version leaves consultation only when every
comment is answered. linkage.services.playbooks is the one writer of these moves.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Statuses as plain values, so that this module needs no models (they equal linkage.models.VersionStatus).
DRAFT = "draft"
CONSULTATION = "consultation"
PILOT = "pilot"
PUBLISHED = "published"
RETIRED = "retired"
STATUSES = (DRAFT, CONSULTATION, PILOT, PUBLISHED, RETIRED)

# The transition table: status → the statuses it may move to. Nothing else is allowed.
MOVES = {
    DRAFT: frozenset({CONSULTATION}),
    CONSULTATION: frozenset({PILOT, PUBLISHED}),
    PILOT: frozenset({PUBLISHED}),
    PUBLISHED: frozenset({RETIRED}),
    RETIRED: frozenset(),
}
IN_WORK = (DRAFT, CONSULTATION, PILOT)  # on its way to publication: one at a time per playbook
APPLIES = (PILOT, PUBLISHED)  # read, acknowledged and drilled by the people it applies to


def _label(status):
    return {
        DRAFT: _("a draft"),
        CONSULTATION: _("in consultation"),
        PILOT: _("in pilot"),
        PUBLISHED: _("published"),
        RETIRED: _("retired"),
    }.get(status, status)


def _move_label(target):
    return {
        DRAFT: _("go back to draft"),
        CONSULTATION: _("open for consultation"),
        PILOT: _("go to a pilot"),
        PUBLISHED: _("be published"),
        RETIRED: _("be retired"),
    }.get(target, target)


@dataclass(frozen=True)
class Decision:
    """Allowed or not, with the reasons (translated) when not."""

    allowed: bool
    reasons: tuple = ()

    def __bool__(self):
        return self.allowed


def _decide(reasons):
    return Decision(not reasons, tuple(reasons))


def is_editable(status):
    """Only a draft changes: its fields, steps and branches."""
    return status == DRAFT


def edit_refusal(status):
    """Why a version in ``status`` cannot be changed (translated); None for a draft."""
    if is_editable(status):
        return None
    return _("This version is %(status)s: only a draft can be changed. Start a new version to change it.") % {
        "status": _label(status)
    }


def can_move(current, target):
    return target in MOVES.get(current, ())


def move_decision(
    current, target, *, unanswered_comments=0, step_problems=(), pilot_team_count=None, retire_reason=None
) -> Decision:
    """Whether a version may go from ``current`` to ``target``, with every reason it may not.

    ``unanswered_comments``: the version's comments without an answer (none may be left when it leaves
    consultation); ``step_problems``: what linkage.steps found wrong with its steps (none may be left when it
    opens for consultation); ``pilot_team_count``: the teams named for a pilot (at least one);
    ``retire_reason``: why it is retired (required when given, i.e. when a person retires it)."""
    if current == target:
        return _decide([_("This version is already %(status)s.") % {"status": _label(current)}])
    if current == RETIRED:
        return _decide([_("This version is retired: nothing can change it.")])
    if not can_move(current, target):
        return _decide(
            [
                _("This version is %(status)s: it cannot %(move)s.")
                % {"status": _label(current), "move": _move_label(target)}
            ]
        )
    reasons = []
    if current == CONSULTATION and unanswered_comments > 0:
        reasons.append(
            ngettext(
                "%(count)d comment is not answered yet: answer it before the version goes on.",
                "%(count)d comments are not answered yet: answer each before the version goes on.",
                unanswered_comments,
            )
            % {"count": unanswered_comments}
        )
    if target == PILOT and pilot_team_count is not None and pilot_team_count < 1:
        reasons.append(_("Choose at least one pilot team."))
    if target == RETIRED and retire_reason is not None and not retire_reason.strip():
        reasons.append(_("Say why the version is retired."))
    reasons.extend(str(problem) for problem in step_problems)
    return _decide(reasons)


def start_decision(number, reason, *, in_work=None) -> Decision:
    """Whether version ``number`` of a playbook may be started: from version 2 on it needs a written reason (why
    it supersedes the published one); ``in_work`` is (number, status) of a version still on its way to
    publication, if any — one at a time, so that versions are published in their order."""
    reasons = []
    if in_work is not None:
        reasons.append(
            _("Version %(number)d is still %(status)s: carry it through before starting another.")
            % {"number": in_work[0], "status": _label(in_work[1])}
        )
    if number > 1 and not (reason or "").strip():
        reasons.append(_("Say why this version is needed: from version 2 on, a reason is required."))
    return _decide(reasons)


def comment_refusal(status, *, may_comment, is_open=True):
    """Why a comment cannot be added (translated), or None: only while the version is in consultation, until its
    end date (``is_open``), and only by the people it will apply to or HR (``may_comment``, from
    linkage.permissions.can_comment)."""
    if status != CONSULTATION:
        return _("Comments are taken only while a version is in consultation.")
    if not is_open:
        return _("The consultation has ended.")
    if not may_comment:
        return _("Only the people this version will apply to, and HR, can comment on it.")
    return None
