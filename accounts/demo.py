"""Demonstration organisations and one login per role, for trying the portal out.

Created idempotently: a second run finds what the first made. Never in production.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from accounts.models import Area, Organisation, Role, User
from partners.models import Partnership, PartnerType

DEMO_AREA = "Cumbria"  # a two-tier county under GO North West
SECOND_DEMO_AREA = "Leeds"  # a metropolitan district under GO Yorkshire and the Humber
DEMO_DEPARTMENT = "DCSF"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    role: Role
    description: str


DEMO_LOGINS = [
    DemoLogin(
        "coordinator@example.org",
        "Chris Coordinator",
        Role.COORDINATOR,
        f"LAA coordinator, {DEMO_AREA}",
    ),
    DemoLogin(
        "partner@example.org", "Pat Partner", Role.PARTNER, f"partner representative in {DEMO_AREA}"
    ),
    DemoLogin(
        "negotiator@example.org",
        "Nadia Negotiator",
        Role.NEGOTIATOR,
        "GO lead negotiator, GO North West",
    ),
    DemoLogin(
        "official@example.org",
        "Olu Official",
        Role.OFFICIAL,
        f"department official, {DEMO_DEPARTMENT}",
    ),
    DemoLogin("admin@example.org", "Ada Admin", Role.ADMIN, "national team admin"),
    DemoLogin(
        "coordinator2@example.org",
        "Kim Coordinator",
        Role.COORDINATOR,
        f"LAA coordinator, {SECOND_DEMO_AREA}",
    ),
]


class DemoDataError(Exception):
    pass


def demo_seed(*, force: bool = False, password: str | None = None) -> list[tuple[DemoLogin, bool]]:
    """Create the demo partner and users. Returns each login and whether it was new."""
    if not settings.DEBUG and not force:
        raise DemoDataError("Demo data is not created when DEBUG is off (use --force to override).")
    password = password or settings.DEMO_PASSWORD
    try:
        area = Area.objects.get(name=DEMO_AREA)
        second_area = Area.objects.get(name=SECOND_DEMO_AREA)
        department = Organisation.objects.get(
            kind=Organisation.Kind.DEPARTMENT, abbreviation=DEMO_DEPARTMENT
        )
        national_team = Organisation.objects.get(kind=Organisation.Kind.NATIONAL_TEAM)
    except (Area.DoesNotExist, Organisation.DoesNotExist) as exc:
        raise DemoDataError("Load the reference data first: manage.py load_reference_data") from exc

    with transaction.atomic():
        partner, _ = Organisation.objects.get_or_create(
            slug="demo-cumbria-primary-care-trust",
            defaults={
                "kind": Organisation.Kind.PARTNER,
                "name": "Cumbria Primary Care Trust (demo)",
            },
        )
        Partnership.objects.get_or_create(
            area=area, organisation=partner, defaults={"partner_type": PartnerType.PCT}
        )
        organisations = {
            "coordinator@example.org": area.organisations.get(kind=Organisation.Kind.LOCALITY),
            "partner@example.org": partner,
            "negotiator@example.org": area.government_office,
            "official@example.org": department,
            "admin@example.org": national_team,
            "coordinator2@example.org": second_area.organisations.get(
                kind=Organisation.Kind.LOCALITY
            ),
        }
        results = []
        for login in DEMO_LOGINS:
            user = User.objects.filter(email=login.email).first()
            created = user is None
            if created:
                user = User(email=login.email)
                user.set_password(password)
            user.full_name = login.full_name
            user.role = login.role
            user.organisation = organisations[login.email]
            # The national team's admin may also use the data administration site.
            user.is_staff = user.is_superuser = login.role == Role.ADMIN
            user.full_clean(exclude=["password"])
            user.save()
            results.append((login, created))
    return results
