"""The agreement's activity list tells each event once, in plain words. The moves are taken
through the workflow's one writer of stage, without the completeness check the buttons ask
for, which the demo draft does not yet pass."""

from agreements.stages import Action, Stage
from negotiations import services
from negotiations.activity import timeline


def test_a_change_of_stage_is_told_once(agreement, coordinator, negotiator):
    assert agreement.stage == Stage.DRAFTING
    before = len(timeline(negotiator, agreement))
    services.apply_transition(
        agreement=agreement,
        actor=coordinator,
        action=Action.SUBMIT,
        expected_stage=Stage.DRAFTING,
        comment="Ready for the GO",
    )
    agreement.refresh_from_db()
    events = timeline(negotiator, agreement)
    submitted = [e for e in events if "Submit" in e.text or "submit" in e.text]
    assert [e.kind for e in submitted] == ["stage"]
    assert submitted[0].text.startswith("Submit to the Government Office: now ")
    assert "“Ready for the GO”" in submitted[0].text
    # The freeze of the submitted version may be told; the stage change is not told twice.
    assert len(events) - before in (1, 2)


def test_the_activity_page_shows_a_submission_once(client, agreement, coordinator, negotiator):
    services.apply_transition(
        agreement=agreement,
        actor=coordinator,
        action=Action.SUBMIT,
        expected_stage=Stage.DRAFTING,
    )
    client.force_login(negotiator)
    page = client.get("/agreements/2008-11/cumbria/negotiation/activity/").content.decode()
    assert page.count("Submit to the Government Office: now ") == 1
    assert page.count("Submit to the Government Office") == 1
