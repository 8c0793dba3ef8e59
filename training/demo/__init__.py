"""Demo training data for `manage.py seed_demo`: KASH position targets and about a year of assessments
(DOMAIN §2, ``kash``), then the new hires' onboarding batches replayed from their first day to today
(DOMAIN §3, ``onboarding``), and the weekly mood check-ins of the trainees in cycle 4 (issue 15 §9, ``mood``).

The seed_demo command finds `seed_demo_extra()` here by discovery, after it has built the staff demo, so
staff never imports training. The plan comes from a fixed `random.Random(2026)` over the employees in
employee-number order, with every date between the person's hire date and `today`.

A second run adds nothing: targets are saved only where they differ, and every demo assessment carries
DEMO_TAG in its context, so a person who already has tagged assessments is skipped (on any later day
too). The year of assessments is written in bulk, past the services: this is seed data, and a few
thousand service calls would take minutes. The rows still keep the model's rules (a submitted row has
its submitted_at, a correction supersedes a submitted row of the same person and source). The onboarding
replay, a few hundred writes, goes through training.services.
"""

from django.db import transaction

from .kash import seed_kash_demo
from .kash_data import DEMO_TAG
from .mood import seed_mood_demo
from .onboarding import seed_onboarding_demo

__all__ = ["DEMO_TAG", "seed_demo_extra", "seed_kash_demo", "seed_mood_demo", "seed_onboarding_demo"]


@transaction.atomic
def seed_demo_extra(*, today, stdout=None):
    """Add the KASH demo (position targets, about a year of assessments), the onboarding demo, then the weekly mood
    check-ins of its trainees in cycle 4 (issue 15 §9)."""
    counts = seed_kash_demo(today=today, stdout=stdout)
    counts.update(seed_onboarding_demo(today=today, stdout=stdout))
    counts.update(seed_mood_demo(today=today, stdout=stdout))
    return counts
