"""Every page of the portal passes axe-core's WCAG 2.x A and AA rules, for each role that
can open it, with the Content Security Policy in force and no script errors.

Like the crawl, the check runs on the embedded stack, the one `make run` serves: the markup
it checks is the same on PostgreSQL, where the journeys check their own pages."""

import pytest

from agreements.models import Agreement
from negotiations.models import Version

pytestmark = [pytest.mark.browser, pytest.mark.embedded_only]


def pages_for(role: str) -> list[str]:
    cumbria = Agreement.objects.get(area__name="Cumbria")
    target = cumbria.targets.filter(kind="designated").order_by("pk").first()
    entry = cumbria.funding.first()
    outcome = cumbria.outcomes.first()
    c = "/agreements/2008-11/cumbria/"
    lancs = "/agreements/2008-11/lancashire/"
    manc = "/agreements/2008-11/manchester/"
    common = [
        "/",
        "/agreements/",
        "/indicators/",
        "/indicators/ni-72/",
        "/settings/email/",
        "/freedoms/register/",
        "/freedoms/directory/",
    ]
    version = Version.objects.filter(agreement__area__name="Lancashire").first()
    blackpool = Agreement.objects.get(area__name="Blackpool")
    bp = "/agreements/2008-11/blackpool/"
    wigan = "/agreements/2008-11/wigan/"
    match role:
        case "coordinator@example.org":
            return [
                *common,
                c,
                f"{c}narrative/",
                f"{c}themes/",
                f"{c}outcomes/{outcome.pk}/edit/",
                f"{c}targets/",
                f"{c}targets/add/designated/",
                f"{c}targets/add/local/",
                f"{c}targets/{target.pk}/",
                f"{c}targets/{target.pk}/edit/",
                f"{c}targets/{target.pk}/history/",
                f"{c}targets/{target.pk}/remove/",
                f"{c}targets/import/",
                f"{c}funding/",
                f"{c}funding/add/",
                f"{c}funding/{entry.pk}/edit/",
                f"{c}funding/{entry.pk}/consent/",
                f"{c}partners/",
                f"{c}completeness/",
                f"{c}print/",
                f"{c}negotiation/",
                f"{c}negotiation/outstanding/",
                f"{c}negotiation/activity/",
                f"{c}requests/",
                f"{c}requests/new/",
                f"{c}sign-off/",
            ]
        case "negotiator@example.org":
            return [
                *common,
                "/areas/",
                "/areas/cumbria/",
                f"{lancs}negotiation/",
                f"{lancs}negotiation/review/",
                f"{lancs}negotiation/outstanding/",
                f"{lancs}negotiation/department-views/",
                f"{lancs}versions/{version.number}/",
                f"{lancs}versions/compare/",
                f"{lancs}negotiation/activity/",
                f"{manc}negotiation/",
                f"{lancs}requests/",
                f"{lancs}requests/2/",
                "/freedoms/overdue/",
                "/freedoms/2008-11/brief/",
                "/freedoms/2008-11/figures/",
                "/dashboards/go-north-west/",
                f"{bp}sign-off/",
                f"{bp}sign-off/go/{blackpool.area.government_office_id}/",
                f"{wigan}sign-off/",
            ]
        case "official@example.org":
            return [
                *common,
                f"{manc}negotiation/",
                f"{manc}negotiation/referral/",
                f"{manc}print/",
                f"{lancs}requests/2/",
                "/freedoms/overdue/",
            ]
        case "admin@example.org":
            return [
                *common,
                "/rounds/",
                "/rounds/2008-11/",
                "/areas/",
                "/agreements/rounds/2008-11/funding-streams/",
                "/jobs/exports/2008-11/",
                f"{lancs}negotiation/",
                "/dashboards/",
                "/dashboards/go-london/",
                "/rounds/2008-11/sign-off/",
                f"{wigan}sign-off/",
                f"{wigan}versions/1/",
            ]
        case "partner@example.org":
            return [
                *common,
                c,
                f"{c}targets/",
                f"{c}partners/",
                f"{c}negotiation/",
                f"{c}sign-off/",
            ]
    return common


@pytest.mark.parametrize(
    "email",
    [
        "coordinator@example.org",
        "negotiator@example.org",
        "official@example.org",
        "admin@example.org",
        "partner@example.org",
    ],
)
def test_every_page_is_accessible(browsing, email):
    browsing.sign_in(email)
    browsing.preload_axe()
    failures = {}
    for path in pages_for(email):
        response = browsing.goto(path)
        assert response.status == 200, path
        violations = browsing.axe_violations()
        if violations:
            failures[path] = violations
    assert failures == {}
    assert browsing.csp_violations == []
    assert browsing.script_errors == []


def test_public_pages_are_accessible(browsing):
    browsing.preload_axe()
    for path in ["/sign-in/", "/password-reset/", "/password-reset/sent/", "/no-such-page/"]:
        browsing.goto(path)
        assert browsing.axe_violations() == [], path
