from django.core.management.base import BaseCommand

from training.models import ActivityTemplate, CycleTemplate, Indicator, PreJobModule, Program
from training.programs import apply_program
from training.shipped import describe


class Command(BaseCommand):
    help = (
        "Load the default four-cycle onboarding program (pre-job modules, cycles, activities). "
        "Safe to run again: restores the shipped names, goals and titles and adds what is missing; "
        "keeps the lengths, levels, pass marks and focus indicators HR set, the rows HR added and "
        "every batch's own activities."
    )

    def handle(self, *args, **options):
        counts = apply_program(Program, PreJobModule, CycleTemplate, ActivityTemplate, Indicator)
        self.stdout.write(describe(counts))
