"""The freedoms pages: drafting, moves with their errors, the directory and the brief."""

from accounts.models import User
from freedoms.lifecycle import State
from freedoms.models import FreedomRequest, NegotiatingBrief, PolicyOwner
from tests.freedoms.conftest import to_state


def test_drafting_a_request_with_the_targets_it_serves(client, lancashire_coordinator, dcsf):
    client.force_login(lancashire_coordinator)
    base = "/agreements/2008-11/lancashire/requests/"
    response = client.post(base + "new/", {})
    assert 'class="govuk-error-summary"' in response.content.decode()
    agreement = lancashire_coordinator.organisation.area.agreements.get()
    target = agreement.targets.get(indicator__code="NI 56")
    response = client.post(
        base + "new/",
        {
            "title": "Flexible use of the school meals grant",
            "obstacle_kind": "funding_condition",
            "obstacle": "Ring-fenced",
            "ask": "Use it for healthy weight work",
            "targets": [target.pk],
            "proposed_departments": [dcsf.pk],
        },
    )
    assert response.status_code == 302
    request = FreedomRequest.objects.get(title="Flexible use of the school meals grant")
    assert list(request.targets.all()) == [target]


def test_a_refusal_without_a_reason_is_refused_on_the_page(
    client, draft, coordinator_lancs, negotiator, official
):
    request = to_state(
        draft,
        State.WITH_DEPARTMENT,
        coordinator=coordinator_lancs,
        negotiator=negotiator,
        official=official,
    )
    client.force_login(official)
    url = f"/agreements/2008-11/lancashire/requests/{request.number}/move/"
    response = client.post(
        url,
        {
            "move": "answer",
            "expected_state": "with_department",
            "outcome": "refused",
            "comment": "",
        },
    )
    assert response.status_code == 400
    assert "Give the reason for this outcome" in response.content.decode()
    request.refresh_from_db()
    assert request.state == State.WITH_DEPARTMENT


def test_linking_same_as_gives_the_earlier_answer(
    client, draft, coordinator_lancs, negotiator, official
):
    request = to_state(
        draft,
        State.WITH_DEPARTMENT,
        coordinator=coordinator_lancs,
        negotiator=negotiator,
        official=official,
    )
    primary = FreedomRequest.objects.get(title__startswith="Annual rather than quarterly")
    client.force_login(official)
    response = client.post(
        f"/agreements/2008-11/lancashire/requests/{request.number}/same-as/",
        {"primary": primary.pk},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.same_as, request.state, request.outcome) == (primary, "answered", "refused")


def test_an_laa_lead_adds_a_policy_owner(client, official, dcsf, coordinator):
    colleague = User.objects.create_user(
        email="early@dcsf.example", role="official", organisation=dcsf, full_name="Eli Early"
    )
    client.force_login(official)
    response = client.post(
        "/freedoms/directory/", {"email": "early@dcsf.example", "topic": "Early years"}
    )
    assert response.status_code == 302
    assert PolicyOwner.objects.get(user=colleague).topic == "Early years"
    response = client.post(
        "/freedoms/directory/", {"email": "coordinator@example.org", "topic": "Anything"}
    )
    assert "is not an official of DCSF" in response.content.decode()
    client.force_login(coordinator)
    assert client.post("/freedoms/directory/", {"email": "x@y.z", "topic": "t"}).status_code == 404


def test_departments_write_their_part_of_the_brief(client, official, coordinator, negotiator):
    client.force_login(official)
    response = client.post(
        "/freedoms/2008-11/brief/",
        {
            "topics": "Reporting",
            "positions": "Annual returns are acceptable",
            "no_go": "",
        },
    )
    assert response.status_code == 302
    assert NegotiatingBrief.objects.get(department=official.organisation).positions == (
        "Annual returns are acceptable"
    )
    client.force_login(negotiator)
    assert (
        client.post("/freedoms/2008-11/brief/", {"topics": "x", "positions": "y"}).status_code
        == 404
    )
    client.force_login(coordinator)
    assert (
        client.post("/freedoms/2008-11/brief/", {"topics": "x", "positions": "y"}).status_code
        == 404
    )


def test_the_request_page_runs_a_bounded_number_of_queries(
    client, negotiator, django_assert_max_num_queries
):
    client.force_login(negotiator)
    with django_assert_max_num_queries(30):
        assert client.get("/agreements/2008-11/lancashire/requests/2/").status_code == 200


def test_a_request_carried_to_the_refresh_says_so(client, lancashire_coordinator):
    from django.utils import timezone

    from tests.factories import FreedomRequestFactory

    agreement = lancashire_coordinator.organisation.area.agreements.get()
    open_request = FreedomRequestFactory(agreement=agreement)
    carried = FreedomRequestFactory(agreement=agreement, deferred_to_refresh_at=timezone.now())
    client.force_login(lancashire_coordinator)
    base = "/agreements/2008-11/lancashire/requests/"
    assert "Carried to the refresh" in client.get(f"{base}{carried.number}/").content.decode()
    page = client.get(f"{base}{open_request.number}/").content.decode()
    assert "Carried to the refresh" not in page
    assert client.get(base).content.decode().count("Carried to the refresh") == 1
