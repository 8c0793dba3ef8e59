"""The PK part of the seeded demo (issue 15 §10): a running PK with its board and a finished one whose pool is split
to the fen (a module of its own: every test here uses the shared demo world)."""

from incentives.models import PkAward, PkCompetition


def test_the_full_demo_has_a_running_pk_and_a_finished_one_with_its_split(demo_world, db):
    running = PkCompetition.objects.get(status="open")
    finished = PkCompetition.objects.get(status="closed")
    assert running.standings.filter(rank=1).exists()
    awards = PkAward.objects.filter(competition=finished)
    assert awards.exists() and sum(a.amount_units for a in awards) == 200_000
