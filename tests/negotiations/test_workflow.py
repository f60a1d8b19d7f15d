"""The workflow table, exhaustively: every (stage, action, role) either moves the agreement
exactly as the table says, or is refused and changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import User
from core.errors import ServiceError
from negotiations import services
from negotiations.models import StageChange, Version
from negotiations.workflow import (
    TRANSITIONS,
    Action,
    Stage,
    available_actions,
    transition_for,
)
from tests.negotiations.conftest import resolve_all, set_stage, settle_all

# The actors: the area's own coordinator and GO, and everyone who is not party to it.
ACTORS = {
    "own coordinator": "lancashire.coordinator@example.org",
    "other coordinator": "coordinator@example.org",
    "partner": "partner@example.org",
    "area's GO negotiator": "negotiator@example.org",
    "department official": "official@example.org",
    "admin": "admin@example.org",
}
MAY_ACT = {"own coordinator": "coordinator", "area's GO negotiator": "negotiator"}


def expected(stage: str, action: str, actor: str) -> Stage | None:
    transition = transition_for(stage, action)
    if transition is None or MAY_ACT.get(actor) not in transition.roles:
        return None
    return transition.target


CASES = [(stage, action, actor) for stage in Stage for action in Action for actor in ACTORS]


@pytest.mark.parametrize(("stage", "action", "actor"), CASES)
def test_every_stage_action_and_role(lancashire, negotiator, stage, action, actor):
    settle_all(lancashire, negotiator)
    # A refresh is open, so that amending a signed agreement is allowed by its condition.
    type(lancashire.round).objects.filter(pk=lancashire.round_id).update(
        refresh_opened_at=timezone.now()
    )
    agreement = set_stage(lancashire, stage)
    user = User.objects.get(email=ACTORS[actor])
    before = StageChange.objects.filter(agreement=agreement).count()
    target = expected(stage, action, actor)
    if target is None:
        with pytest.raises(PermissionDenied):
            services.agreement_transition(
                agreement=agreement,
                actor=user,
                action=action,
                expected_stage=stage,
                comment="Because",
            )
        agreement.refresh_from_db()
        assert agreement.stage == stage
        assert StageChange.objects.filter(agreement=agreement).count() == before
    else:
        change = services.agreement_transition(
            agreement=agreement, actor=user, action=action, expected_stage=stage, comment="Because"
        )
        agreement.refresh_from_db()
        assert agreement.stage == target
        assert (change.from_stage, change.to_stage, change.actor) == (stage, target, user)
        assert change.comment == "Because"
        assert StageChange.objects.filter(agreement=agreement).count() == before + 1


@pytest.mark.parametrize("stage", list(Stage))
def test_pages_offer_exactly_the_moves_the_table_allows(lancashire, lancashire_coordinator, stage):
    agreement = set_stage(lancashire, stage)
    for actor, email in ACTORS.items():
        offered = {a.action for a in available_actions(User.objects.get(email=email), agreement)}
        allowed = {a.value for a in Action if expected(stage, a, actor) is not None}
        assert offered == allowed, (stage, actor)


def test_the_table_has_one_transition_per_stage_and_action():
    pairs = [(stage, t.action) for t in TRANSITIONS for stage in t.sources]
    assert len(pairs) == len(set(pairs))


def test_pressing_the_same_button_twice_makes_one_transition(lancashire, negotiator):
    resolve_all(lancashire, negotiator)
    first = services.agreement_transition(
        agreement=lancashire, actor=negotiator, action=Action.REFER, expected_stage=Stage.IN_REVIEW
    )
    second = services.agreement_transition(
        agreement=lancashire, actor=negotiator, action=Action.REFER, expected_stage=Stage.IN_REVIEW
    )
    assert first is not None and second is None
    assert StageChange.objects.filter(agreement=lancashire, action=Action.REFER).count() == 1


def test_a_stale_page_cannot_make_a_different_move(lancashire, negotiator):
    services.agreement_transition(
        agreement=lancashire, actor=negotiator, action=Action.REFER, expected_stage=Stage.IN_REVIEW
    )
    with pytest.raises(ServiceError, match="reload the page"):
        services.agreement_transition(
            agreement=lancashire,
            actor=negotiator,
            action=Action.RETURN,
            expected_stage=Stage.IN_REVIEW,
            comment="x",
        )


def test_submission_needs_a_complete_draft(agreement, coordinator):
    with pytest.raises(ServiceError, match="completeness check lists"):
        services.agreement_transition(
            agreement=agreement,
            actor=coordinator,
            action=Action.SUBMIT,
            expected_stage=Stage.DRAFTING,
        )
    assert not Version.objects.filter(agreement=agreement).exists()
    (blocked,) = available_actions(coordinator, agreement)
    assert blocked.action == "submit" and "completeness check" in blocked.blocked_reason


def test_agreement_in_principle_waits_for_open_challenges(lancashire, negotiator):
    with pytest.raises(ServiceError, match="2 challenges or required change still open"):
        services.agreement_transition(
            agreement=lancashire,
            actor=negotiator,
            action=Action.AGREE_IN_PRINCIPLE,
            expected_stage=Stage.IN_REVIEW,
            comment="Recommended",
        )


def test_returning_a_draft_needs_a_comment(lancashire, negotiator):
    with pytest.raises(ServiceError, match="Add a comment"):
        services.agreement_transition(
            agreement=lancashire,
            actor=negotiator,
            action=Action.RETURN,
            expected_stage=Stage.IN_REVIEW,
            comment="  ",
        )


def test_transitions_notify_the_other_side_after_commit(
    lancashire, negotiator, lancashire_coordinator, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    with django_capture_on_commit_callbacks() as callbacks:
        services.agreement_transition(
            agreement=lancashire,
            actor=negotiator,
            action=Action.RETURN,
            expected_stage=Stage.IN_REVIEW,
            comment="Please add evidence",
        )
    notification = Notification.objects.get(
        user=lancashire_coordinator, subject__contains="Returned for revision"
    )
    assert "Please add evidence" in notification.body
    assert len(callbacks) == 1  # the e-mail is queued only once the change has committed


def test_two_people_pressing_the_same_button_at_once_make_one_transition(seeded_transactional_db):
    from agreements.models import Agreement
    from tests.agreements.test_concurrency import race

    agreement = Agreement.objects.get(area__name="Manchester")
    negotiator = User.objects.get(email="negotiator@example.org")

    def press():
        return services.agreement_transition(
            agreement=Agreement.objects.get(pk=agreement.pk),
            actor=User.objects.get(pk=negotiator.pk),
            action=Action.RESUME_REVIEW,
            expected_stage=Stage.REFERRED,
        )

    results = race([press, press])
    assert sorted(r is None for r in results) == [False, True], results
    assert StageChange.objects.filter(agreement=agreement, action=Action.RESUME_REVIEW).count() == 1
