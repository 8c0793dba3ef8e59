from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from training.models import ActivityTemplate, CycleTemplate, Indicator, PreJobModule, Program
from training.programs import apply_program


class Command(BaseCommand):
    help = (
        "Load the default four-cycle onboarding program (pre-job modules, cycles, activities). "
        "Safe to run again: restores the shipped names, goals and titles and adds what is missing; "
        "keeps the lengths, levels, pass marks and focus indicators HR set, the rows HR added and "
        "every batch's own activities."
    )

    def handle(self, *args, **options):
        counts = apply_program(Program, PreJobModule, CycleTemplate, ActivityTemplate, Indicator)
        if counts.created or counts.updated:
            self.stdout.write(_("Created %(created)d rows, updated %(updated)d.") % counts._asdict())
        else:
            self.stdout.write(_("Already up to date: nothing changed."))
