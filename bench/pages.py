"""Every navigation page, as each role, against the trivial page (issue 9).

The pages are discovered, not listed: the landing page is rendered for each role and every
``<a href>`` inside its ``<nav>`` that stays on this site is requested as that role. The world is
``bench.kash.generate``'s people with their KASH history plus ``bench.sweep.generate``'s onboarding
batches (a fifth of the people are trainees, with mentors, batch supervisors, activities and gate
checks). The roles: HR, the supervisor of the first KASH team, the supervisor of the first onboarding
batch, a mentor of that batch and one of its trainees. Each page is measured at the big scale; its
query count is compared with the count of the same page in a small world (``python -m bench pages``
builds both) — a count that differs grows with the data. Targets: median ≤ MAX_RATIO × the trivial
page, same query count.
"""

import statistics
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench import kash, sweep
from notifications.models import Notification
from staff.permissions import HR_GROUP
from training.models import Batch, Enrollment

MAX_RATIO = 8.0
GENERATOR_VERSION = f"pages-1/kash-{kash.GENERATOR_VERSION}/sweep-{sweep.GENERATOR_VERSION}"
TRAINEE_SHARE = 5  # one person in five is a trainee in an onboarding batch
INBOX_SHARE = 20  # each measured role has one notification per 20 people in its inbox, half unread
HR_USERNAME = f"{kash.PREFIX}-hr"
SKIPPED = ("/logout", "/accounts/logout", "/i18n/", "/admin", "/api/")


class _NavLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = 0
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "nav":
            self.depth += 1
        elif tag == "a" and self.depth:
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag == "nav" and self.depth:
            self.depth -= 1


def nav_links(html):
    """The site's own links inside <nav>, in order, without duplicates, logout or language switches."""
    parser = _NavLinks()
    parser.feed(html)
    seen = []
    for href in parser.links:
        path = urlsplit(href).path
        if path and path not in seen and not path.startswith(SKIPPED):
            seen.append(path)
    return seen


def scales(people):
    """(kash.Scale, sweep.Scale) of a world of ``people``: a fifth of them trainees in onboarding batches."""
    trainees = max(sweep.Scale.batch_size, people // TRAINEE_SHARE)
    return kash.Scale(people=people - trainees, months=24), sweep.Scale(enrollments=trainees, small=0)


def generate(kash_scale, sweep_scale, *, today=None, log=None):
    """The KASH world, then the onboarding batches beside it; returns both generators' counts."""
    return kash.generate(kash_scale, today=today, log=log), sweep.generate(sweep_scale, today=today, log=log)


def roles():
    """{role: user}: HR (created once, in the HR group), the supervisor of the first KASH team, and the
    supervisor, a mentor and a trainee of the first onboarding batch (one with a mentor and assessments, so
    her pages show as much at both sizes)."""
    chosen = kash.subjects()
    hr, _ = get_user_model().objects.get_or_create(username=HR_USERNAME)
    hr.groups.add(Group.objects.get_or_create(name=HR_GROUP)[0])
    batch = Batch.objects.select_related("supervisor__user").get(code=f"{sweep.PREFIX.lower()}-b00001")
    trainee = (
        Enrollment.objects.filter(batch=batch, trainee__mentor__isnull=False, trainee__assessments__isnull=False)
        .select_related("trainee__user", "trainee__mentor__user")
        .order_by("pk")
        .first()
    )
    users = {
        "HR": hr,
        "supervisor": chosen.supervisor_user,
        "batch supervisor": batch.supervisor.user,
        "mentor": trainee.trainee.mentor.user,
        "trainee": trainee.trainee.user,
    }
    _fill_inboxes(users.values())
    return users, chosen


def _fill_inboxes(users):
    """Give each role's inbox one notification per INBOX_SHARE people (once: reruns add nothing)."""
    count = max(1, get_user_model().objects.count() // INBOX_SHARE)
    for user in users:
        if Notification.objects.filter(recipient=user, key__startswith="bench:").exists():
            continue
        Notification.objects.bulk_create(
            Notification(
                recipient=user,
                kind="bench",
                key=f"bench:{user.pk}:{n}",
                title=f"Bench notification {n + 1}",
                body="A reminder the benchmark wrote.",
                read_at=None if n % 2 else timezone.now(),
            )
            for n in range(count)
        )


@dataclass
class Page:
    role: str
    url: str
    status: int = 0
    queries: int = 0
    html_bytes: int = 0
    times_ms: list = field(default_factory=list)
    small_queries: int | None = None
    is_trivial: bool = False

    @property
    def median_ms(self):
        return statistics.median(self.times_ms) if self.times_ms else 0.0


def discover(client, user):
    client.force_login(user, backend=kash.MODEL_BACKEND)
    landing = client.get("/", follow=True)
    urls = []
    for url in nav_links(landing.content.decode()):
        chain = client.get(url, follow=True).redirect_chain  # a link that redirects is measured where it lands
        final = urlsplit(chain[-1][0]).path if chain else url
        if final not in urls:
            urls.append(final)
    return urls


def measure(*, runs=5, warmup=1, client=None):
    """[Page] for every role's nav pages plus each role's trivial page (first of each role)."""
    client = client or Client()
    users, chosen = roles()
    trivial_url = reverse("staff:position-detail", args=[chosen.position.pk])
    pages = []
    for role, user in users.items():
        urls = discover(client, user)
        role_pages = [Page(role, trivial_url, is_trivial=True)] + [Page(role, url) for url in urls]
        for page in role_pages:
            for _ in range(warmup):
                client.get(page.url)
            with CaptureQueriesContext(connection) as context:
                response = client.get(page.url)
            page.status, page.queries, page.html_bytes = response.status_code, len(context), len(response.content)
        for _ in range(runs):
            for page in role_pages:
                started = time.perf_counter()
                client.get(page.url)
                page.times_ms.append((time.perf_counter() - started) * 1000)
        pages += role_pages
    return pages


def trivial_of(page, pages):
    return next(p for p in pages if p.role == page.role and p.is_trivial)


def ratio(page, pages):
    base = trivial_of(page, pages).median_ms
    return page.median_ms / base if base else 0.0


def failures(pages, *, max_ratio=MAX_RATIO):
    missed = []
    for page in pages:
        if page.is_trivial:
            continue
        if page.status != 200:
            missed.append(f"{page.role} {page.url}: status {page.status}")
        if ratio(page, pages) > max_ratio:
            missed.append(
                f"{page.role} {page.url}: {ratio(page, pages):.1f}× the trivial page, target ≤ {max_ratio:g}×"
            )
        if page.small_queries is not None and page.small_queries != page.queries:
            missed.append(f"{page.role} {page.url}: {page.small_queries} queries small, {page.queries} big (grows)")
    return missed


def report(pages):
    lines = [
        "| Role | Page | Status | Median ms | × trivial | Queries (small → big) | HTML KB |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for p in pages:
        small = "?" if p.small_queries is None else p.small_queries
        name = f"{p.url} (trivial)" if p.is_trivial else p.url
        lines.append(
            f"| {p.role} | {name} | {p.status} | {p.median_ms:.1f} | {ratio(p, pages):.1f} | "
            f"{small} → {p.queries} | {p.html_bytes / 1024:.0f} |"
        )
    missed = failures(pages)
    lines += ["", "Missed: " + "; ".join(missed) if missed else "All targets met."]
    return "\n".join(lines)
