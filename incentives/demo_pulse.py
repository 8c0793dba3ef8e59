"""Demo pulse surveys (issue 15 §5, §10): HR's monthly pulse on the five hygiene factors and two motivators, two
waves answered by most of the centre through incentives.services.pulse, and one hygiene alert — the demo
supervisor's team, whose supervision score fell between the waves. Each wave is answered while open, then moved
back in time (as demo.py restamps recognition); a second run adds nothing."""

import datetime
import random

from django.utils import timezone

from staff.demo.plan import ROLE_SUPERVISOR
from staff.models import Employee

from . import permissions
from .models import PulseAlert, Question, Survey, Wave
from .services import pulse as services

QUESTIONS = [
    ("policy", "公司的制度和流程清楚、合理。"),
    ("supervision", "班长给我的指导和支持及时、有帮助。"),
    ("pay", "我的薪酬与我的付出相匹配。"),
    ("working_conditions", "工作环境和排班让我能把工作做好。"),
    ("relations", "班组同事之间相处融洽、互相帮助。"),
    ("achievement", "这个月我在工作中有成就感。"),
    ("growth", "我在这里能学到新东西、不断成长。"),
]
# Waves: (days ago it opened); each was open for a week.
WAVES = [40, 10]
ANSWER_RATE = 0.85


def _score(rng, factor):
    weights = {"pay": [0, 2, 5, 5, 2]}.get(factor, [0, 1, 3, 5, 3])
    return rng.choices([1, 2, 3, 4, 5], weights)[0]


def seed(*, today):
    if Survey.objects.exists():
        return {}
    survey = Survey.objects.create(
        name="每月脉搏调查",
        intro="匿名，一分钟：请按同意程度打分（1 非常不同意，5 非常同意）。",
        starts_on=today - datetime.timedelta(days=WAVES[0]),
        every_days=30,
        open_days=7,
    )
    questions = [
        Question.objects.create(survey=survey, text=t, factor=f, order=i) for i, (f, t) in enumerate(QUESTIONS)
    ]
    people = list(permissions.pulse_invitees(survey).select_related("user", "team").order_by("employee_number"))
    supervisor = Employee.objects.filter(user__username=ROLE_SUPERVISOR).first()
    falling_team = supervisor.team_id if supervisor else None
    answered = 0
    for number, days_ago in enumerate(WAVES, start=1):
        open_now = timezone.localdate()  # answered while open (the service checks the real date), then moved back
        wave = Wave.objects.create(
            survey=survey, number=number, opens_on=open_now, closes_on=open_now + datetime.timedelta(days=6)
        )
        for person in people:
            rng = random.Random(f"pulse:{person.employee_number}")  # the same person answers alike every wave
            if rng.random() > ANSWER_RATE:
                continue
            scores = {q.pk: _score(rng, q.factor) for q in questions}
            if number == len(WAVES) and person.team_id == falling_team:
                supervision = next(q for q in questions if q.factor == "supervision")
                scores[supervision.pk] = random.Random(f"fall:{person.pk}").choice([1, 2, 2, 3])
            services.answer_wave(user=person.user, wave_id=wave.pk, scores=scores)
            answered += 1
        opens_on = today - datetime.timedelta(days=days_ago)
        Wave.objects.filter(pk=wave.pk).update(
            opens_on=opens_on, closes_on=opens_on + datetime.timedelta(days=6), invited=len(people)
        )
    for wave in survey.waves.order_by("number"):
        services.evaluate_wave(wave_id=wave.pk)
    PulseAlert.objects.filter(wave__survey=survey).update(created_at=timezone.now() - datetime.timedelta(days=3))
    return {"pulse waves": len(WAVES), "pulse answers": answered, "pulse alerts": PulseAlert.objects.count()}
