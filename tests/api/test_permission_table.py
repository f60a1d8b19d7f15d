"""Every endpoint of the read API, asked with every role's token, of objects of the
reader's own and of others: a literal table of what answers 200, and 404 for the rest.

The readers: the demo's people (Cumbria's coordinator and a partner there, Leeds's
coordinator, GO North West's negotiator, a DCSF official, an admin) and the systems of
four organisations (GO North West, Leeds's council, DCSF, the national team). The objects:
Cumbria's agreement (drafting, given a version here), Wigan's (signed), Leeds's (just
opened, in another GO's region), the areas of
Cumbria and Leeds, Lancashire's first request (answered by DCSF and relayed) and the
2008-11 negotiating brief."""

from __future__ import annotations

import pytest

from accounts.models import Organisation
from agreements.models import Agreement
from agreements.selectors import agreements_visible_to
from api.authentication import system_user_for
from freedoms.models import FreedomRequest
from freedoms.permissions import visible_requests
from tests.api.conftest import ApiClient, organisation_secret, personal_secret
from tests.factories import FreedomRequestFactory, VersionFactory

PEOPLE = {
    "coordinator": "coordinator@example.org",
    "coordinator2": "coordinator2@example.org",
    "partner": "partner@example.org",
    "negotiator": "negotiator@example.org",
    "official": "official@example.org",
    "admin": "admin@example.org",
}
SYSTEMS = {
    "go_nw_system": {"kind": "government_office", "name": "GO North West"},
    "leeds_system": {"kind": "locality", "area__slug": "leeds"},
    "dcsf_system": {"kind": "department", "abbreviation": "DCSF"},
    "national_system": {"kind": "national_team"},
}
READERS = [*PEOPLE, *SYSTEMS]
LOCALITY_READERS = ["coordinator", "coordinator2", "partner", "leeds_system"]

CUMBRIA_SIDE = {"coordinator", "partner", "negotiator", "admin", "go_nw_system", "national_system"}
WIGAN_SIDE = {"negotiator", "admin", "go_nw_system", "national_system"}
GOVERNMENT = {
    "negotiator",
    "official",
    "admin",
    "go_nw_system",
    "dcsf_system",
    "national_system",
}
EVERYONE = set(READERS)

AGREEMENT_PARTS = ["", "versions/", "versions/1/", "versions/1/targets/", "versions/1/differences/"]

# Endpoint -> the readers answered 200; every other reader gets 404.
TABLE: dict[str, set[str]] = {
    **{f"/api/v1/agreements/2008-11/cumbria/{part}": CUMBRIA_SIDE for part in AGREEMENT_PARTS},
    **{f"/api/v1/agreements/2008-11/wigan/{part}": WIGAN_SIDE for part in AGREEMENT_PARTS},
    "/api/v1/agreements/2008-11/leeds/": {
        "coordinator2",
        "admin",
        "leeds_system",
        "national_system",
    },
    "/api/v1/areas/cumbria/": {
        "coordinator",
        "partner",
        "negotiator",
        "official",
        "admin",
        "go_nw_system",
        "dcsf_system",
        "national_system",
    },
    "/api/v1/areas/leeds/": {
        "coordinator2",
        "official",
        "admin",
        "leeds_system",
        "dcsf_system",
        "national_system",
    },
    # Answered by DCSF for Lancashire (GO North West).
    "/api/v1/requests/2008-11/lancashire/1/": GOVERNMENT,
    # Confidential to GOs, departments and the national team.
    "/api/v1/rounds/2008-11/brief/": GOVERNMENT,
    # Lists and reference data answer everyone, each with what they may see.
    "/api/v1/rounds/": EVERYONE,
    "/api/v1/rounds/2008-11/": EVERYONE,
    "/api/v1/rounds/2008-11/agreed-targets/": EVERYONE,
    "/api/v1/rounds/2008-11/agreed-targets/?format=csv": EVERYONE,
    "/api/v1/indicators/": EVERYONE,
    "/api/v1/indicators/ni-120/": EVERYONE,
    "/api/v1/areas/": EVERYONE,
    "/api/v1/agreements/": EVERYONE,
    "/api/v1/requests/": EVERYONE,
    "/api/v1/register/": EVERYONE,
    "/api/v1/changes/?since=2000-01-01T00:00:00Z": EVERYONE,
}

# Text no locality reader may ever read through the API: the GO's internal comment on
# Lancashire (the API has no comments at all) and the negotiating brief.
GO_INTERNAL_COMMENT = "The regional adviser thinks 9.0"
BRIEF_TEXT = "No waiver of statutory education targets"


def _organisation(reader: str) -> Organisation:
    return Organisation.objects.get(**SYSTEMS[reader])


@pytest.fixture
def readers(db, users_by_role, fresh_agreement):
    """A token for each reader, with Leeds's agreement opened by its coordinator."""
    admin = users_by_role["admin"]
    VersionFactory(agreement=Agreement.objects.get(area__slug="cumbria", round__slug="2008-11"))
    clients = {role: ApiClient(personal_secret(users_by_role[role])) for role in PEOPLE}
    for reader in SYSTEMS:
        clients[reader] = ApiClient(organisation_secret(admin, _organisation(reader).slug))
    return clients


def test_table_covers_every_endpoint_of_the_schema():
    from tests.api.test_schema import _api_patterns

    covered = {path.split("?")[0] for path in TABLE}
    for name, route in _api_patterns().items():
        assert any(_matches(route, path) for path in covered), name


def _matches(route: str, path: str) -> bool:
    parts, actual = route.strip("/").split("/"), path.strip("/").split("/")
    return len(parts) == len(actual) and all(
        p == a or (p.startswith("{") and p.endswith("}"))
        for p, a in zip(parts, actual, strict=True)
    )


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("path", list(TABLE))
def test_permission_table(readers, path, reader):
    response = readers[reader].get(path)
    expected = 200 if reader in TABLE[path] else 404
    assert response.status_code == expected, response.content[:300]
    if expected == 404:
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 404


@pytest.mark.parametrize("reader", LOCALITY_READERS)
def test_locality_never_reads_internal_comments_or_the_brief(readers, reader):
    for path in TABLE:
        body = readers[reader].get(path).content.decode()
        assert GO_INTERNAL_COMMENT not in body, path
        assert BRIEF_TEXT not in body, path


def _all_results(client: ApiClient, path: str) -> list[dict]:
    results, url = [], path
    while url:
        page = client.get(url).json()
        results += page["results"]
        url = page["next"]
    return results


@pytest.mark.parametrize("reader", READERS)
def test_lists_hold_exactly_what_the_selectors_give(readers, users_by_role, reader):
    user = users_by_role[reader] if reader in PEOPLE else system_user_for(_organisation(reader))
    client = readers[reader]
    agreements = {a["id"] for a in _all_results(client, "/api/v1/agreements/?page_size=100")}
    assert agreements == set(agreements_visible_to(user).values_list("pk", flat=True))
    requests = {
        (r["area"], r["number"]) for r in _all_results(client, "/api/v1/requests/?page_size=100")
    }
    assert requests == set(
        FreedomRequest.objects.filter(visible_requests(user)).values_list(
            "agreement__area__slug", "number"
        )
    )
    dataset = client.get("/api/v1/rounds/2008-11/agreed-targets/").json()
    signed_areas = {row["area"] for row in dataset["rows"]}
    assert signed_areas == set(
        agreements_visible_to(user)
        .filter(signed_version__isnull=False)
        .values_list("area__slug", flat=True)
    )


def test_a_coordinator_never_sees_another_areas_draft(readers):
    slugs = {a["area"] for a in readers["coordinator"].get("/api/v1/agreements/").json()["results"]}
    assert slugs == {"cumbria"}
    slugs = {
        a["area"] for a in readers["coordinator2"].get("/api/v1/agreements/").json()["results"]
    }
    assert slugs == {"leeds"}


def test_the_locality_hears_an_answer_only_once_relayed(readers, users_by_role):
    cumbria = Agreement.objects.get(area__slug="cumbria", round__slug="2008-11")
    answered = FreedomRequestFactory(agreement=cumbria, answered=True)
    path = f"/api/v1/requests/2008-11/cumbria/{answered.number}/"
    assert readers["coordinator"].get(path).json()["answer"] is None
    assert readers["negotiator"].get(path).json()["answer"]["reason"] == answered.reason
    FreedomRequest.objects.filter(pk=answered.pk).update(state="relayed")
    answer = readers["coordinator"].get(path).json()["answer"]
    assert answer["outcome"] == "refused"
    assert answer["relayed"] is True


def test_a_lancashire_coordinator_reads_the_relayed_answer_of_the_register(db, users_by_role):
    from accounts.models import User

    lancashire = User.objects.get(email="lancashire.coordinator@example.org")
    client = ApiClient(personal_secret(lancashire))
    own = client.get("/api/v1/requests/2008-11/lancashire/1/").json()
    assert own["answer"]["outcome"] == "agreed_in_part"
    assert own["answer"]["alternative"].startswith("Align the budgets")
    # The overdue request, still with DCSF, has no answer to read.
    assert client.get("/api/v1/requests/2008-11/lancashire/2/").json()["answer"] is None
