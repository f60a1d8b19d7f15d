"""Submitting a draft goes through a check-your-answers page, and the negotiation page
then confirms it in a panel that says what happens next and who was told."""

import pytest

from accounts.models import User
from agreements.stages import Action, Stage
from negotiations.models import StageChange
from notifications.models import Frequency
from tests.negotiations.conftest import resolve_all, set_stage

SUBMIT = "/agreements/2008-11/lancashire/negotiation/submit/"
NEGOTIATION = "/agreements/2008-11/lancashire/negotiation/"


@pytest.fixture
def returned(lancashire, negotiator):
    """Lancashire's draft returned for revision: complete, the coordinator's to submit."""
    resolve_all(lancashire, negotiator)
    return set_stage(lancashire, Stage.RETURNED)


def test_the_check_page_summarises_what_will_be_sent(client, returned, lancashire_coordinator):
    client.force_login(lancashire_coordinator)
    page = client.get(NEGOTIATION).content.decode()
    assert f'href="{SUBMIT}" role="button"' in page  # the button leads to the check page
    response = client.get(SUBMIT)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Check your answers before submitting the draft" in page
    assert 'data-testid="sent-to">GO North West<' in page
    latest = returned.versions.order_by("-number").first().number
    assert f"freezes the draft as version {latest + 1}" in page
    designated = returned.targets.filter(kind="designated").count()
    assert f"{designated} designated (of up to 35)" in page
    assert "Submit to GO North West</button>" in page
    assert '<form method="post" novalidate>' in page  # a plain form: no JavaScript needed
    assert not returned.stage_changes.filter(action=Action.SUBMIT, from_stage=Stage.RETURNED)


def test_posting_the_check_page_submits_and_confirms_who_was_told(
    client, returned, lancashire_coordinator, negotiator
):
    User.objects.filter(pk=negotiator.pk).update(notification_frequency=Frequency.IMMEDIATE)
    client.force_login(lancashire_coordinator)
    response = client.post(SUBMIT, {"expected_stage": Stage.RETURNED, "comment": "Revised."})
    assert response.status_code == 302 and response["Location"] == NEGOTIATION
    returned.refresh_from_db()
    assert returned.stage == Stage.SUBMITTED
    change = StageChange.objects.filter(agreement=returned).latest("created_at")
    assert change.action == Action.SUBMIT and change.comment == "Revised."
    page = client.get(NEGOTIATION).content.decode()
    assert 'class="govuk-panel govuk-panel--confirmation"' in page
    assert "You have submitted the draft to GO North West" in page
    assert f"Version {change.version.number} was sent" in page
    assert "GO North West reviews the draft" in page
    # The people named are those the submission's notifications went to.
    told = User.objects.filter(notifications__subject__startswith="Lancashire: Submitted")
    assert negotiator in told
    assert f"{negotiator.get_full_name()}, GO lead negotiator, GO North West" in page
    assert lancashire_coordinator.get_full_name() + ", " not in page.split("Who we told")[1]
    # The panel is shown once.
    assert "You have submitted the draft" not in client.get(NEGOTIATION).content.decode()


def test_a_stale_check_page_gives_the_conflict_message(client, returned, lancashire_coordinator):
    client.force_login(lancashire_coordinator)
    set_stage(returned, Stage.IN_REVIEW)  # the draft moved on after the page was drawn
    response = client.post(SUBMIT, {"expected_stage": Stage.RETURNED})
    page = response.content.decode()
    assert response.status_code == 409
    assert "govuk-error-summary" in page
    assert "The agreement is now in GO review; reload the page." in page
    returned.refresh_from_db()
    assert returned.stage == Stage.IN_REVIEW


def test_the_check_page_is_only_for_those_who_may_submit(
    client, returned, negotiator, lancashire_coordinator
):
    client.force_login(negotiator)
    assert client.get(SUBMIT).status_code == 404
    response = client.post(SUBMIT, {"expected_stage": Stage.RETURNED})
    assert response.status_code == 404
    returned.refresh_from_db()
    assert returned.stage == Stage.RETURNED
    # The old button's move is sent to the check page rather than submitting directly.
    client.force_login(lancashire_coordinator)
    response = client.post(
        NEGOTIATION + "move/", {"action": "submit", "expected_stage": Stage.RETURNED}
    )
    assert response.status_code == 302 and response["Location"] == SUBMIT
    returned.refresh_from_db()
    assert returned.stage == Stage.RETURNED


def test_other_moves_say_what_was_done_in_plain_words(client, lancashire, negotiator):
    resolve_all(lancashire, negotiator)
    client.force_login(negotiator)
    response = client.post(
        NEGOTIATION + "move/",
        {"action": "return", "expected_stage": Stage.IN_REVIEW, "comment": "Please revise."},
        follow=True,
    )
    page = response.content.decode()
    assert "You have returned the draft to Lancashire for revision." in page
    assert "Done:" not in page
