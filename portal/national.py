"""A full national round of agreements, at the scale the portal was built for.

`seed_national` gives every one of the 150 areas its 2008-11 agreement, each somewhere
along the negotiation, with the people, themes, targets, funding, frozen versions, stage
history, referrals, comments, freedoms requests and signatures a real one would have by
then. At a larger scale it also makes synthetic copies of the areas ("Cumbria 2"), so the
portal can be tried and timed with several times the national volume. Development only,
like the demo it builds on (the demo's own agreements are left as they are).

Rows are made in bulk: no change history is recorded for them and nobody is notified.
One random generator per area, seeded by the area's name, makes every run produce the same
data; an area that already has its agreement is skipped, so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Area, Organisation, Role, User
from agreements.models import (
    Agreement,
    AgreementFundingStream,
    AgreementTheme,
    DistrictShare,
    FundingStream,
    NegotiationStatus,
    Outcome,
    Target,
)
from agreements.services import signed_targets_record
from agreements.stages import Action, Stage
from core.working_days import add_working_days
from freedoms.lifecycle import Move, State, step_for
from freedoms.lifecycle import Outcome as RequestOutcome
from freedoms.models import FreedomRequest, PolicyOwner, RequestEvent
from indicators.models import Indicator, Round, RoundIndicator
from negotiations.models import Comment, Referral, ReviewRating, StageChange, TargetView, Version
from negotiations.services import REFERRAL_WORKING_DAYS
from negotiations.versions import snapshot
from partners.models import AccessLevel, PartnerRepresentative, Partnership, PartnerType
from signoff.models import Signature, SignOff, StepKind
from signoff.selectors import commitment_choices
from signoff.services import statement_for

ROUND = "2008-11"
SEED = 2008
CHUNK = 25  # areas made in one transaction
BATCH = 500
SYNTHETIC_NOTE = "A synthetic copy of {name}, made to try the portal at national scale."
SYNTHETIC_PREFIX = SYNTHETIC_NOTE.split("{")[0]

DESIGNATED_PER_AGREEMENT = 35
VERSIONS_PER_AGREEMENT = 5
REQUESTS_PER_AREA = 20
OFFICIALS_PER_DEPARTMENT = 12

# The stages agreements are at, in a repeating pattern by the area's place in the list:
# most past drafting, a third signed. The first eight places hold eight different stages,
# so a few areas already show every one.
STAGE_PATTERN = [
    Stage.SIGNED,
    Stage.IN_SIGN_OFF,
    Stage.REFERRED,
    Stage.DRAFTING,
    Stage.AGREED_IN_PRINCIPLE,
    Stage.IN_REVIEW,
    Stage.SUBMITTED,
    Stage.RETURNED,
    Stage.SIGNED,
    Stage.IN_REVIEW,
    Stage.SIGNED,
    Stage.AGREED_IN_PRINCIPLE,
    Stage.REFERRED,
    Stage.SIGNED,
    Stage.IN_SIGN_OFF,
    Stage.IN_REVIEW,
    Stage.SIGNED,
    Stage.DRAFTING,
    Stage.AGREED_IN_PRINCIPLE,
    Stage.SIGNED,
]
LATE_STAGES = frozenset({Stage.AGREED_IN_PRINCIPLE, Stage.IN_SIGN_OFF, Stage.SIGNED})

# --- Words ---------------------------------------------------------------------------------

FIRST_NAMES = [
    "Alex", "Amira", "Andrew", "Anita", "Ben", "Bernadette", "Callum", "Carol", "Dev",
    "Diane", "Eamon", "Elaine", "Farah", "Fiona", "Gareth", "Gill", "Harpreet", "Helen",
    "Ian", "Imogen", "Jas", "Joanne", "Kevin", "Kirsty", "Liam", "Lorraine", "Mark",
    "Maureen", "Neil", "Nisha", "Owen", "Pauline", "Raj", "Rachel", "Simon", "Sunita",
    "Tom", "Tracey", "Wayne", "Yvonne",
]  # fmt: skip
SURNAMES = [
    "Ahmed", "Atkinson", "Bailey", "Bennett", "Chapman", "Clarke", "Dawson", "Edwards",
    "Fletcher", "Foster", "Gibson", "Graham", "Hall", "Hussain", "Jackson", "Kaur", "Kelly",
    "Lawrence", "Marshall", "Mitchell", "Moss", "Nolan", "Owen", "Patel", "Pearson",
    "Quinn", "Rahman", "Reid", "Shaw", "Singh", "Stevens", "Taylor", "Turner", "Walsh",
    "Watson", "Whitehead", "Wilkinson", "Wood", "Wright", "Young",
]  # fmt: skip

# (partner type, name pattern, slug suffix, job title of its representative)
PARTNERS = [
    (PartnerType.PCT, "{area} Primary Care Trust", "pct", "Director of Public Health"),
    (PartnerType.POLICE, "{area} Police", "police", "Chief Superintendent"),
    (PartnerType.FIRE, "{area} Fire and Rescue Service", "fire", "Area Manager, Prevention"),
    (PartnerType.JOBCENTRE_PLUS, "Jobcentre Plus {area}", "jcp", "District Manager"),
    (PartnerType.LSC, "Learning and Skills Council, {area}", "lsc", "Partnership Director"),
    (PartnerType.VCS, "{area} Council for Voluntary Service", "cvs", "Chief Officer"),
    (PartnerType.BUSINESS, "{area} Chamber of Commerce", "chamber", "Policy Manager"),
]
DISTRICT_PREFIXES = ["North", "South", "East", "West", "Mid", "Vale of"]

TIER_PHRASES = {
    Area.Tier.COUNTY: "a two-tier county",
    Area.Tier.METROPOLITAN: "a metropolitan district",
    Area.Tier.LONDON_BOROUGH: "a London borough",
    Area.Tier.UNITARY: "a unitary authority",
}

OUTCOMES = {
    "Stronger communities": [
        "People feel they belong to their neighbourhood",
        "More residents take part in local decisions",
        "A thriving voluntary and community sector",
        "People from different backgrounds get on well together",
    ],
    "Safer communities": [
        "Less serious violent and acquisitive crime",
        "Fewer people killed or seriously injured on our roads",
        "Less harm caused by drugs and alcohol",
        "People feel safe in their homes and town centres",
    ],
    "Children and young people": [
        "Every child achieves their potential at school",
        "Fewer young people not in education, employment or training",
        "Children are kept safe from harm",
        "Fewer teenage conceptions",
    ],
    "Adult health and wellbeing": [
        "People live longer, healthier lives",
        "Narrower gaps in life expectancy between wards",
        "Older people live independently for longer",
        "Fewer adults smoke",
    ],
    "Tackling exclusion and promoting equality": [
        "Fewer children live in poverty",
        "Disabled people have choice and control over their support",
        "More vulnerable adults in settled accommodation",
    ],
    "Local economy": [
        "More people in work, especially on out-of-work benefits",
        "A better-skilled workforce",
        "More new businesses that survive and grow",
        "Regeneration of our town centres",
    ],
    "Environmental sustainability": [
        "Lower carbon emissions from homes, business and transport",
        "Less waste sent to landfill",
        "Cleaner streets and public spaces",
        "Fewer households in fuel poverty",
    ],
}

LOCAL_TARGETS = [
    ("Households in fuel poverty helped by the Warm Homes scheme", "households", "higher"),
    ("Young people using the youth bus each month", "young people", "higher"),
    ("Empty homes brought back into use", "homes", "higher"),
    ("Incidents of deliberate fire-setting", "incidents", "lower"),
    ("Volunteers placed through the volunteer centre", "volunteers", "higher"),
    ("Adults completing a first full level 2 qualification at work", "adults", "higher"),
    ("Town centre vacant shop units", "units", "lower"),
    ("Older people receiving a home safety check", "people", "higher"),
    ("Reports of anti-social behaviour to the police", "reports", "lower"),
    ("Families supported by the family intervention project", "families", "higher"),
    ("Schools with a healthy schools award", "schools", "higher"),
    ("Tonnes of household waste recycled through bring sites", "tonnes", "higher"),
]

DEFERRED_CAVEATS = [
    "Baseline from the 2008 Place Survey, due in spring 2009; targets to be agreed at the refresh.",
    "The national definition is being revised; the target will be set once it is published.",
    "Awaiting the first year of data from the new collection.",
]

CHALLENGES = [
    "The trajectory is less than the area's recent trend. Justify it or raise it.",
    "The baseline does not match the published figure for 2007/08. Please check the source.",
    "This is below the regional average improvement. What stops a more ambitious target?",
    "The lead partner has not confirmed it can deliver this. Please evidence their agreement.",
    "The target falls in year three. Explain why, or set a steady improvement.",
]
REQUIRED_CHANGES = [
    ("story_of_place", "The story of place needs the evidence behind the priorities."),
    ("governance", "Set out how the partnership board will hold partners to account."),
    ("themes", "Each priority needs at least one measurable outcome."),
    ("agreement", "The agreement needs the statutory education targets agreed with DCSF."),
]
SUGGESTIONS = [
    "Consider a local target on the youth offer to sit alongside this one.",
    "The neighbouring area's approach to pooled budgets may help here.",
    "It would read better with the district councils' contributions named.",
    "A stretch on this target could attract reward grant.",
]
GO_INTERNAL = [
    "The regional adviser thinks a stronger target is achievable by 2010/11.",
    "Raise at the next negotiation meeting: the PCT's commitment is not clear.",
    "The department will push back on this trajectory; prepare the evidence.",
    "Compare with the other areas in the region before the next meeting.",
    "The chief executive has asked for a meeting about the reward element.",
]
DEPARTMENT_NOTES = [
    "The department would like to see the baseline source before agreeing the trajectory.",
    "This fits the national priorities; we support it.",
    "Please make sure the target uses the published national definition.",
]
LOCALITY_COMMENTS = [
    "The partnership board agreed these priorities at its last meeting.",
    "The PCT has confirmed it can lead on the health targets.",
    "We will send revised figures once the 2007/08 data is validated.",
    "District councils have been consulted on their shares.",
]
REPLIES = [
    "The trend includes a one-off improvement in 2006/07; the underlying rate is lower.",
    "We have checked the source and corrected the baseline in the next draft.",
    "Agreed: we will raise the target in the next version.",
    "The partners have confirmed their commitment in writing; the letter is attached.",
]
RETURN_COMMENTS = [
    "Returned for revision: the challenges on the targets need answering first.",
    "Returned so that the partnership can confirm the lead partners.",
    "Returned: the story of place needs more evidence behind the priorities.",
    "Returned after the departments' views; please revise the trajectories they questioned.",
]
REFERRAL_SUMMARIES = [
    "We support the targets in our field, with the concerns noted.",
    "Content with the proposed targets.",
    "Broadly content; two trajectories should be more ambitious.",
]

REQUESTS = [
    (
        "Pool Connexions funding into the children's trust budget",
        "funding_condition",
        "Connexions grant conditions require a separate budget and audit trail.",
        "Pool the Connexions grant with other children's services funding.",
    ),
    (
        "Annual rather than quarterly reporting on the Children's Fund",
        "reporting_duty",
        "Quarterly monitoring returns take two officers a week each quarter.",
        "Report once a year through the LAA performance framework.",
    ),
    (
        "Lift the ring-fence on the Supporting People grant",
        "funding_condition",
        "The ring-fence stops the partnership moving money to preventive housing support.",
        "Remove the ring-fence for the life of the agreement.",
    ),
    (
        "Flexibility over the timing of Neighbourhood Renewal Fund spend",
        "funding_condition",
        "Unspent grant must be returned at the year end.",
        "Carry unspent grant forward into the next financial year.",
    ),
    (
        "Single assessment for drug treatment and housing support",
        "rule",
        "Clients are assessed separately by each service under different rules.",
        "Allow one shared assessment accepted by both services.",
    ),
    (
        "Local discretion over Jobcentre Plus outreach locations",
        "rule",
        "Outreach staff may only work from designated offices.",
        "Let advisers work from children's centres and GP surgeries.",
    ),
    (
        "Combine the road safety grants",
        "funding_condition",
        "Two road safety grants each need their own bid and monitoring.",
        "Pay both grants as one allocation with one report.",
    ),
    (
        "Fewer inspections of the youth offending service",
        "reporting_duty",
        "Three inspectorates visit the service within a year.",
        "A single joint inspection each year.",
    ),
    (
        "Use Learning and Skills Council funding for workplace literacy",
        "funding_condition",
        "The funding may only be spent on accredited courses in colleges.",
        "Fund short literacy courses delivered at employers' premises.",
    ),
    (
        "Waive the matched-funding rule for the community cohesion grant",
        "funding_condition",
        "Small groups cannot find the matched funding the grant requires.",
        "Waive match funding for grants under £5,000.",
    ),
    (
        "Share data on young people not in education, employment or training",
        "rule",
        "Data protection guidance prevents the council and Connexions sharing records.",
        "A data-sharing protocol approved by the department.",
    ),
    (
        "Align the PCT's and council's commissioning cycles",
        "rule",
        "Commissioning rules require separate tenders on different timetables.",
        "Permit joint commissioning under one procurement.",
    ),
]
REQUEST_REASONS = [
    "Ministers have agreed this for all areas from April 2009.",
    "The national evaluation needs the returns until the end of the programme.",
    "The regulations already allow this; guidance will be reissued to make it clear.",
    "The grant conditions are set by statute and cannot be waived for one area.",
    "The department will pilot this in the region and review after a year.",
]
REQUEST_ALTERNATIVES = [
    "Align the budgets in 2008/09 and pool from 2009/10.",
    "Report twice a year rather than quarterly.",
    "A pilot in two districts first, extended if it works.",
]
REQUEST_QUESTIONS = [
    "Please say how much officer time the current returns take.",
    "Which funding streams exactly would be pooled?",
]


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(SURNAMES)


def _email_part(text: str) -> str:
    return slugify(text).replace("-", "")


# --- Dates in bulk ----------------------------------------------------------------------------


@contextmanager
def _dates_as_given(*models):
    """Let bulk_create keep the created/updated times set on each row, so the history is
    spread over past months rather than stamped with the moment of seeding. The fields are
    the models' own, so this is for a seeding process, never a serving one."""
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


DATED_MODELS = (
    Agreement,
    Outcome,
    Target,
    AgreementFundingStream,
    Version,
    StageChange,
    Comment,
    ReviewRating,
    Referral,
    TargetView,
    FreedomRequest,
    RequestEvent,
    SignOff,
    Signature,
)


def _spread(rng: random.Random, start: dt.datetime, end: dt.datetime, n: int) -> list:
    """`n` increasing moments between start and end."""
    if n <= 0:
        return []
    span = max((end - start).total_seconds(), n * 3600)
    points = sorted(rng.uniform(0, span) for _ in range(n))
    out, last = [], None
    for point in points:
        moment = start + dt.timedelta(seconds=point)
        if last is not None and moment <= last:
            moment = last + dt.timedelta(minutes=7)
        out.append(moment)
        last = moment
    return out


def _between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    if end <= start:
        return start + dt.timedelta(minutes=5)
    return start + (end - start) * rng.uniform(0.1, 0.9)


# --- What the whole run shares ----------------------------------------------------------------


@dataclass
class _Context:
    round: Round
    now: dt.datetime
    password: str
    themes: dict
    designatable: list[Indicator]
    statutory: list[Indicator]
    streams: list[FundingStream]
    departments: list[Organisation]
    national_team: Organisation | None
    admin: User | None
    negotiators: dict = field(default_factory=dict)  # (GO pk, copy) -> [User]
    officials: dict = field(default_factory=dict)  # (department pk, copy) -> [User]
    owners: dict = field(default_factory=dict)  # department pk -> PolicyOwner


def _context(round_: Round) -> _Context:
    catalogue = list(
        RoundIndicator.objects.filter(round=round_)
        .select_related("indicator__lead_department")
        .order_by("indicator__number")
    )
    designatable = [e.indicator for e in catalogue if not e.is_statutory]
    statutory = [e.indicator for e in catalogue if e.is_statutory]
    departments = sorted(
        {e.indicator.lead_department for e in catalogue}, key=lambda d: d.abbreviation
    )
    return _Context(
        round=round_,
        now=timezone.now(),
        password=make_password(settings.DEMO_PASSWORD),
        themes={theme.name: theme for theme in round_.themes.all()},
        designatable=designatable,
        statutory=statutory,
        streams=list(round_.funding_streams.select_related("department").order_by("name")),
        departments=departments,
        national_team=Organisation.objects.filter(kind=Organisation.Kind.NATIONAL_TEAM)
        .order_by("pk")
        .first(),
        admin=User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first(),
    )


def _negotiators_per_copy(go_area_count: int) -> int:
    return 4 + go_area_count // 2


def _national_people(ctx: _Context, copies: int, counts: Counter) -> None:
    """Negotiators in each GO and officials in each department leading an indicator, a
    team of them for each copy of the areas, and each department's LAA lead."""
    offices = list(
        Organisation.objects.filter(kind=Organisation.Kind.GOVERNMENT_OFFICE).order_by("name")
    )
    real_counts = Counter(
        Area.objects.exclude(notes__startswith=SYNTHETIC_PREFIX).values_list(
            "government_office_id", flat=True
        )
    )
    wanted: dict[str, User] = {}
    teams: dict[tuple, list[str]] = {}
    for office in offices:
        per_copy = _negotiators_per_copy(real_counts.get(office.pk, 0))
        rng = random.Random(f"{SEED}:{office.slug}")
        for n in range(per_copy * copies):
            first, last = _person(rng)
            email = f"negotiator.{n + 1}@{office.slug}.example.org"
            wanted[email] = User(
                email=email,
                full_name=f"{first} {last}",
                role=Role.NEGOTIATOR,
                organisation=office,
                job_title="Locality manager" if n % per_copy else "Lead negotiator",
                password=ctx.password,
            )
            teams.setdefault(("go", office.pk, n // per_copy), []).append(email)
    for department in ctx.departments:
        rng = random.Random(f"{SEED}:{department.slug}")
        for n in range(OFFICIALS_PER_DEPARTMENT * copies):
            first, last = _person(rng)
            email = f"official.{n + 1}@{department.slug}.example.org"
            wanted[email] = User(
                email=email,
                full_name=f"{first} {last}",
                role=Role.OFFICIAL,
                organisation=department,
                job_title=f"Policy adviser, {department.abbreviation}",
                password=ctx.password,
            )
            teams.setdefault(("dept", department.pk, n // OFFICIALS_PER_DEPARTMENT), []).append(
                email
            )
    existing = {u.email: u for u in User.objects.filter(email__in=list(wanted))}
    new = [user for email, user in wanted.items() if email not in existing]
    User.objects.bulk_create(new, batch_size=BATCH)
    counts["users"] += len(new)
    users = {**{u.email: u for u in new}, **existing}
    for (kind, pk, copy), emails in teams.items():
        target = ctx.negotiators if kind == "go" else ctx.officials
        target[(pk, copy)] = [users[email] for email in emails]

    leads = {o.department_id: o for o in PolicyOwner.objects.filter(is_laa_lead=True)}
    new_leads = []
    for department in ctx.departments:
        if department.pk not in leads:
            owner = PolicyOwner(
                department=department, user=ctx.officials[(department.pk, 0)][0], is_laa_lead=True
            )
            new_leads.append(owner)
            leads[department.pk] = owner
    PolicyOwner.objects.bulk_create(new_leads)
    ctx.owners = leads


# --- Areas --------------------------------------------------------------------------------------


@dataclass
class _Item:
    area: Area
    position: int
    copy: int


def _areas(ctx: _Context, scale: int, limit: int | None, counts: Counter) -> list[_Item]:
    """The real areas (the first `limit` by name) and, at a larger scale, their copies."""
    real = list(
        Area.objects.exclude(notes__startswith=SYNTHETIC_PREFIX)
        .select_related("government_office")
        .order_by("name")
    )
    if limit is not None:
        real = real[:limit]
    names = [
        (source, copy, source.name if copy == 0 else f"{source.name} {copy + 1}")
        for copy in range(scale)
        for source in real
    ]
    existing = {
        a.name: a
        for a in Area.objects.filter(name__in=[n for _, _, n in names]).select_related(
            "government_office"
        )
    }
    new_areas = []
    for index, (source, copy, name) in enumerate(names):
        if name in existing:
            continue
        area = Area(
            name=name,
            slug=slugify(name),
            tier=source.tier,
            government_office=source.government_office,
            ons_code=f"E9{copy:03d}{index % len(real):04d}",
            notes=SYNTHETIC_NOTE.format(name=source.name),
        )
        new_areas.append(area)
        existing[name] = area
    if new_areas:
        Area.objects.bulk_create(new_areas, batch_size=BATCH)
        Organisation.objects.bulk_create(
            [
                Organisation(
                    kind=Organisation.Kind.LOCALITY,
                    area=area,
                    name=f"{area.name} (lead council)",
                    slug=f"locality-{area.slug}",
                )
                for area in new_areas
            ],
            batch_size=BATCH,
        )
        counts["new_areas"] += len(new_areas)
    return [
        _Item(area=existing[name], position=index, copy=copy)
        for index, (_, copy, name) in enumerate(names)
    ]


# --- One agreement's plan ---------------------------------------------------------------------


@dataclass
class _People:
    locality: Organisation
    partners: list[tuple[Organisation, str]]  # (organisation, partner type)
    coordinator: User
    representatives: list[tuple[User, Organisation, str]]  # (user, partner, access)
    negotiators: list[User]


def _people(ctx: _Context, items: list[_Item], counts: Counter) -> dict[int, _People]:
    """Each area's partners, its coordinator and the partners' representatives."""
    localities = {
        o.area_id: o
        for o in Organisation.objects.filter(
            kind=Organisation.Kind.LOCALITY, area__in=[i.area for i in items]
        )
    }
    planned_orgs: dict[str, Organisation] = {}
    planned_links: list[tuple[Area, str, str]] = []  # (area, slug, type)
    planned_users: dict[str, User] = {}
    planned_reps: list[tuple[Area, str, str, str]] = []  # (area, email, partner slug, access)
    coordinator_email: dict[int, str] = {}
    for item in items:
        area = item.area
        rng = random.Random(f"{SEED}:people:{area.name}")
        partners = [
            (kind, pattern.format(area=area.name), f"{area.slug}-{suffix}", title)
            for kind, pattern, suffix, title in PARTNERS
        ]
        if area.is_two_tier:
            for prefix in rng.sample(DISTRICT_PREFIXES, 3):
                partners.append(
                    (
                        PartnerType.DISTRICT_COUNCIL,
                        f"{prefix} {area.name} District Council",
                        f"{area.slug}-{slugify(prefix)}-district",
                        "Head of Policy",
                    )
                )
        domain = f"{area.slug}.example.org"
        first, last = _person(rng)
        email = f"{_email_part(first)}.{_email_part(last)}.1@{domain}"
        coordinator_email[area.pk] = email
        planned_users[email] = User(
            email=email,
            full_name=f"{first} {last}",
            role=Role.COORDINATOR,
            organisation=localities[area.pk],
            job_title="LAA coordinator",
            password=ctx.password,
        )
        extra = set(rng.sample(range(len(partners)), max(1, 10 - len(partners))))
        person = 2
        for index, (kind, name, slug, title) in enumerate(partners):
            planned_orgs[slug] = Organisation(kind=Organisation.Kind.PARTNER, name=name, slug=slug)
            planned_links.append((area, slug, kind))
            for rep in range(2 if index in extra else 1):
                first, last = _person(rng)
                email = f"{_email_part(first)}.{_email_part(last)}.{person}@{domain}"
                person += 1
                planned_users[email] = User(
                    email=email,
                    full_name=f"{first} {last}",
                    role=Role.PARTNER,
                    organisation=planned_orgs[slug],
                    job_title=title if rep == 0 else "Partnership officer",
                    password=ctx.password,
                )
                access = rng.choice(
                    [AccessLevel.VIEW, AccessLevel.COMMENT, AccessLevel.COMMENT, AccessLevel.EDIT]
                )
                planned_reps.append((area, email, slug, access))

    existing_orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=list(planned_orgs))}
    new_orgs = [o for slug, o in planned_orgs.items() if slug not in existing_orgs]
    Organisation.objects.bulk_create(new_orgs, batch_size=BATCH)
    orgs = {**{o.slug: o for o in new_orgs}, **existing_orgs}
    counts["organisations"] += len(new_orgs)

    existing_links = set(
        Partnership.objects.filter(area__in=[i.area for i in items]).values_list(
            "area_id", "organisation_id"
        )
    )
    links = [
        Partnership(area=area, organisation=orgs[slug], partner_type=kind)
        for area, slug, kind in planned_links
        if (area.pk, orgs[slug].pk) not in existing_links
    ]
    Partnership.objects.bulk_create(links, batch_size=BATCH)
    partnerships = {
        (p.area_id, p.organisation_id): p
        for p in Partnership.objects.filter(area__in=[i.area for i in items])
    }

    for user in planned_users.values():
        if user.role == Role.PARTNER:
            user.organisation = orgs[user.organisation.slug]
    existing_users = {u.email: u for u in User.objects.filter(email__in=list(planned_users))}
    new_users = [u for email, u in planned_users.items() if email not in existing_users]
    User.objects.bulk_create(new_users, batch_size=BATCH)
    users = {**{u.email: u for u in new_users}, **existing_users}
    counts["users"] += len(new_users)

    existing_reps = set(
        PartnerRepresentative.objects.filter(
            partnership__area__in=[i.area for i in items]
        ).values_list("partnership_id", "user_id")
    )
    reps = []
    for area, email, slug, access in planned_reps:
        partnership = partnerships[(area.pk, orgs[slug].pk)]
        user = users[email]
        if (partnership.pk, user.pk) in existing_reps:
            continue
        reps.append(
            PartnerRepresentative(
                partnership=partnership,
                user=user,
                access=access,
                invited_by=users[coordinator_email[area.pk]],
            )
        )
    PartnerRepresentative.objects.bulk_create(reps, batch_size=BATCH)

    people = {}
    for item in items:
        area = item.area
        partner_slugs = [slug for a, slug, _ in planned_links if a.pk == area.pk]
        types = {slug: kind for a, slug, kind in planned_links if a.pk == area.pk}
        people[area.pk] = _People(
            locality=localities[area.pk],
            partners=[(orgs[slug], types[slug]) for slug in partner_slugs],
            coordinator=users[coordinator_email[area.pk]],
            representatives=[
                (users[email], orgs[slug], access)
                for a, email, slug, access in planned_reps
                if a.pk == area.pk
            ],
            negotiators=ctx.negotiators.get((area.government_office_id, item.copy))
            or ctx.negotiators.get((area.government_office_id, 0))
            or [],
        )
    return people


def _history(stage: str, rng: random.Random) -> list[tuple[str, str, str, int | None]]:
    """The moves that brought the agreement to `stage`: five submissions, each reviewed
    and returned until the last, which goes on as far as the stage. Each move is (action,
    from, to, number of the version it names)."""
    if stage == Stage.DRAFTING:
        return []
    steps: list[tuple[str, str, str, int | None]] = []
    current = Stage.DRAFTING

    def move(action, to, number=None):
        nonlocal current
        steps.append((action, current, to, number))
        current = to

    for number in range(1, VERSIONS_PER_AGREEMENT + 1):
        move(Action.SUBMIT, Stage.SUBMITTED, number)
        if number == VERSIONS_PER_AGREEMENT and stage == Stage.SUBMITTED:
            break
        move(Action.START_REVIEW, Stage.IN_REVIEW, number)
        if number < VERSIONS_PER_AGREEMENT:
            if number == 3 and rng.random() < 0.5:
                move(Action.REFER, Stage.REFERRED)
            move(Action.RETURN, Stage.RETURNED)
            continue
        if stage == Stage.IN_REVIEW:
            break
        if stage == Stage.RETURNED:
            move(Action.RETURN, Stage.RETURNED)
            break
        if stage == Stage.REFERRED or rng.random() < 0.7:
            move(Action.REFER, Stage.REFERRED)
            if stage == Stage.REFERRED:
                break
            if rng.random() < 0.5:
                move(Action.RESUME_REVIEW, Stage.IN_REVIEW)
        move(Action.AGREE_IN_PRINCIPLE, Stage.AGREED_IN_PRINCIPLE)
        if stage == Stage.AGREED_IN_PRINCIPLE:
            break
        move(Action.START_SIGN_OFF, Stage.IN_SIGN_OFF, number)
        if stage == Stage.IN_SIGN_OFF:
            break
        move(Action.SIGN, Stage.SIGNED, number)
    return steps


def _figures(indicator: Indicator | None, polarity: str, rng: random.Random):
    """A baseline and three yearly targets moving the right way, as decimal strings."""
    title = indicator.title.lower() if indicator else ""
    rate = "%" in title or "percentage" in title or "proportion" in title or "rate" in title
    direction = {"higher": 1, "lower": -1}.get(polarity) or rng.choice([1, -1])
    if rate:
        baseline = round(rng.uniform(12, 85), 1)
        step = baseline * rng.uniform(0.01, 0.04)
        values = [round(baseline + direction * step * (year + 1), 1) for year in range(3)]
        return f"{baseline:.1f}", [f"{v:.1f}" for v in values]
    baseline = rng.randint(60, 4000)
    step = max(1, round(baseline * rng.uniform(0.02, 0.06)))
    values = [max(0, baseline + direction * step * (year + 1)) for year in range(3)]
    return str(baseline), [str(v) for v in values]


@dataclass
class _Plan:
    item: _Item
    people: _People
    rng: random.Random
    stage: str
    opened_at: dt.datetime
    steps: list
    step_times: list
    agreement: Agreement | None = None
    themes: list = field(default_factory=list)  # AgreementTheme
    outcomes: dict = field(default_factory=dict)  # theme name -> [Outcome]
    targets: list = field(default_factory=list)
    funding: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    replies: list = field(default_factory=list)
    negotiator: User | None = None

    @property
    def past_drafting(self) -> bool:
        return self.stage != Stage.DRAFTING

    def time_of(self, action: str, last: bool = True):
        moments = [t for (a, *_), t in zip(self.steps, self.step_times, strict=True) if a == action]
        if not moments:
            return None
        return moments[-1] if last else moments[0]


def _plan(ctx: _Context, item: _Item, people: _People) -> _Plan:
    rng = random.Random(f"{SEED}:{item.area.name}")
    stage = STAGE_PATTERN[item.position % len(STAGE_PATTERN)]
    opened_at = ctx.now - dt.timedelta(days=rng.uniform(200, 320))
    steps = _history(stage, rng)
    step_times = _spread(
        rng, opened_at + dt.timedelta(days=30), ctx.now - dt.timedelta(days=1), len(steps)
    )
    plan = _Plan(item, people, rng, stage, opened_at, steps, step_times)
    plan.negotiator = rng.choice(people.negotiators) if people.negotiators else None
    return plan


def _story(area: Area, themes: list[str], rng: random.Random) -> str:
    region = area.government_office.name.removeprefix("GO ")
    priorities = "\n".join(f"- {name.lower()};" for name in themes)
    population = rng.randint(150, 1100) * 1000
    return (
        f"{area.name} is {TIER_PHRASES.get(area.tier, 'an area')} in {region}, home to "
        f"about {population:,} people. Its Local Strategic Partnership brings together the "
        "council, health, police, fire, Jobcentre Plus, the Learning and Skills Council, "
        "business and the voluntary and community sector.\n\n"
        f"Our partnership's priorities for 2008-11 are:\n\n{priorities}\n\n"
        f"The gap between our most and least deprived wards is wide: life expectancy differs "
        f"by {rng.randint(5, 12)} years, and {rng.randint(12, 32)}% of children live in "
        "households on out-of-work benefits in the most deprived neighbourhoods.\n\n"
        "The targets in this agreement are the ones where working together will make the "
        "greatest difference, chosen with residents through the community strategy "
        "consultation."
    )


def _governance(area: Area, rng: random.Random) -> str:
    return (
        "The Local Strategic Partnership board, chaired by the Leader of the Council, owns "
        f"the agreement. {rng.randint(4, 6)} thematic partnerships each lead on a block of "
        "targets and report to the board every quarter.\n\n"
        "Performance is reported quarterly against each target's trajectory; a target off "
        "track for two quarters goes to the board with a recovery plan. The partnership's "
        "risk register covers every target with a reward element.\n\n"
        "Partners have agreed a protocol for sharing data, and the voluntary and community "
        "sector holds two seats on the board."
    )


def _build_content(ctx: _Context, plan: _Plan) -> None:
    """The agreement, its themes, outcomes, targets and funding, as unsaved rows."""
    rng, people, area = plan.rng, plan.people, plan.item.area
    late = plan.stage in LATE_STAGES
    designated = rng.sample(ctx.designatable, DESIGNATED_PER_AGREEMENT)
    by_theme = Counter(i.theme for i in designated if i.theme in ctx.themes)
    theme_names = [name for name, _ in by_theme.most_common(rng.randint(3, 5))]
    if len(theme_names) < 3:
        theme_names += [n for n in ctx.themes if n not in theme_names][: 3 - len(theme_names)]
    theme_names.sort(key=lambda n: ctx.themes[n].position)

    agreement = Agreement(
        area=area,
        round=ctx.round,
        stage=plan.stage,
        story_of_place=_story(area, theme_names, rng),
        governance=_governance(area, rng),
        opened_by=people.coordinator,
        version=rng.randint(8, 60),
        created_at=plan.opened_at,
        updated_at=plan.step_times[-1] if plan.step_times else ctx.now - dt.timedelta(days=2),
    )
    plan.agreement = agreement
    for name in theme_names:
        agreement_theme = AgreementTheme(agreement=agreement, theme=ctx.themes[name])
        plan.themes.append(agreement_theme)
        titles = rng.sample(OUTCOMES.get(name, [f"Progress on {name.lower()}"]), rng.randint(1, 3))
        plan.outcomes[name] = [
            Outcome(
                agreement=agreement,
                agreement_theme=agreement_theme,
                title=title,
                description=f"What {area.name}'s partners will achieve together by 2011.",
                created_at=plan.opened_at + dt.timedelta(days=rng.uniform(3, 25), minutes=n),
                updated_at=plan.opened_at + dt.timedelta(days=26),
            )
            for n, title in enumerate(titles)
        ]

    partners = [org for org, _ in people.partners]
    districts = [org for org, kind in people.partners if kind == PartnerType.DISTRICT_COUNCIL]
    deferred = set(rng.sample(range(DESIGNATED_PER_AGREEMENT), rng.randint(2, 4)))
    stretch = set(rng.sample(range(DESIGNATED_PER_AGREEMENT), rng.randint(2, 5))) - deferred
    stamp = {"created_at": plan.opened_at + dt.timedelta(days=10), "updated_at": ctx.now}
    if plan.step_times:
        stamp["updated_at"] = plan.step_times[0] - dt.timedelta(hours=2)

    def status(index: int, is_deferred: bool) -> str:
        if is_deferred:
            return NegotiationStatus.DEFERRED if plan.past_drafting else NegotiationStatus.PROPOSED
        if late:
            return NegotiationStatus.AGREED
        if plan.stage in (Stage.DRAFTING, Stage.SUBMITTED):
            return NegotiationStatus.PROPOSED
        return rng.choices(
            [NegotiationStatus.AGREED, NegotiationStatus.PROPOSED, NegotiationStatus.TO_BE_AGREED],
            [6, 3, 1],
        )[0]

    for index, indicator in enumerate(designated):
        is_deferred = index in deferred
        polarity = indicator.polarity
        baseline, values = _figures(indicator, polarity, rng)
        # A draft still has a few gaps; a submitted one is complete.
        gap = not plan.past_drafting and rng.random() < 0.15
        outcomes = plan.outcomes.get(indicator.theme)
        target = Target(
            agreement=agreement,
            kind=Target.Kind.DESIGNATED,
            indicator=indicator,
            outcome=rng.choice(outcomes) if outcomes else None,
            units=indicator.units,
            polarity=polarity,
            baseline_value=None if is_deferred else Decimal(baseline),
            baseline_year="" if is_deferred else rng.choice(["2007/08", "2007/08", "2006/07"]),
            baseline_due_on=(ctx.now + dt.timedelta(days=rng.randint(60, 200))).date()
            if is_deferred
            else None,
            yearly_values=[None, None, None]
            if is_deferred
            else [values[0], None if gap else values[1], values[2]],
            is_stretch=index in stretch,
            is_deferred=is_deferred,
            caveats=rng.choice(DEFERRED_CAVEATS) if is_deferred else "",
            lead_partner=None
            if gap and index % 2
            else rng.choice([people.locality, people.locality, *partners]),
            status=status(index, is_deferred),
            version=rng.randint(1, 4),
            **stamp,
        )
        # A lead partner is not also a contributor (the target services' rule).
        contributors = rng.sample(partners, rng.randint(0, 2))
        target._contributors = [p for p in contributors if p != target.lead_partner]
        target._shares = (
            [
                (d, Decimal(values[2]) / len(districts))
                for d in districts
                if values[2] and not is_deferred
            ]
            if districts and index < 2
            else []
        )
        plan.targets.append(target)

    for indicator in ctx.statutory:
        baseline, values = _figures(indicator, indicator.polarity or "higher", rng)
        filled = plan.past_drafting or rng.random() < 0.5
        target = Target(
            agreement=agreement,
            kind=Target.Kind.STATUTORY,
            indicator=indicator,
            units=indicator.units,
            polarity=indicator.polarity,
            baseline_value=Decimal(baseline) if filled else None,
            baseline_year="2007/08" if filled else "",
            yearly_values=values if filled else [None, None, None],
            lead_partner=people.locality,
            status=NegotiationStatus.AGREED if late else NegotiationStatus.PROPOSED,
            **stamp,
        )
        target._contributors, target._shares = [], []
        plan.targets.append(target)

    all_outcomes = [o for outcomes in plan.outcomes.values() for o in outcomes]
    for title, units, polarity in rng.sample(LOCAL_TARGETS, rng.randint(2, 4)):
        baseline, values = _figures(None, polarity, rng)
        target = Target(
            agreement=agreement,
            kind=Target.Kind.LOCAL,
            outcome=rng.choice(all_outcomes),
            local_title=title,
            local_definition=f"{title} in {area.name} each financial year, from partners' "
            "own records.",
            units=units,
            polarity=polarity,
            baseline_value=Decimal(baseline),
            baseline_year="2007/08",
            yearly_values=values,
            lead_partner=rng.choice([people.locality, *partners]),
            status=status(-1, False),
            **stamp,
        )
        contributors = [p for p in rng.sample(partners, 1) if p != target.lead_partner]
        target._contributors, target._shares = contributors, []
        plan.targets.append(target)

    pct = next((org for org, kind in people.partners if kind == PartnerType.PCT), None)
    for stream in rng.sample(ctx.streams, min(len(ctx.streams), rng.randint(1, 3))):
        provider = pct if stream.kind == FundingStream.Kind.MAINSTREAM and pct else people.locality
        amount = rng.randint(2, 120) * 25_000
        consented = plan.past_drafting or rng.random() < 0.5
        entry = AgreementFundingStream(
            agreement=agreement,
            stream=stream,
            yearly_amounts=[str(amount), str(amount + amount // 20), str(amount + amount // 10)],
            arrangement=rng.choice(list(AgreementFundingStream.Arrangement.values)),
            conditions="" if rng.random() < 0.6 else "Subject to the grant's annual allocation.",
            provider=provider,
            consent_given_by=f"{' '.join(_person(rng))}, Director of Finance" if consented else "",
            consent_given_on=(plan.opened_at + dt.timedelta(days=rng.randint(15, 40))).date()
            if consented
            else None,
            consent_recorded_by=people.coordinator if consented else None,
            status=NegotiationStatus.AGREED if late else NegotiationStatus.PROPOSED,
            **stamp,
        )
        entry._outcomes = rng.sample(all_outcomes, 1)
        plan.funding.append(entry)


# --- Freedoms requests -------------------------------------------------------------------------

# The moves that take a request to each state (an answer may instead be the GO's decision).
REQUEST_PATHS = {
    State.DRAFT: [],
    State.WITH_GO: [Move.SUBMIT],
    State.WITH_DEPARTMENT: [Move.SUBMIT, Move.REFER],
    State.MORE_INFORMATION: [Move.SUBMIT, Move.REFER, Move.ASK],
    State.ON_HOLD: [Move.SUBMIT, Move.REFER, Move.HOLD],
    State.ANSWERED: [Move.SUBMIT, Move.REFER, Move.ANSWER],
    State.RELAYED: [Move.SUBMIT, Move.REFER, Move.ANSWER, Move.RELAY],
}
REQUEST_STATES_EARLY = (
    [State.DRAFT, State.WITH_GO, State.WITH_DEPARTMENT, State.MORE_INFORMATION, State.ON_HOLD],
    [5, 5, 4, 1, 1],
)
REQUEST_STATES = (
    [
        State.DRAFT,
        State.WITH_GO,
        State.WITH_DEPARTMENT,
        State.MORE_INFORMATION,
        State.ON_HOLD,
        State.ANSWERED,
        State.RELAYED,
    ],
    [1, 2, 4, 1, 1, 2, 7],
)


def _build_requests(ctx: _Context, plan: _Plan) -> list[RequestEvent]:
    """About twenty requests in every state of their lifecycle, with the events that took
    each there."""
    rng, people = plan.rng, plan.people
    negotiator = plan.negotiator
    states, weights = REQUEST_STATES_EARLY if plan.stage == Stage.DRAFTING else REQUEST_STATES
    events = []
    indicator_departments = [t.indicator.lead_department for t in plan.targets if t.indicator_id]
    for number in range(1, REQUESTS_PER_AREA + 1):
        title, obstacle_kind, obstacle, ask = REQUESTS[
            (number + plan.item.position) % len(REQUESTS)
        ]
        if number > len(REQUESTS):
            title = f"{title}: a further request"
        state = rng.choices(states, weights)[0]
        department = rng.choice(indicator_departments)
        officials = ctx.officials.get((department.pk, plan.item.copy)) or ctx.officials.get(
            (department.pk, 0), []
        )
        official = rng.choice(officials) if officials else None
        created = plan.opened_at + dt.timedelta(days=rng.uniform(5, 60))
        request = FreedomRequest(
            agreement=plan.agreement,
            number=number,
            title=title,
            obstacle_kind=obstacle_kind,
            obstacle=obstacle,
            ask=ask,
            evidence="" if rng.random() < 0.5 else "The partnership's costed case is attached.",
            topic="",
            state=state,
            created_by=people.coordinator,
            created_at=created,
            updated_at=created,
        )
        request._department = department
        moves = list(REQUEST_PATHS[state])
        if state in (State.ANSWERED, State.RELAYED) and rng.random() < 0.3:
            moves[1:3] = [Move.DECIDE]  # decided by the GO under the negotiating brief
        actors = {
            Move.SUBMIT: people.coordinator,
            Move.ASK: official,
            Move.HOLD: official,
            Move.ANSWER: official,
        }
        notes = {
            Move.ASK: rng.choice(REQUEST_QUESTIONS),
            Move.HOLD: "To be discussed with the region's other requests on the same grant.",
            Move.RELAY: "The department's answer, as discussed at the negotiation meeting.",
        }
        path, current = [], State.DRAFT
        for move in moves:
            target = step_for(current, move).target
            path.append((move, current, target, actors.get(move, negotiator), notes.get(move, "")))
            current = target
        # Requests waiting on a department: some referred long ago, and now overdue.
        end = ctx.now - dt.timedelta(days=1)
        if state == State.WITH_DEPARTMENT and rng.random() < 0.5:
            end = ctx.now - dt.timedelta(days=rng.uniform(30, 60))
        elif state == State.WITH_DEPARTMENT:
            end = ctx.now - dt.timedelta(days=rng.uniform(0.5, 8))
        moments = _spread(rng, created + dt.timedelta(days=1), end, len(path))
        for (move, source, target, actor, comment), moment in zip(path, moments, strict=True):
            if move == Move.SUBMIT:
                request.submitted_at = moment
            elif move == Move.REFER:
                request.department = department
                request.owner = ctx.owners.get(department.pk)
                request.referred_at = moment
                request.due_on = add_working_days(
                    timezone.localdate(moment), ctx.round.request_response_days
                )
            elif move in (Move.ASK, Move.HOLD):
                request.paused_at = moment
            elif move in (Move.ANSWER, Move.DECIDE):
                outcome = rng.choices(list(RequestOutcome.values), [3, 3, 2, 2])[0]
                request.outcome = outcome
                request.reason = rng.choice(REQUEST_REASONS)
                request.alternative = (
                    rng.choice(REQUEST_ALTERNATIVES)
                    if outcome == RequestOutcome.AGREED_IN_PART
                    else ""
                )
                request.decided_by = actor
                request.decided_at = moment
                request.decided_as = (
                    FreedomRequest.DecidedAs.GO
                    if move == Move.DECIDE
                    else FreedomRequest.DecidedAs.DEPARTMENT
                )
                comment = request.reason
            elif move == Move.RELAY:
                request.relay_comment = comment
            events.append(
                RequestEvent(
                    request=request,
                    move=move,
                    from_state=source,
                    to_state=target,
                    actor=actor,
                    comment=comment,
                    created_at=moment,
                )
            )
            request.updated_at = moment
        request.version = 1 + len(path)
        agreed_at = plan.time_of(Action.AGREE_IN_PRINCIPLE)
        if agreed_at and state not in (State.DRAFT, State.RELAYED):
            # Agreement in principle carried every open request to the refresh.
            request.deferred_to_refresh_at = max(agreed_at, request.updated_at)
        plan.requests.append(request)
    return events


# --- Versions, history, referrals, comments, sign-off ----------------------------------------


def _earlier(content: dict, number: int, rng: random.Random) -> dict:
    """An earlier submission of the same agreement: a shorter story, fewer designated
    targets, less ambitious figures, everything still proposed."""
    gap = VERSIONS_PER_AGREEMENT - number
    paragraphs = content["story_of_place"].split("\n\n")
    earlier = dict(content)
    earlier["story_of_place"] = "\n\n".join(paragraphs[: max(2, len(paragraphs) - gap)])
    if gap >= 3:
        earlier["governance"] = content["governance"].split("\n\n")[0]
    designated = [t["key"] for t in content["targets"] if t["kind"] == Target.Kind.DESIGNATED]
    missing = set(designated[len(designated) - 2 * gap :]) if gap else set()
    targets = []
    for index, target in enumerate(content["targets"]):
        if target["key"] in missing:
            continue
        changed = dict(target, status=NegotiationStatus.PROPOSED)
        if (index + number) % 4 == 0 and target["yearly_values"]:
            values = list(target["yearly_values"])
            if values[-1] is not None:
                figure = Decimal(values[-1])
                places = max(0, -figure.as_tuple().exponent)
                factor = Decimal(1) - Decimal(gap) / 100 * rng.choice([1, -1])
                values[-1] = str(round(figure * factor, places))
            changed["yearly_values"] = values
        targets.append(changed)
    earlier["targets"] = targets
    earlier["funding"] = [dict(f, status=NegotiationStatus.PROPOSED) for f in content["funding"]]
    earlier["requests"] = [r for r in content["requests"] if r["number"] <= 4 * number]
    return earlier


def _build_negotiation(ctx: _Context, plan: _Plan, content: dict | None) -> dict:
    """Versions, stage changes, referrals with views, ratings, comments and the sign-off,
    as unsaved rows."""
    rng, people = plan.rng, plan.people
    agreement = plan.agreement
    negotiator = plan.negotiator
    rows = defaultdict(list)
    versions: dict[int, Version] = {}
    if content is not None:
        for number in range(1, VERSIONS_PER_AGREEMENT + 1):
            submitted = [
                t
                for (action, _, _, n), t in zip(plan.steps, plan.step_times, strict=True)
                if action == Action.SUBMIT and n == number
            ][0]
            versions[number] = Version(
                agreement=agreement,
                number=number,
                content=content
                if number == VERSIONS_PER_AGREEMENT
                else _earlier(content, number, rng),
                created_by=people.coordinator,
                created_at=submitted,
            )
        rows["versions"] = list(versions.values())

    latest = None
    lead_departments = sorted(
        {t.indicator.lead_department for t in plan.targets if t.indicator_id},
        key=lambda d: d.abbreviation,
    )
    for index, ((action, source, target, number), moment) in enumerate(
        zip(plan.steps, plan.step_times, strict=True)
    ):
        if number is not None and action == Action.SUBMIT:
            latest = versions[number]
        actor = people.coordinator if action == Action.SUBMIT else negotiator
        if action == Action.SIGN:
            actor = ctx.admin
        comment = ""
        if action == Action.SUBMIT:
            comment = "Our first draft." if number == 1 else f"Revised draft {number}."
        elif action == Action.RETURN:
            comment = rng.choice(RETURN_COMMENTS)
        elif action == Action.AGREE_IN_PRINCIPLE:
            comment = "Agreed at the negotiation meeting."
        version = (
            latest
            if action in (Action.SUBMIT, Action.START_REVIEW, Action.START_SIGN_OFF, Action.SIGN)
            else None
        )
        rows["stage_changes"].append(
            StageChange(
                agreement=agreement,
                action=action,
                from_stage=source,
                to_stage=target,
                actor=actor,
                comment=comment,
                version=version,
                created_at=moment,
            )
        )
        if action == Action.REFER:
            final = index == max(i for i, s in enumerate(plan.steps) if s[0] == Action.REFER)
            following = plan.step_times[index + 1] if index + 1 < len(plan.steps) else ctx.now
            for department in lead_departments:
                officials = ctx.officials.get((department.pk, plan.item.copy)) or []
                official = rng.choice(officials) if officials else None
                answered = official is not None and (
                    not final or plan.stage != Stage.REFERRED or rng.random() < 0.5
                )
                answered_at = _between(rng, moment, following) if answered else None
                referral = Referral(
                    agreement=agreement,
                    department=department,
                    version=latest,
                    referred_by=negotiator,
                    due_on=add_working_days(timezone.localdate(moment), REFERRAL_WORKING_DAYS),
                    answered_at=answered_at,
                    answered_by=official if answered else None,
                    summary=rng.choice(REFERRAL_SUMMARIES) if answered else "",
                    created_at=moment,
                    updated_at=answered_at or moment,
                )
                if not answered and (not final or plan.stage in LATE_STAGES):
                    # An answer no longer needed: the GO withdrew the referral as it moved on.
                    referral.withdrawn_at = following
                    referral.withdrawn_by = negotiator
                    referral.withdrawal_reason = "No longer needed: the GO has moved on."
                    referral.updated_at = following
                rows["referrals"].append(referral)
                if not answered:
                    continue
                theirs = [
                    t
                    for t in plan.targets
                    if t.indicator_id and t.indicator.lead_department_id == department.pk
                ]
                for target_row in rng.sample(theirs, min(len(theirs), rng.randint(1, 3))):
                    opinion = rng.choices(list(TargetView.Opinion.values), [6, 3, 1])[0]
                    rows["views"].append(
                        TargetView(
                            referral=referral,
                            target=target_row,
                            opinion=opinion,
                            comment=""
                            if opinion == TargetView.Opinion.SUPPORT
                            else rng.choice(DEPARTMENT_NOTES),
                            official=official,
                            created_at=answered_at - dt.timedelta(hours=2),
                            updated_at=answered_at - dt.timedelta(hours=2),
                        )
                    )

    if plan.past_drafting:
        reviewed = plan.time_of(Action.START_REVIEW) or plan.step_times[-1]
        for criterion in ReviewRating.Criterion.values:
            weights = [5, 4, 0] if plan.stage in LATE_STAGES else [3, 4, 2]
            rows["ratings"].append(
                ReviewRating(
                    agreement=agreement,
                    criterion=criterion,
                    rating=rng.choices(list(ReviewRating.Rating.values), weights)[0],
                    note="" if rng.random() < 0.5 else "Discussed at the review meeting.",
                    reviewer=negotiator,
                    created_at=reviewed,
                    updated_at=reviewed,
                )
            )

    rows["comments"], rows["replies"] = plan.comments, plan.replies
    _build_sign_off(ctx, plan, versions, negotiator, rows)
    return rows


def _build_comments(ctx: _Context, plan: _Plan) -> None:
    """Twenty-four comments: the GO's challenges, required changes and suggestions (some
    left open before agreement in principle, marking their targets challenged), its
    internal notes, notes shared with the departments, the locality's comments, and four
    replies. Planned before the targets are saved, whose statuses they change."""
    rng, people = plan.rng, plan.people
    agreement, negotiator = plan.agreement, plan.negotiator
    V, K, R = Comment.Visibility, Comment.Kind, Comment.Resolution
    start = plan.opened_at + dt.timedelta(days=7)
    end = plan.time_of(Action.AGREE_IN_PRINCIPLE) or ctx.now - dt.timedelta(hours=3)
    talkers = [people.coordinator] + [
        user for user, _, access in people.representatives if access != AccessLevel.VIEW
    ]
    referred_at = plan.time_of(Action.REFER, last=False)
    departments = sorted(
        {t.indicator.lead_department for t in plan.targets if t.indicator_id},
        key=lambda d: d.abbreviation,
    )
    designated = [t for t in plan.targets if t.kind == Target.Kind.DESIGNATED]
    late = plan.stage in LATE_STAGES

    specs = []  # (kind, visibility, section, target, body)
    for target in rng.sample(designated, 6):
        specs.append((K.CHALLENGE, V.LOCALITY, "agreement", target, rng.choice(CHALLENGES)))
    for section, body in rng.sample(REQUIRED_CHANGES, 2):
        specs.append((K.REQUIRED_CHANGE, V.LOCALITY, section, None, body))
    for _ in range(3):
        target = rng.choice(designated) if rng.random() < 0.6 else None
        specs.append((K.SUGGESTION, V.LOCALITY, "agreement", target, rng.choice(SUGGESTIONS)))
    for _ in range(4):
        specs.append((K.COMMENT, V.GO_INTERNAL, "agreement", None, rng.choice(GO_INTERNAL)))
    for _ in range(2):
        specs.append((K.COMMENT, V.DEPARTMENTS, "agreement", None, rng.choice(DEPARTMENT_NOTES)))
    for _ in range(3):
        specs.append((K.COMMENT, V.LOCALITY, "story_of_place", None, rng.choice(LOCALITY_COMMENTS)))

    moments = _spread(rng, start, end - dt.timedelta(days=2), len(specs))
    top = []
    for (kind, visibility, section, target, body), moment in zip(specs, moments, strict=True):
        author = negotiator
        if kind == K.COMMENT and visibility == V.LOCALITY:
            author = rng.choice(talkers)
        elif visibility == V.DEPARTMENTS and referred_at and rng.random() < 0.6:
            # An official of a department the agreement was referred to.
            department = rng.choice(departments)
            officials = ctx.officials.get((department.pk, plan.item.copy)) or []
            if officials:
                author = rng.choice(officials)
                moment = _between(rng, referred_at, max(end, referred_at))
        comment = Comment(
            agreement=agreement,
            section=section,
            target=target,
            kind=kind,
            visibility=visibility,
            body=body,
            author=author,
            created_at=moment,
            updated_at=moment,
        )
        if kind != K.COMMENT:
            if late or rng.random() < 0.6:
                resolved = min(moment + dt.timedelta(days=rng.uniform(1, 20)), end)
                resolved = max(resolved, moment + dt.timedelta(hours=1))
                resolution = rng.choice([R.ACCEPTED, R.ANSWERED, R.ANSWERED, R.WITHDRAWN])
                comment.resolution = resolution
                comment.resolved_at = resolved
                # The GO, which raised it, closes it; often the locality proposed closing.
                proposer = (
                    negotiator
                    if resolution == R.WITHDRAWN
                    else rng.choice([negotiator, people.coordinator])
                )
                comment.resolved_by = negotiator
                if proposer != negotiator:
                    comment.closing_proposed_by = proposer
                    comment.closing_proposed_at = max(
                        resolved - dt.timedelta(hours=1), moment + dt.timedelta(minutes=30)
                    )
                comment.updated_at = resolved
            elif target is not None and visibility == V.LOCALITY:
                # An open challenge the locality can read marks its target challenged.
                target.status = NegotiationStatus.CHALLENGED
        top.append(comment)
    plan.comments = top

    replies = []
    for parent in rng.sample([c for c in top if c.kind != K.COMMENT], 4):
        moment = _between(rng, parent.created_at, parent.resolved_at or end)
        replies.append(
            Comment(
                agreement=agreement,
                parent=parent,
                section=parent.section,
                target=parent.target,
                kind=K.COMMENT,
                visibility=parent.visibility,
                body=rng.choice(REPLIES),
                author=people.coordinator,
                created_at=moment,
                updated_at=moment,
            )
        )
    plan.replies = replies


def _build_sign_off(ctx: _Context, plan: _Plan, versions, negotiator, rows) -> None:
    """The run of the round's chain for an agreement in sign-off (part-signed) or signed
    (every signature made)."""
    if plan.stage not in (Stage.IN_SIGN_OFF, Stage.SIGNED):
        return
    rng, people = plan.rng, plan.people
    agreement = plan.agreement
    version = versions[VERSIONS_PER_AGREEMENT]
    started = plan.time_of(Action.START_SIGN_OFF)
    finished = plan.time_of(Action.SIGN)
    steps = list(ctx.round.signing_steps)
    signed = plan.stage == Stage.SIGNED
    run = SignOff(
        agreement=agreement,
        version=version,
        purpose=SignOff.Purpose.SIGNING,
        steps=steps,
        state=SignOff.State.COMPLETED if signed else SignOff.State.OPEN,
        started_by=negotiator,
        completed_at=finished,
        created_at=started,
        updated_at=finished or started,
    )
    rows["sign_offs"].append(run)
    done = len(steps) if signed else rng.randint(0, len(steps) - 1)
    end = finished or ctx.now - dt.timedelta(hours=1)
    moments = iter(
        _spread(rng, started + dt.timedelta(hours=1), end - dt.timedelta(minutes=30), 40)
    )
    for kind in steps[:done]:
        if kind == StepKind.PARTNERS:
            signers = [(org, people.coordinator) for org, _ in people.partners]
        elif kind == StepKind.COUNCIL:
            signers = [(people.locality, people.coordinator)]
        elif kind == StepKind.GO:
            signers = [(plan.item.area.government_office, negotiator)]
        else:
            signers = [(ctx.national_team, ctx.admin)] if ctx.national_team else []
        for organisation, recorder in signers:
            moment = next(moments)
            commitments, details = [], {}
            if kind == StepKind.PARTNERS:
                choices = commitment_choices(version.content, organisation.name)
                commitments = [
                    {"kind": group, "key": c["key"], "label": c["label"], "as": c["as"]}
                    for group, items in (
                        ("target", choices["targets"]),
                        ("funding", choices["funding"]),
                    )
                    for c in items
                    if c["as"]
                ]
                name, role = " ".join(_person(rng)), "Chief Executive"
            elif kind == StepKind.COUNCIL:
                name, role = f"Cllr {' '.join(_person(rng))}", "Leader of the Council"
                details = {
                    "meeting": f"Full council, {timezone.localdate(moment):%-d %B %Y}",
                    "minute": f"Minute {rng.randint(10, 240)}",
                }
            elif kind == StepKind.GO:
                name = negotiator.full_name if negotiator else "The lead negotiator"
                role = "GO lead negotiator"
                details = {"regional_director": " ".join(_person(rng)), "vcs_confirmed": True}
            else:
                name = "The Minister for Local Government"
                role = "Minister of State, Communities and Local Government"
            rows["signatures"].append(
                Signature(
                    sign_off=run,
                    step=kind,
                    version=version,
                    organisation=organisation,
                    signatory_name=name,
                    signatory_role=role,
                    signed_on=timezone.localdate(moment),
                    statement=statement_for(kind, organisation, agreement, version),
                    commitments=commitments,
                    details=details,
                    recorded_by=recorder,
                    recorded_at=moment,
                )
            )
    if signed:
        agreement.signed_version = version
        agreement.signed_at = finished


# --- Putting it together ---------------------------------------------------------------------


def _seed_chunk(ctx: _Context, items: list[_Item], counts: Counter) -> None:
    with transaction.atomic(), _dates_as_given(*DATED_MODELS):
        people = _people(ctx, items, counts)
        plans = [_plan(ctx, item, people[item.area.pk]) for item in items]
        for plan in plans:
            _build_content(ctx, plan)

        Agreement.objects.bulk_create([p.agreement for p in plans], batch_size=BATCH)
        AgreementTheme.objects.bulk_create([t for p in plans for t in p.themes], batch_size=BATCH)
        Outcome.objects.bulk_create(
            [o for p in plans for outcomes in p.outcomes.values() for o in outcomes],
            batch_size=BATCH,
        )
        # Challenges left open mark their targets as challenged, so the comments are
        # planned before the targets are saved; they are saved once the targets have ids.
        events = []
        for plan in plans:
            _build_comments(ctx, plan)
            events += _build_requests(ctx, plan)
        negotiation_rows = {}
        targets = [t for p in plans for t in p.targets]
        Target.objects.bulk_create(targets, batch_size=BATCH)
        Target.contributing_partners.through.objects.bulk_create(
            [
                Target.contributing_partners.through(target=t, organisation=o)
                for t in targets
                for o in t._contributors
            ],
            batch_size=BATCH,
        )
        DistrictShare.objects.bulk_create(
            [
                DistrictShare(target=t, district=d, value=v.quantize(Decimal("0.01")))
                for t in targets
                for d, v in t._shares
            ],
            batch_size=BATCH,
        )
        funding = [f for p in plans for f in p.funding]
        AgreementFundingStream.objects.bulk_create(funding, batch_size=BATCH)
        AgreementFundingStream.outcomes.through.objects.bulk_create(
            [
                AgreementFundingStream.outcomes.through(agreementfundingstream=f, outcome=o)
                for f in funding
                for o in f._outcomes
            ],
            batch_size=BATCH,
        )
        requests = [r for p in plans for r in p.requests]
        FreedomRequest.objects.bulk_create(requests, batch_size=BATCH)
        FreedomRequest.proposed_departments.through.objects.bulk_create(
            [
                FreedomRequest.proposed_departments.through(
                    freedomrequest=r, organisation=r._department
                )
                for r in requests
            ],
            batch_size=BATCH,
        )
        RequestEvent.objects.bulk_create(events, batch_size=BATCH)

        for plan in plans:
            content = snapshot(plan.agreement) if plan.past_drafting else None
            negotiation_rows[plan.agreement.pk] = _build_negotiation(ctx, plan, content)
        rows = defaultdict(list)
        for plan_rows in negotiation_rows.values():
            for key, values in plan_rows.items():
                rows[key] += values
        Version.objects.bulk_create(rows["versions"], batch_size=100)
        StageChange.objects.bulk_create(rows["stage_changes"], batch_size=BATCH)
        Referral.objects.bulk_create(rows["referrals"], batch_size=BATCH)
        TargetView.objects.bulk_create(rows["views"], batch_size=BATCH)
        ReviewRating.objects.bulk_create(rows["ratings"], batch_size=BATCH)
        Comment.objects.bulk_create(rows["comments"], batch_size=BATCH)
        Comment.objects.bulk_create(rows["replies"], batch_size=BATCH)
        SignOff.objects.bulk_create(rows["sign_offs"], batch_size=BATCH)
        Signature.objects.bulk_create(rows["signatures"], batch_size=BATCH)
        signed = [p.agreement for p in plans if p.agreement.signed_version is not None]
        Agreement.objects.bulk_update(signed, ["signed_version", "signed_at"], batch_size=BATCH)
        # Signed here rather than by the sign-off's last signature: the signed targets
        # table is filled as that signature fills it.
        signed_targets_record(agreements=signed)

    counts["areas"] += len(items)
    counts["agreements"] += len(plans)
    counts["targets"] += len(targets)
    counts["versions"] += len(rows["versions"])
    counts["stage_changes"] += len(rows["stage_changes"])
    counts["referrals"] += len(rows["referrals"])
    counts["comments"] += len(rows["comments"]) + len(rows["replies"])
    counts["requests"] += len(requests)
    counts["sign_offs"] += len(rows["sign_offs"])
    counts["signatures"] += len(rows["signatures"])
    counts["funding"] += len(funding)


# What the run reports, with the words for one and for several.
LABELS = {
    "areas": ("area",),
    "new_areas": ("synthetic area",),
    "agreements": ("agreement",),
    "targets": ("target",),
    "versions": ("version",),
    "stage_changes": ("stage change",),
    "referrals": ("referral",),
    "comments": ("comment",),
    "requests": ("request",),
    "sign_offs": ("sign-off run",),
    "signatures": ("signature",),
    "funding": ("funding entry", "funding entries"),
    "organisations": ("partner organisation",),
    "users": ("user",),
}


def _count(number: int, one: str, several: str = "") -> str:
    return f"{number} {one if number == 1 else several or one + 's'}"


def seed_national(*, scale: int = 1, areas: int | None = None, stdout=None) -> dict[str, int]:
    """Give every area (the first `areas` by name, if given) its agreement in the 2008-11
    round, and at `scale` N > 1 also N-1 synthetic copies of each area with theirs. Areas
    that already have an agreement are left alone. Returns counts of what was made."""
    if scale < 1:
        raise ValueError("The scale is at least 1.")
    started = time.monotonic()
    counts: Counter = Counter()

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    round_ = Round.objects.get(slug=ROUND)
    ctx = _context(round_)
    with transaction.atomic():
        items = _areas(ctx, scale, areas, counts)
        _national_people(ctx, scale, counts)
    done = set(
        Agreement.objects.filter(round=round_, area__in=[i.area for i in items]).values_list(
            "area_id", flat=True
        )
    )
    todo = [item for item in items if item.area.pk not in done]
    counts["skipped"] = len(items) - len(todo)
    say(
        f"{_count(len(items), 'area')} at scale {scale}: {len(todo)} to seed, "
        f"{counts['skipped']} already with a {ROUND} agreement (left as they are)."
    )
    for start in range(0, len(todo), CHUNK):
        _seed_chunk(ctx, todo[start : start + CHUNK], counts)
        if len(todo) > CHUNK:
            say(f"  {min(start + CHUNK, len(todo))} of {len(todo)} areas seeded")
    seconds = time.monotonic() - started
    counts["seconds"] = round(seconds)
    result = {key: int(counts.get(key, 0)) for key in [*LABELS, "skipped", "seconds"]}
    if not todo:
        say(f"Nothing to add: every area already has its {ROUND} agreement.")
    else:
        made = ", ".join(_count(result[key], *label) for key, label in LABELS.items())
        say(f"Made {made} in {seconds:.1f} s.")
    return result
