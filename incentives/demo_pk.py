"""Demo PK competitions for `manage.py seed_demo` (issue 15 §4, §10; seed 001: 区部PK激励): a site PK (区部 PK) on
first-contact resolution running this month with its live board, and last month's team PK, closed, with its honour
and its reward pool split by workload share. Made through incentives.services.pk; a second run adds nothing."""

import datetime

from django.contrib.auth import get_user_model

from kpis.models import Kpi
from staff.demo.plan import ROLE_HR
from staff.models import Site, Team

from .models import PkAward, PkCompetition, Standing
from .services import pk as services


def _last_month(today):
    last = today.replace(day=1) - datetime.timedelta(days=1)
    return last.replace(day=1), last


def _month_end(today):
    following = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def seed(*, today):
    if PkCompetition.objects.exists():
        return {}
    hr = get_user_model().objects.filter(username=ROLE_HR, is_active=True).first()
    fcr = Kpi.objects.filter(code="fcr").first()
    teams = list(Team.objects.filter(supervisor__isnull=False).order_by("code")[:6])
    if hr is None or fcr is None or len(teams) < 2:
        return {}
    sites = list(Site.objects.order_by("code"))
    running = services.create_competition(
        user=hr,
        name="本月区部PK：一次解决率" if len(sites) >= 2 else "本月班组PK：一次解决率",
        kind="site" if len(sites) >= 2 else "team",
        starts_on=today.replace(day=1),
        ends_on=_month_end(today),
        metric="kpi",
        kpi=fcr,
        minimum_volume=200,
        pool_unit="cny",
        pool=3000,
        cap_per_person=600,
        sites=sites if len(sites) >= 2 else (),
        teams=teams if len(sites) < 2 else (),
    )
    services.refresh_standings(running.pk)
    first, last = _last_month(today)
    finished = services.create_competition(
        user=hr,
        name="上月班组PK：一次解决率",
        kind="team",
        starts_on=first,
        ends_on=last,
        metric="kpi",
        kpi=fcr,
        minimum_volume=200,
        pool_unit="cny",
        pool=2000,
        cap_per_person=500,
        teams=teams,
    )
    services.close(competition_id=finished.pk)
    return {
        "PK competitions": PkCompetition.objects.count(),
        "PK standings": Standing.objects.count(),
        "PK awards": PkAward.objects.count(),
    }
