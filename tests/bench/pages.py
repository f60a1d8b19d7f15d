"""The key pages per role: queries and median time of each, beside the trivial view.

Every page is requested through Django's test client with the real middleware and DEBUG
off: one warm-up request, one request whose queries are counted, then up to REPEATS timed
requests (fewer for a slow page, so that a run stays bounded).
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from tests.bench.urls import TRIVIAL_PATH

REPEATS = 15
MIN_REPEATS = 5
# Seconds of timed requests one page and role may take before it stops at MIN_REPEATS.
PAGE_BUDGET = float(os.environ.get("BENCH_PAGE_SECONDS", "30"))

ADMIN, NEGOTIATOR, OFFICIAL, COORDINATOR, PARTNER = (
    "admin",
    "negotiator",
    "official",
    "coordinator",
    "partner",
)
ROLES = (ADMIN, NEGOTIATOR, OFFICIAL, COORDINATOR, PARTNER)
TRIVIAL = "trivial view (one query)"


@dataclass
class Page:
    label: str
    path: str
    roles: tuple[str, ...]


@dataclass
class Result:
    page: str
    role: str
    path: str
    status: int
    queries: int = 0
    times: list[float] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000


@dataclass
class Cast:
    """Who plays each role: people who may all open the measured agreement."""

    agreement: object
    users: dict[str, object]
    versions: int
    targets: int
    register_word: str

    def describe(self) -> list[str]:
        agreement = self.agreement
        lines = [
            f"measured agreement: {agreement.area.name} {agreement.round.slug} "
            f"({self.targets} targets, {self.versions} versions, stage {agreement.stage})"
        ]
        for role in ROLES:
            user = self.users.get(role)
            if user is not None:
                place = user.organisation.name if user.organisation_id else "-"
                lines.append(f"  {role:<12} {user.email} ({place})")
        return lines


def cast_for(round_) -> Cast:
    """An agreement of GO North West with five versions or more that a department was
    referred to, and one person per role who may open it (the demo logins where they can)."""
    from django.db.models import Count, Exists, Max, OuterRef

    from accounts.models import Role, User
    from agreements.models import Agreement
    from freedoms.lifecycle import State
    from freedoms.models import FreedomRequest
    from negotiations.models import Referral
    from partners.models import PartnerRepresentative

    demo = {
        role: User.objects.filter(email=f"{role}@example.org").select_related("organisation").get()
        for role in ROLES
    }
    negotiator, official = demo[NEGOTIATOR], demo[OFFICIAL]
    candidates = (
        Agreement.objects.filter(round=round_, area__government_office=negotiator.organisation)
        .select_related("area", "round")
        .annotate(
            version_count=Count("versions", distinct=True),
            target_count=Count("targets", distinct=True),
            dcsf=Exists(
                Referral.objects.filter(
                    agreement=OuterRef("pk"), department_id=official.organisation_id
                )
            ),
            referred=Exists(Referral.objects.filter(agreement=OuterRef("pk"))),
            represented=Exists(
                PartnerRepresentative.objects.filter(partnership__area=OuterRef("area"))
            ),
        )
    )
    # Five versions if any agreement has them, then the best-connected of those.
    most = candidates.aggregate(most=Max("version_count"))["most"] or 0
    agreement = candidates.filter(version_count__gte=min(5, most)).order_by(
        "-dcsf", "-referred", "-represented", "-target_count", "area__name"
    )[0]

    users = {ADMIN: demo[ADMIN], NEGOTIATOR: negotiator}
    people = User.objects.select_related("organisation").order_by("pk")
    if official.has_perm("agreements.see_agreement", agreement):
        users[OFFICIAL] = official
    else:
        referred = people.filter(
            role=Role.OFFICIAL,
            organisation__in=Referral.objects.filter(agreement=agreement).values("department"),
        ).first()
        users[OFFICIAL] = referred or official
    if demo[COORDINATOR].has_perm("agreements.see_agreement", agreement):
        users[COORDINATOR] = demo[COORDINATOR]
    else:
        users[COORDINATOR] = (
            people.filter(role=Role.COORDINATOR, organisation__area=agreement.area).first()
            or demo[COORDINATOR]
        )
    if demo[PARTNER].has_perm("agreements.see_agreement", agreement):
        users[PARTNER] = demo[PARTNER]
    else:
        represented = people.filter(
            role=Role.PARTNER, representations__partnership__area=agreement.area
        ).first()
        users[PARTNER] = represented or demo[PARTNER]

    # A word from an answered request's title, so that the register's search finds some.
    title = (
        FreedomRequest.objects.filter(state=State.RELAYED)
        .order_by("-decided_at", "pk")
        .values_list("title", flat=True)
        .first()
    ) or "funding"
    word = max((w.strip(".,;:()'\"") for w in title.split()), key=len).lower() or "funding"
    return Cast(
        agreement=agreement,
        users=users,
        versions=agreement.version_count,
        targets=agreement.target_count,
        register_word=word,
    )


def pages_for(cast: Cast) -> list[Page]:
    from accounts.models import User

    agreement = cast.agreement
    base = f"/agreements/{agreement.round.slug}/{agreement.area.slug}/"
    may_see = tuple(
        role
        for role, user in cast.users.items()
        if isinstance(user, User) and user.has_perm("agreements.see_agreement", agreement)
    )
    newest = min(5, cast.versions)
    compare = base + "versions/compare/?" + urlencode({"from": 1, "to": newest})
    register = "/freedoms/register/"
    slug = agreement.round.slug
    return [
        Page(TRIVIAL, TRIVIAL_PATH, ROLES),
        Page("agreement overview", base, may_see),
        Page("targets list", base + "targets/", may_see),
        Page(f"compare versions 1 and {newest}", compare, may_see),
        Page(f"version {newest}", base + f"versions/{newest}/", may_see),
        Page("print view", base + "print/", may_see),
        Page("negotiation", base + "negotiation/", may_see),
        Page("home / your work", "/", ROLES),
        Page("agreements list", "/agreements/", ROLES),
        Page(
            "regional dashboard (GO North West)", "/dashboards/go-north-west/", (ADMIN, NEGOTIATOR)
        ),
        Page("national dashboard", "/dashboards/", (ADMIN,)),
        Page(
            "on track by area (GO North West)",
            "/dashboards/go-north-west/on-track/",
            (ADMIN, NEGOTIATOR),
        ),
        Page("freedoms register", register, ROLES),
        Page(
            f"freedoms register ?q={cast.register_word}",
            register + "?" + urlencode({"q": cast.register_word}),
            ROLES,
        ),
        Page(
            f"freedoms figures {slug}", f"/freedoms/{slug}/figures/", (ADMIN, NEGOTIATOR, OFFICIAL)
        ),
        Page("indicator search ?q=mortality", "/indicators/?q=mortality", ROLES),
    ]


def clients_for(cast: Cast) -> dict:
    from django.test import Client

    clients = {}
    for role, user in cast.users.items():
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        clients[role] = client
    return clients


def measure(client, page: Page, role: str) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # secure=True: as behind the production proxy, so HTTPS redirects do not kick in.
    warm = client.get(page.path, secure=True)
    result = Result(page.label, role, page.path, warm.status_code)
    if not result.ok:
        return result
    with CaptureQueriesContext(connection) as queries:
        client.get(page.path, secure=True)
    result.queries = len(queries.captured_queries)
    spent = 0.0
    while len(result.times) < REPEATS and (len(result.times) < MIN_REPEATS or spent < PAGE_BUDGET):
        started = time.perf_counter()
        response = client.get(page.path, secure=True)
        seconds = time.perf_counter() - started
        if response.status_code != 200:
            result.status = response.status_code
            return result
        result.times.append(seconds)
        spent += seconds
    return result


def measure_all(cast: Cast, pages: list[Page]) -> list[Result]:
    import logging

    clients = clients_for(cast)
    results = []
    # A page that fails is one line of the table, not a logged traceback in the middle.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    for page in pages:
        for role in page.roles:
            try:
                results.append(measure(clients[role], page, role))
            except Exception as exc:  # a page that raises is an error line, not a crash
                error = f"{type(exc).__name__}: {exc}"
                results.append(Result(page.label, role, page.path, 0, error=error))
    return results


def print_table(results: list[Result]) -> None:
    # One floor for every role: the trivial view's times for all of them together.
    floor = [t for r in results if r.page == TRIVIAL and r.ok for t in r.times]
    base = statistics.median(floor) * 1000 if floor else None
    print(f"{'page':<40} {'role':<12} {'queries':>7} {'median ms':>10} {'x trivial':>10} {'n':>3}")
    for result in results:
        head = f"{result.page:<40} {result.role:<12}"
        if not result.ok:
            detail = result.error or f"answered {result.status}"
            print(f"{head} ERROR: {detail} ({result.path})")
            continue
        ratio = f"{result.median_ms / base:10.1f}" if base else f"{'-':>10}"
        print(f"{head} {result.queries:7d} {result.median_ms:10.1f} {ratio} {len(result.times):3d}")


def print_comparison(by_scale: dict[int, list[Result]]) -> None:
    """Each page and role's time at the largest scale over its time at the smallest."""
    scales = sorted(by_scale)
    if len(scales) < 2:
        return
    low, high = scales[0], scales[-1]
    before = {(r.page, r.role): r for r in by_scale[low] if r.ok}
    print(
        f"{'page':<40} {'role':<12} {f'{low}x ms':>9} {f'{high}x ms':>9} "
        f"{f'{high}x/{low}x':>8} {'queries':>11}"
    )
    for result in by_scale[high]:
        old = before.get((result.page, result.role))
        head = f"{result.page:<40} {result.role:<12}"
        if old is None or not result.ok:
            print(f"{head} not comparable (an error at one of the scales)")
            continue
        queries = f"{old.queries} -> {result.queries}"
        print(
            f"{head} {old.median_ms:9.1f} {result.median_ms:9.1f} "
            f"{result.median_ms / old.median_ms:8.2f} {queries:>11}"
        )
