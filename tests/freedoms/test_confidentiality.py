"""The negotiating brief never reaches a locality or partner: not in pages, search, exports
or e-mails. Other areas' requests reach a locality only once answered."""

import pytest

from accounts.models import User
from freedoms.lifecycle import State
from notifications.models import Notification
from tests.freedoms.conftest import BRIEF

LOCALITY = ["lancashire.coordinator@example.org", "coordinator@example.org", "partner@example.org"]


def locality_pages():
    return [
        "/",
        "/agreements/",
        "/freedoms/register/",
        "/freedoms/register/?q=reporting",
        "/freedoms/directory/",
        "/freedoms/2008-11/figures/",
        "/freedoms/2008-11/figures/?format=csv",
        "/freedoms/2008-11/brief/",
        "/freedoms/overdue/",
        "/agreements/2008-11/lancashire/requests/",
        "/agreements/2008-11/lancashire/requests/1/",
        "/agreements/2008-11/lancashire/requests/3/",
        "/agreements/2008-11/cumbria/requests/",
    ]


@pytest.mark.parametrize("email", LOCALITY)
def test_the_brief_never_reaches_the_locality(client, db, email):
    client.force_login(User.objects.get(email=email))
    for path in locality_pages():
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert BRIEF not in response.content.decode(), path
    assert client.get("/freedoms/2008-11/brief/").status_code == 404
    assert not Notification.objects.filter(user__email=email, body__contains=BRIEF).exists()


@pytest.mark.parametrize(
    "email", ["negotiator@example.org", "official@example.org", "admin@example.org"]
)
def test_gos_departments_and_admins_read_the_brief(client, db, email):
    client.force_login(User.objects.get(email=email))
    assert BRIEF in client.get("/freedoms/2008-11/brief/").content.decode()


def test_the_go_sees_the_brief_while_triaging(client, draft, coordinator_lancs, negotiator):
    from freedoms.lifecycle import Move
    from tests.freedoms.conftest import move

    move(draft, coordinator_lancs, Move.SUBMIT, State.DRAFT)
    client.force_login(negotiator)
    page = client.get(f"/agreements/2008-11/lancashire/requests/{draft.number}/").content.decode()
    assert BRIEF in page
    client.force_login(coordinator_lancs)
    page = client.get(f"/agreements/2008-11/lancashire/requests/{draft.number}/").content.decode()
    assert BRIEF not in page


def test_the_register_holds_only_answered_requests(client, coordinator2):
    client.force_login(coordinator2)
    titles = [r.title for r in client.get("/freedoms/register/").context["page"]]
    assert "Pool Connexions funding into the children's trust budget" in titles
    assert "Lift the ring-fence on the Supporting People grant" not in titles  # still open
    # Another area's requests are not reachable by address either.
    assert client.get("/agreements/2008-11/lancashire/requests/3/").status_code == 404


def test_the_locality_hears_the_answer_when_the_go_relays_it(
    client, draft, coordinator_lancs, negotiator, official
):
    from tests.freedoms.conftest import to_state

    request = to_state(
        draft,
        State.ANSWERED,
        coordinator=coordinator_lancs,
        negotiator=negotiator,
        official=official,
    )
    client.force_login(coordinator_lancs)
    url = f"/agreements/2008-11/lancashire/requests/{request.number}/"
    assert 'data-testid="answer"' not in client.get(url).content.decode()
    from freedoms.lifecycle import Move
    from tests.freedoms.conftest import move

    move(request, negotiator, Move.RELAY, State.ANSWERED)
    assert 'data-testid="answer"' in client.get(url).content.decode()


def test_the_request_list_hides_an_unrelayed_outcome_from_the_locality(
    client, draft, coordinator_lancs, negotiator, official
):
    from tests.freedoms.conftest import to_state

    to_state(
        draft,
        State.ANSWERED,
        coordinator=coordinator_lancs,
        negotiator=negotiator,
        official=official,
    )
    client.force_login(coordinator_lancs)
    rows = client.get("/agreements/2008-11/lancashire/requests/").content.decode()
    row = rows[rows.index("Pool the youth offending grants") :][:600]
    assert ">Agreed<" not in row
    client.force_login(negotiator)
    rows = client.get("/agreements/2008-11/lancashire/requests/").content.decode()
    row = rows[rows.index("Pool the youth offending grants") :][:600]
    assert ">Agreed<" in row


def test_a_department_sees_requests_routed_to_it_and_nothing_else(client, official):
    client.force_login(official)
    # Lancashire's agreement was never referred to DCSF, but its request was.
    assert client.get("/agreements/2008-11/lancashire/").status_code == 404
    assert client.get("/agreements/2008-11/lancashire/requests/2/").status_code == 200
    work = [item.task for item in client.get("/").context["work"]]
    assert "Answer the freedoms and flexibilities request" in work
    other = User.objects.create_user(
        email="dh@example.org",
        role="official",
        organisation=official.organisation.__class__.objects.get(abbreviation="DH"),
    )
    client.force_login(other)
    assert client.get("/agreements/2008-11/lancashire/requests/2/").status_code == 404
