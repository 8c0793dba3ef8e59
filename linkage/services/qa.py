"""QA spot checks (issue 13 §4, seed 003): the weekly sample, reviews, findings, disputes and decisions.

The sample is drawn set-based — a handful of queries whatever the number of agents: one INSERT … SELECT for the
issuances and one for the cases, the hash and the anomalies computed by the database (linkage.sampling's rules) —
with ON CONFLICT DO NOTHING on the "each item once" constraints, so a rerun or a second worker adds nothing."""

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case as Choice
from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import MD5, Cast, Collate, Concat, Substr
from django.db.models.lookups import GreaterThan, LessThan
from django.utils import timezone
from django.utils.translation import gettext as _

from staff import permissions as people

from .. import permissions
from .. import sampling as rules
from ..models import (
    AuthorityLimit,
    Case,
    CaseStatus,
    Finding,
    FindingStatus,
    Grade,
    GradeHolding,
    Issuance,
    QAReview,
    QASample,
    QASettings,
    ReviewResult,
)

QA_COACHING = "linkage_qa_coaching"


def _start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _agent_rates(settings, week_start):
    """{employee id: (rate, reason)} for agents with a grade at ``week_start``, and the default for the others."""
    grades = {g.pk: g.qa_rate for g in Grade.objects.all()}
    lowest = Grade.objects.order_by("rank").values_list("qa_rate", flat=True).first() or 0
    holdings = {}
    for employee_id, grade_id, since in (
        GradeHolding.objects.filter(since__lte=week_start)
        .order_by("employee_id", "since", "pk")
        .values_list("employee_id", "grade_id", "since")
    ):
        holdings[employee_id] = (grade_id, since)  # the newest wins
    recent = set(
        Finding.objects.filter(
            status=FindingStatus.CONFIRMED,
            review__reviewed_at__gte=week_start - datetime.timedelta(days=settings.finding_days),
        ).values_list("agent_id", flat=True)
    )
    new_since = week_start - datetime.timedelta(days=settings.new_holder_days)
    rates = {}
    for employee_id in set(holdings) | recent:
        grade_id, since = holdings.get(employee_id, (None, None))
        rates[employee_id] = rules.agent_rate(
            grades.get(grade_id, lowest),
            recent_finding=settings.finding_rate if employee_id in recent else None,
            new_holder=settings.new_holder_rate if since is not None and since >= new_since else None,
        )
    return rates, rules.agent_rate(lowest)


def _picked(kind, week, rates, default, agent):
    """A CASE expression: the rate reason when the item's hash sorts below its agent's threshold, else "".
    Agents are grouped by (rate, reason); the default's group (and any agent without a rate) is the ELSE."""
    groups = defaultdict(list)
    for employee_id, rate in rates.items():
        if rate != default:
            groups[rate].append(employee_id)
    digest = Collate(
        Substr(MD5(Concat(Value(f"{week}:{kind}:"), Cast("pk", CharField()))), 1, rules.DIGITS),
        "C" if connection.vendor == "postgresql" else "BINARY",
    )

    def below(rate, reason):
        return Choice(When(LessThan(digest, Value(rules.threshold(rate))), then=Value(reason)), default=Value(""))

    return Choice(
        *(When(**{f"{agent}__in": ids}, then=below(*rate)) for rate, ids in sorted(groups.items())),
        default=below(*default),
    )


def _issuance_reason(week, settings, rates, default):
    """The reason each issuance of the week is sampled ("" for none): an anomaly first (at the limit, soon after
    its limit was raised, a customer served more than N times in M days), else its agent's rate."""
    repeat_days = datetime.timedelta(days=settings.repeat_customer_days)
    window = Issuance.objects.filter(
        amount__gt=0,
        issued_at__gte=_start(week) - repeat_days,
        issued_at__lt=_start(week + datetime.timedelta(days=7)),
    )
    # Only customers seen more than N times in the whole window can be repeats: the database counts them once.
    repeats = (
        window.order_by()
        .values("customer_ref")
        .annotate(n=Count("pk"))
        .filter(n__gt=settings.repeat_customer_times)
        .values("customer_ref")
    )
    served = (
        Issuance.objects.filter(
            amount__gt=0,
            customer_ref=OuterRef("customer_ref"),
            issued_at__lte=OuterRef("issued_at"),
            issued_at__gte=ExpressionWrapper(OuterRef("issued_at") - repeat_days, output_field=DateTimeField()),
        )
        .order_by()
        .values("customer_ref")
        .annotate(n=Count("pk"))
        .values("n")
    )
    raised = AuthorityLimit.objects.filter(
        grade=OuterRef("grade"),
        scenario=OuterRef("scenario"),
        risk=OuterRef("risk"),
        raised_at__isnull=False,
        raised_at__lte=OuterRef("issued_at"),
        raised_at__gte=ExpressionWrapper(
            OuterRef("issued_at") - datetime.timedelta(days=settings.after_raise_days), output_field=DateTimeField()
        ),
    )
    rate_reason = _picked("issuance", week, rates, default, "issued_by")
    return Choice(
        When(at_limit=True, then=Value("at_limit")),
        When(Exists(raised), then=Value("after_raise")),
        When(
            customer_ref__in=repeats,
            then=Choice(
                When(GreaterThan(Subquery(served), settings.repeat_customer_times), then=Value("repeat_customer")),
                default=rate_reason,
            ),
        ),
        default=rate_reason,
    )


def _insert_sample(week, items, agent, item_column, reason):
    """INSERT … SELECT the items whose reason is not "": one statement, each item once (a rerun adds nothing)."""
    sql, params = items.order_by().annotate(reason=reason).values_list(agent, "pk", "reason").query.sql_with_params()
    meta, quote = QASample._meta, connection.ops.quote_name
    columns = ", ".join(
        quote(meta.get_field(name).column) for name in ("agent", item_column, "reason", "week", "created_at")
    )
    statement = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "
        f"SELECT s.*, %s, %s FROM ({sql}) s WHERE s.reason <> '' ON CONFLICT DO NOTHING"
    )
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(
            statement, [ops.adapt_datefield_value(week), ops.adapt_datetimefield_value(timezone.now()), *params]
        )
        return max(cursor.rowcount, 0)


def draw_weekly_sample(*, week):
    """Sample the week starting ``week`` (a Monday, local): its issuances and the cases closed in it, in one
    INSERT … SELECT each (linkage.sampling decides, the database applies it). Returns how many samples were added
    (0 on a rerun)."""
    settings = QASettings.current()
    rates, default = _agent_rates(settings, _start(week))
    issuances = Issuance.objects.filter(on__gte=week, on__lte=week + datetime.timedelta(days=6), amount__gt=0)
    cases = Case.objects.filter(
        status=CaseStatus.CLOSED, closed_at__gte=_start(week), closed_at__lt=_start(week + datetime.timedelta(days=7))
    )
    reason = _issuance_reason(week, settings, rates, default)
    added = _insert_sample(week, issuances, "issued_by", "issuance", reason)
    return added + _insert_sample(week, cases, "owner", "case", _picked("case", week, rates, default, "owner"))


@transaction.atomic
def review(*, actor, sample_id, result, kind="", severity="", evidence=""):
    """Record ``actor``'s verdict (once per reviewer); the first finding on a sample opens a Finding on the agent."""
    if not permissions.can_review_qa(actor):
        raise PermissionDenied
    sample = QASample.objects.select_for_update().get(pk=sample_id)
    me = people.employee_of(actor)
    if me is not None and sample.agent_id == me.pk:
        raise PermissionDenied(_("You cannot review your own work."))
    if QAReview.objects.filter(sample=sample, reviewer=actor).exists():
        raise ValidationError(_("You have already reviewed this item."))
    if result == ReviewResult.COMPLIANT:
        kind = severity = ""
    elif not (kind and severity and evidence.strip()):
        raise ValidationError(_("A finding needs its kind, severity and evidence."))
    now = timezone.now()
    verdict = QAReview(
        sample=sample, reviewer=actor, result=result, kind=kind, severity=severity, evidence=evidence, reviewed_at=now
    )
    verdict.full_clean()
    verdict.save()
    if result == ReviewResult.FINDING and not Finding.objects.filter(review__sample=sample).exists():
        Finding.objects.create(
            review=verdict,
            agent_id=sample.agent_id,
            dispute_until=now + datetime.timedelta(days=QASettings.current().dispute_days),
        )
    return verdict


@transaction.atomic
def dispute(*, actor, finding_id, text):
    """The agent disputes her finding, within the window."""
    finding = Finding.objects.select_for_update().get(pk=finding_id)
    if not permissions.can_dispute_finding(actor, finding):
        raise PermissionDenied
    if finding.status != FindingStatus.OPEN or timezone.now() > finding.dispute_until:
        raise ValidationError(_("The dispute window for this finding is closed."))
    if not text.strip():
        raise ValidationError(_("Say why you dispute the finding."))
    finding.status, finding.dispute, finding.disputed_at = FindingStatus.DISPUTED, text.strip(), timezone.now()
    finding.save(update_fields=["status", "dispute", "disputed_at"])
    return finding


def _lower(finding, actor):
    """The next lower grade by rank for the agent (none when she holds none or the lowest)."""
    from .authority import current_grade, set_grade

    grade = current_grade(finding.agent)
    lower = grade and Grade.objects.filter(rank__lt=grade.rank).order_by("-rank").first()
    if not lower:
        return None
    by = actor if actor is not None and permissions.can_manage_authority(actor) else None
    return set_grade(
        actor=by, employee=finding.agent, grade=lower, reason=_("QA finding #%(pk)s confirmed") % {"pk": finding.pk}
    )


def _coach(finding, actor):
    """An after-action coaching session for the agent in the coaching log every employee has (training), kind of
    error "use of authority", coached by the deciding actor when she may coach her, else by her supervisor;
    a notification to the supervisor only when nobody may coach her."""
    from notifications.services import Row, queue_rows
    from training.models import CoachingPhase, ErrorKind
    from training.permissions import can_coach_employee
    from training.services.onboarding import log_employee_coaching

    agent = finding.agent
    supervisor = agent.team.supervisor if agent.team_id else None
    coaches = [actor, supervisor.user if supervisor and supervisor.user_id else None]
    coach = next((c for c in coaches if c is not None and can_coach_employee(c, agent)), None)
    if coach is not None:
        return log_employee_coaching(
            actor=coach,
            employee_id=agent.pk,
            phase=CoachingPhase.AFTER,
            scheduled_at=timezone.now(),
            notes=_("QA finding: %(kind)s") % {"kind": finding.review.get_kind_display()},
            cause=finding.review.evidence,
            error_kind=ErrorKind.AUTHORITY,
            idempotency_key=f"qa-finding-{finding.pk}",
        )
    if supervisor is None or supervisor.user_id is None:
        return None
    from django.urls import reverse
    from django.utils import translation

    with translation.override(supervisor.language or None):
        title = _("Coaching needed for %(name)s after a confirmed QA finding") % {"name": agent.name}
        body = finding.review.get_kind_display()
    return queue_rows(
        [Row(supervisor.user_id, QA_COACHING, f"{QA_COACHING}:{finding.pk}", title, body, reverse("linkage:findings"))]
    )


def _confirm(finding, actor, *, note="", lower_grade=False):
    finding.status, finding.decided_by, finding.decided_at = FindingStatus.CONFIRMED, actor, timezone.now()
    finding.decision_note = note
    if lower_grade:
        finding.lowered_to = _lower(finding, actor)
    finding.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "lowered_to"])
    _coach(finding, actor)
    return finding


@transaction.atomic
def decide_finding(*, actor, finding_id, confirm, note="", lower_grade=False):
    """The agent's supervisor or HR confirms (may lower her grade; opens coaching) or overturns a finding."""
    finding = Finding.objects.select_for_update(of=("self",)).select_related("agent__team", "review").get(pk=finding_id)
    if not permissions.can_decide_finding(actor, finding):
        raise PermissionDenied
    if finding.status not in (FindingStatus.OPEN, FindingStatus.DISPUTED):
        raise ValidationError(_("This finding has already been decided."))
    if confirm:
        return _confirm(finding, actor, note=note, lower_grade=lower_grade)
    finding.status, finding.decided_by, finding.decided_at = FindingStatus.OVERTURNED, actor, timezone.now()
    finding.decision_note = note
    finding.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return finding


def confirm_expired_findings(*, now=None):
    """Daily: findings left undisputed past their window are confirmed (keyed by status: a rerun confirms none)."""
    now = now or timezone.now()
    done = 0
    for pk in Finding.objects.filter(status=FindingStatus.OPEN, dispute_until__lt=now).values_list("pk", flat=True):
        with transaction.atomic():
            finding = Finding.objects.select_for_update(of=("self",)).select_related("agent__team", "review").get(pk=pk)
            if finding.status == FindingStatus.OPEN:
                _confirm(finding, None)
                done += 1
    return done
