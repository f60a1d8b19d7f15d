"""The dashboard in Chromium without JavaScript: the charts are drawn, sized and labelled,
and the subscription form works."""

import pytest

from indicators.models import Indicator
from tests.factories import (
    AgreementFactory,
    AreaFactory,
    FreedomRequestFactory,
    OrganisationFactory,
    TargetFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def _government_office_with_agreements():
    """A GO of three areas at three stages, with designated targets and answered requests
    for each chart to draw, and one of its negotiators."""
    office = OrganisationFactory(government_office=True)
    indicators = list(Indicator.objects.order_by("code")[:3])
    for stage, chosen in (("drafting", 1), ("in_review", 2), ("signed", 3)):
        agreement = AgreementFactory(area=AreaFactory(government_office=office), **{stage: True})
        for indicator in indicators[:chosen]:
            TargetFactory(agreement=agreement, designated=True, indicator=indicator)
        FreedomRequestFactory(agreement=agreement, answered=True)
    negotiator = UserFactory(negotiator=True, area=agreement.area)
    return office, negotiator


def test_charts_and_subscription_work_without_javascript(browsing_without_javascript, tmp_path):
    office, negotiator = _government_office_with_agreements()
    browsing = browsing_without_javascript
    browsing.sign_in(negotiator.email)
    browsing.goto(f"/dashboards/{office.slug}/")
    page = browsing.page
    for name in [
        "Agreements by stage and Government Office",
        "Freedoms and flexibilities requests by outcome",
        "Most chosen indicators",
    ]:
        chart = page.get_by_role("img", name=name)
        box = chart.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 40, name
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)

    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    assert "You will get this summary by e-mail every Monday." in page.content()
