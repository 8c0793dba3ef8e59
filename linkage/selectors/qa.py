"""Reads for QA spot checks (issue 13 §4): the queue (fixed queries whatever its size) and calibration."""

from collections import Counter, defaultdict

from django.db.models import Exists, OuterRef
from django.utils import timezone

from ..models import QAReview, QASample

PAGE = 50


def queue(user, *, reason="", agent=None, team=None):
    """Samples of this week and older that ``user`` has not reviewed yet, oldest week first."""
    mine = QAReview.objects.filter(sample=OuterRef("pk"), reviewer=user)
    rows = (
        QASample.objects.filter(week__lte=timezone.localdate())
        .exclude(Exists(mine))
        .select_related("agent__team", "issuance__scenario", "case")
        .order_by("week", "agent_id", "pk")
    )
    if reason:
        rows = rows.filter(reason=reason)
    if agent:
        rows = rows.filter(agent=agent)
    if team:
        rows = rows.filter(agent__team=team)
    return rows


def agreement(sample_ids):
    """Calibration: per sample with two or more reviews, the share of reviewers agreeing with the majority verdict
    (result, and kind for a finding); and overall over those samples. ({id: share}, overall or None)."""
    verdicts = defaultdict(list)
    for sample_id, result, kind in QAReview.objects.filter(sample_id__in=list(sample_ids)).values_list(
        "sample_id", "result", "kind"
    ):
        verdicts[sample_id].append((result, kind))
    shares, agreeing, total = {}, 0, 0
    for sample_id, votes in verdicts.items():
        if len(votes) < 2:
            continue
        top = Counter(votes).most_common(1)[0][1]
        shares[sample_id] = top / len(votes)
        agreeing, total = agreeing + top, total + len(votes)
    return shares, (agreeing / total if total else None)


def reviewed_sample_ids(limit=500):
    """The most recently reviewed samples (for the queue's calibration figure)."""
    return QAReview.objects.order_by("-reviewed_at").values_list("sample_id", flat=True).distinct()[:limit]
