from django.core.management.base import BaseCommand

from training.framework import apply_framework
from training.models import Indicator, RubricLevel, SourceWeight
from training.shipped import describe


class Command(BaseCommand):
    help = (
        "Load the default KASH competency framework (indicators, 1-5 rubrics, source weights). "
        "Safe to run again: restores the shipped indicator and rubric texts, adds what is missing, "
        "and keeps indicators HR added and source weights HR tuned."
    )

    def handle(self, *args, **options):
        counts = apply_framework(Indicator, RubricLevel, SourceWeight)
        self.stdout.write(describe(counts))
