"""seed_demo on a fresh database without the onboarding program: the KASH demo only.

Apart from tests/training/test_demo.py, whose tests share one seeded demo for the whole module."""

from io import StringIO

from django.core.management import call_command

from training.models import Assessment, Batch, Program


def test_onboarding_demo_is_skipped_without_the_program(db):
    Program.objects.all().delete()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "load_onboarding_program" in out.getvalue()
    assert not Batch.objects.exists()
    assert Assessment.objects.exists()
