"""After a move on a request, the person is told what they did in plain words."""

from freedoms.lifecycle import State


def test_sending_a_request_says_to_which_government_office(client, draft, lancashire_coordinator):
    client.force_login(lancashire_coordinator)
    url = f"/agreements/2008-11/lancashire/requests/{draft.number}/"
    response = client.post(
        url + "move/", {"move": "submit", "expected_state": State.DRAFT, "comment": ""}, follow=True
    )
    page = response.content.decode()
    assert f"You have sent {draft.reference} to GO North West." in page
    draft.refresh_from_db()
    assert draft.state == State.WITH_GO
