"""The dashboard in Chromium without JavaScript: the charts are drawn, sized and labelled,
and the subscription form works."""

import pytest

pytestmark = pytest.mark.browser


def test_charts_and_subscription_work_without_javascript(browsing_without_javascript, tmp_path):
    browsing = browsing_without_javascript
    browsing.sign_in("negotiator@example.org")
    browsing.goto("/dashboards/go-north-west/")
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
