"""Demo improvement for `manage.py seed_demo` (issue 14): suggestions in every status, two initiatives shaped like
seed 003's (first-contact ownership piloted on two teams then rolled out; tiered coupon authority) whose Check is
computed from the demo's KPI data, tasks with comprehension answers, and every agent's follow-up (corrections,
after-action reviews, today's risk flags).

Each area's module (demo_<area>.py) has ``seed(*, today)`` returning {what: count}; a second run adds nothing.
The notifications the replayed history sent are history: marked e-mailed when they were sent."""

from django.db import transaction
from django.db.models import F, Max

from notifications.models import Notification

from . import demo_followup, demo_initiatives, demo_suggestions, demo_tasks


@transaction.atomic
def seed_demo_extra(*, today, stdout=None):
    before = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    counts = {}
    for area in (demo_suggestions, demo_initiatives, demo_tasks, demo_followup):
        counts.update(area.seed(today=today))
    Notification.objects.filter(pk__gt=before).update(emailed_at=F("created_at"))
    return counts
