"""The read API's pages in Chromium: a person makes, uses and revokes a token (accessible,
with the error summary), and the API documentation runs under the Content Security
Policy."""

import pytest

from tests.factories import AgreementFactory, UserFactory

pytestmark = pytest.mark.browser


def test_a_coordinator_makes_uses_and_revokes_a_token(browsing):
    agreement = AgreementFactory(signed=True, complete=True)
    browsing.sign_in(UserFactory(coordinator=True, area=agreement.area).email)
    page = browsing.page
    page.get_by_role("link", name="API tokens").click()
    assert page.get_by_role("heading", name="API tokens", level=1).is_visible()
    browsing.assert_accessible()

    page.get_by_role("button", name="Create token").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter a name for the token" in summary.inner_text()
    assert "Choose when the token expires" in summary.inner_text()
    browsing.assert_accessible()

    page.get_by_label("Name").fill("Performance system")
    page.get_by_label("In 90 days").check()
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_test_id("new-token").inner_text()
    assert secret.startswith("laa_")
    browsing.assert_accessible()

    answer = page.request.get(
        browsing.base_url + "/api/v1/rounds/2008-11/agreed-targets/",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status == 200 and answer.json()["round"] == "2008-11"
    assert f'"area_name":"{agreement.area.name}"' in answer.text().replace(": ", ":")

    page.goto(browsing.base_url + "/settings/api-tokens/")
    assert secret not in page.content()
    page.get_by_role("button", name="Revoke Performance system").click()
    assert "has been revoked" in page.content()
    assert page.get_by_role("cell", name="Revoked").is_visible()
    again = page.request.get(
        browsing.base_url + "/api/v1/rounds/", headers={"Authorization": f"Bearer {secret}"}
    )
    assert again.status == 401


def test_the_api_documentation_runs_under_the_content_security_policy(browsing):
    browsing.sign_in(UserFactory(negotiator=True).email)
    browsing.goto("/api/v1/docs/")
    page = browsing.page
    assert page.get_by_role(
        "heading", name="GET /api/v1/rounds/{slug}/agreed-targets/"
    ).is_visible()
    assert page.locator('[data-testid="endpoint"]').count() >= 18
    browsing.assert_accessible()
