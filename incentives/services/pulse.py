"""Writes of the pulse surveys (issue 15 §5): answering a wave anonymously, opening the next wave on schedule with
its invitations, reminding before a wave closes, and raising alerts once a wave has closed. Each is idempotent
(keyed rows and keyed notifications), so Celery's retries and a beat firing twice change nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import Message, queue
from staff.permissions import HR_GROUP

from .. import permissions
from .. import pulse_rules as rules
from ..models import PulseAlert, PulseRespondent, PulseTally, Question, Survey, Wave
from ..selectors import pulse as selectors

INVITED = "incentives_pulse_invited"
REMINDED = "incentives_pulse_reminder"
ALERTED = "incentives_pulse_alert"


@transaction.atomic
def answer_wave(*, user, wave_id, scores):
    """``user`` answers every question of an open wave with a score 1–5 (``scores``: {question id: score}). Who
    answered and what was answered are written to two tables that share nothing but the wave (see
    incentives.models.pulse): a respondent row, and one added to the count of each chosen score."""
    me = permissions.staff_permissions.employee_of(user)
    if me is not None and PulseRespondent.objects.filter(wave_id=wave_id, employee=me).exists():
        raise ValidationError(_("You have already answered this wave. Thank you!"))
    today = timezone.localdate()
    wave = permissions.answerable_waves(user, today).filter(pk=wave_id).select_related("survey").first()
    if wave is None:
        raise PermissionDenied
    try:
        scores = {int(q): int(s) for q, s in dict(scores).items()}
    except (TypeError, ValueError):
        raise ValidationError(_("Each answer is a score from 1 to 5.")) from None
    question_ids = sorted(Question.objects.filter(survey_id=wave.survey_id).values_list("pk", flat=True))
    reasons = rules.check_scores(question_ids, scores)
    if reasons:
        raise ValidationError(reasons)
    team = me.team
    site_id = team.department.site_id
    try:
        with transaction.atomic():
            PulseRespondent.objects.create(wave=wave, employee=me, team=team, site_id=site_id)
    except IntegrityError:
        raise ValidationError(_("You have already answered this wave. Thank you!")) from None
    # All five score rows of each question exist before any count moves (so which rows exist says nothing about
    # this answer). Then ONE update rewrites every row of the team's wave — +1 on the chosen scores, +0 on the
    # others — so even the database's own row versions (PostgreSQL's xmin, the rows' physical order) show only
    # that someone of the team answered, never which scores were hers. One statement over the same rows in the
    # same order: concurrent answers queue on the first row instead of deadlocking, and none is lost.
    PulseTally.objects.bulk_create(
        [
            PulseTally(wave=wave, question_id=q, team=team, site_id=site_id, score=score, count=0)
            for q in question_ids
            for score in rules.SCORES
        ],
        ignore_conflicts=True,
    )
    chosen = Case(
        *[When(question_id=q, score=scores[q], then=Value(1)) for q in question_ids],
        default=Value(0),
        output_field=IntegerField(),
    )
    PulseTally.objects.filter(wave=wave, team=team).update(count=F("count") + chosen)
    return wave


def _wave_url():
    return reverse("incentives:pulse")


@transaction.atomic
def open_due_waves(*, today=None):
    """Open the next wave of every active survey that is due (its last wave opened ``every_days`` ago, or it
    starts today), and invite the people it asks. Keyed: a second run opens and sends nothing."""
    today = today or timezone.localdate()
    opened = []
    for survey in Survey.objects.select_for_update().filter(is_active=True, starts_on__lte=today).order_by("pk"):
        last = survey.waves.order_by("-number").first()
        due_on = survey.starts_on if last is None else last.opens_on + datetime.timedelta(days=survey.every_days)
        if due_on > today:
            continue
        opens_on = today  # a late beat opens it today, with its full window
        wave, created = Wave.objects.get_or_create(
            survey=survey,
            number=(last.number + 1) if last else 1,
            defaults={"opens_on": opens_on, "closes_on": opens_on + datetime.timedelta(days=survey.open_days - 1)},
        )
        if created:
            opened.append(wave)
    for wave in opened:
        invite(wave_id=wave.pk)
    return opened


def invite(*, wave_id):
    """Notify everyone the wave asks (keyed per wave and person); records how many were invited."""
    wave = Wave.objects.select_related("survey").get(pk=wave_id)
    people = list(permissions.pulse_invitees(wave.survey).select_related("user"))
    Wave.objects.filter(pk=wave.pk).update(invited=len(people))
    survey_name = wave.survey.name
    closes_on = wave.closes_on.isoformat()
    messages = [
        Message(
            recipient=person.user,
            kind=INVITED,
            key=f"{INVITED}:{wave.pk}:{person.user_id}",
            title=lambda: _("A short pulse survey: %(survey)s") % {"survey": survey_name},
            body=lambda: _("Anonymous, a few taps, open until %(date)s.") % {"date": closes_on},
            url=_wave_url(),
        )
        for person in people
    ]
    return queue(messages)


def remind(*, today=None):
    """The day before a wave closes, remind those invited who have not answered (keyed per wave and person)."""
    today = today or timezone.localdate()
    sent = 0
    for wave in Wave.objects.filter(closes_on=today + datetime.timedelta(days=1)).select_related("survey"):
        answered = PulseRespondent.objects.filter(wave=wave).values("employee_id")
        people = permissions.pulse_invitees(wave.survey).exclude(pk__in=answered).select_related("user")
        survey_name = wave.survey.name
        sent += queue(
            [
                Message(
                    recipient=person.user,
                    kind=REMINDED,
                    key=f"{REMINDED}:{wave.pk}:{person.user_id}",
                    title=lambda name=survey_name: _("Last day tomorrow: %(survey)s") % {"survey": name},
                    body=lambda: _("Your answer is anonymous and takes a minute."),
                    url=_wave_url(),
                )
                for person in people
            ]
        )
    return sent


def evaluate_closed_waves(*, today=None):
    """Raise the alerts of every wave that has closed and was not evaluated yet (compare-and-set claim)."""
    today = today or timezone.localdate()
    raised = 0
    for wave_id in Wave.objects.filter(closes_on__lt=today, evaluated_at__isnull=True).values_list("pk", flat=True):
        raised += evaluate_wave(wave_id=wave_id)
    return raised


def _previous_wave(wave):
    return Wave.objects.filter(survey_id=wave.survey_id, number__lt=wave.number).order_by("-number").first()


def _group_fields(key):
    level, _sep, pk = key.partition(":")
    if level == "team":
        return "team", {"team_id": int(pk)}
    if level == "site":
        return "site", {"site_id": int(pk)}
    return "centre", {}


@transaction.atomic
def evaluate_wave(*, wave_id):
    """Alerts for one wave: each factor of each published group below the survey's threshold or fallen by its
    step since the previous wave (where that group was published too). Keyed once per wave, group and factor;
    the owner is notified once. Returns how many alerts are new."""
    wave = Wave.objects.select_for_update().select_related("survey").get(pk=wave_id)
    survey = wave.survey
    now = selectors.factor_averages_by_group(wave, selectors.publication(wave))
    previous_wave = _previous_wave(wave)
    before = {}
    if previous_wave is not None:
        before = selectors.factor_averages_by_group(previous_wave, selectors.publication(previous_wave))
    fresh = []
    for key, factors in sorted(now.items()):
        level, fields = _group_fields(key)
        for factor, current in sorted(factors.items()):
            previous = before.get(key, {}).get(factor)
            reason = rules.alert_reason(
                current=current, previous=previous, threshold=survey.alert_below, drop=survey.alert_drop
            )
            if not reason:
                continue
            alert, created = PulseAlert.objects.get_or_create(
                wave=wave,
                group_key=key,
                factor=factor,
                defaults={
                    **fields,
                    "average": current,
                    "previous": previous,
                    "is_below": reason.below,
                    "has_dropped": reason.dropped,
                    "owner": rules.owner_of(factor, level=level),
                },
            )
            if created:
                fresh.append(alert)
    if wave.evaluated_at is None:
        Wave.objects.filter(pk=wave.pk).update(evaluated_at=timezone.now())
    _notify_alerts(fresh)
    return len(fresh)


def alert_message(alert):
    reason = rules.AlertReason(alert.is_below, alert.has_dropped)
    return rules.alert_text(factor=alert.factor, current=alert.average, previous=alert.previous, reason=reason)


def _owners(alert):
    if alert.owner == rules.Owner.SUPERVISOR and alert.team_id:
        supervisor = alert.team.supervisor
        return [supervisor.user] if supervisor and supervisor.user_id and supervisor.user.is_active else []
    users = get_user_model().objects.filter(is_active=True).filter(Q(groups__name=HR_GROUP) | Q(is_superuser=True))
    return list(users.distinct())


def _notify_alerts(alerts):
    messages = []
    for alert in alerts:
        url = reverse("incentives:balance")
        if alert.team_id:
            url = f"{url}?team={alert.team_id}"
        factor = rules.FACTOR_LABELS.get(alert.factor, alert.factor)
        for user in _owners(alert):
            messages.append(
                Message(
                    recipient=user,
                    kind=ALERTED,
                    key=f"{ALERTED}:{alert.pk}:{user.pk}",
                    title=lambda factor=factor: _("Pulse alert: %(factor)s") % {"factor": factor},
                    body=lambda alert=alert: alert_message(alert),
                    url=url,
                )
            )
    return queue(messages)
