"""The register: full-text search across areas, suggestions when drafting, figures."""

import csv
import io

from freedoms import selectors, services
from freedoms.models import FreedomRequest


def test_full_text_search_finds_by_meaning_of_words(client, coordinator2):
    client.force_login(coordinator2)
    page = client.get("/freedoms/register/", {"q": "pooling connexions"}).context["page"]
    assert [r.title for r in page] == ["Pool Connexions funding into the children's trust budget"]
    page = client.get("/freedoms/register/", {"outcome": "refused"}).context["page"]
    assert [r.outcome for r in page] == ["refused"]


def test_drafting_suggests_similar_earlier_requests(client, coordinator2):
    from agreements import services as drafting
    from agreements.models import Agreement
    from indicators.models import Round

    leeds, _ = drafting.agreement_open(
        area=Agreement.objects.get(area__name="Lancashire").area.__class__.objects.get(
            name="Leeds"
        ),
        round=Round.objects.get(slug="2008-11"),
        actor=coordinator2,
    )
    request = services.request_create(
        agreement=leeds,
        actor=coordinator2,
        fields=services.RequestFields(
            title="Pooling the Connexions grant",
            obstacle_kind="funding_condition",
            obstacle="x",
            ask="y",
        ),
    )
    similar = selectors.similar_requests(request)
    assert similar and similar[0].agreement.area.name == "Lancashire"
    client.force_login(coordinator2)
    page = client.get(f"/agreements/2008-11/leeds/requests/{request.number}/").content.decode()
    assert 'data-testid="similar"' in page and "Agreed in part" in page


def test_figures_by_outcome_department_and_time(client, admin_user):
    client.force_login(admin_user)
    data = client.get("/freedoms/2008-11/figures/").context["data"]
    assert data["total"] == 3
    assert data["by_outcome"]["Refused"] == 1
    assert data["by_department"]["DCSF"] == {"total": 3, "answered": 2, "open": 1}
    assert data["median_days"] is not None and data["p90_days"] is not None
    assert data["oldest_open"].title == "Lift the ring-fence on the Supporting People grant"
    rows = dict(
        csv.reader(
            io.StringIO(client.get("/freedoms/2008-11/figures/?format=csv").content.decode())
        )
    )
    assert rows["requests"] == "3"
    assert rows["department DCSF: open"] == "1"


def test_overdue_lists_per_department_and_go(client, negotiator, official, coordinator):
    for user in (negotiator, official):
        client.force_login(user)
        titles = [r.title for r in client.get("/freedoms/overdue/").context["requests"]]
        assert titles == ["Lift the ring-fence on the Supporting People grant"]
    client.force_login(coordinator)
    assert client.get("/freedoms/overdue/").status_code == 404
    assert FreedomRequest.objects.count() == 3
