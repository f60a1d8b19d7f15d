"""The workflow table, exhaustively: every (stage, action, role) either moves the agreement
exactly as the literal list of allowed moves below says, or is refused and changes nothing.
The expected answers are written out by hand, not read from the table under test."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import Role, User
from agreements.stages import Action, Stage
from core.errors import ServiceError
from core.statemachine import registered_effects
from negotiations import services, workflow
from negotiations.models import StageChange, Version
from negotiations.workflow import TRANSITIONS, WORKFLOW, available_actions
from tests.negotiations.conftest import resolve_all, set_stage, settle_all

# Every move the workflow allows a person to make: (role, from stage, action, to stage).
# Anything not listed is refused.
ALLOWED = (
    (Role.COORDINATOR, Stage.DRAFTING, Action.SUBMIT, Stage.SUBMITTED),
    (Role.COORDINATOR, Stage.RETURNED, Action.SUBMIT, Stage.SUBMITTED),
    (Role.NEGOTIATOR, Stage.SUBMITTED, Action.START_REVIEW, Stage.IN_REVIEW),
    (Role.NEGOTIATOR, Stage.IN_REVIEW, Action.RETURN, Stage.RETURNED),
    (Role.NEGOTIATOR, Stage.REFERRED, Action.RETURN, Stage.RETURNED),
    (Role.NEGOTIATOR, Stage.IN_REVIEW, Action.REFER, Stage.REFERRED),
    (Role.NEGOTIATOR, Stage.REFERRED, Action.RESUME_REVIEW, Stage.IN_REVIEW),
    (Role.NEGOTIATOR, Stage.IN_REVIEW, Action.AGREE_IN_PRINCIPLE, Stage.AGREED_IN_PRINCIPLE),
    (Role.NEGOTIATOR, Stage.REFERRED, Action.AGREE_IN_PRINCIPLE, Stage.AGREED_IN_PRINCIPLE),
    (Role.NEGOTIATOR, Stage.AGREED_IN_PRINCIPLE, Action.START_SIGN_OFF, Stage.IN_SIGN_OFF),
    (Role.NEGOTIATOR, Stage.IN_SIGN_OFF, Action.WITHDRAW_FROM_SIGN_OFF, Stage.RETURNED),
    (Role.COORDINATOR, Stage.IN_SIGN_OFF, Action.WITHDRAW_FROM_SIGN_OFF, Stage.RETURNED),
    (Role.COORDINATOR, Stage.SIGNED, Action.START_AMENDMENT, Stage.DRAFTING),
)
# The moves the portal makes itself, with no person pressing a button: (from, action, to).
BY_PORTAL = (
    # The last signature of the chain signs the agreement.
    (Stage.IN_SIGN_OFF, Action.SIGN, Stage.SIGNED),
    # The content changed during sign-off: it goes back, and the signatures are void.
    (Stage.IN_SIGN_OFF, Action.WITHDRAW_FROM_SIGN_OFF, Stage.RETURNED),
)

# The actors: the area's own coordinator and GO, and everyone who is not party to it.
ACTORS = {
    "own coordinator": "lancashire.coordinator@example.org",
    "other coordinator": "coordinator@example.org",
    "partner": "partner@example.org",
    "area's GO negotiator": "negotiator@example.org",
    "department official": "official@example.org",
    "admin": "admin@example.org",
}
# Of the actors, only these are party to the agreement, each for the side of their role.
PARTY = {"own coordinator": Role.COORDINATOR, "area's GO negotiator": Role.NEGOTIATOR}


def expected(stage: str, action: str, actor: str) -> str | None:
    for role, source, allowed, target in ALLOWED:
        if (role, source, allowed) == (PARTY.get(actor), stage, action):
            return target
    return None


CASES = [(stage, action, actor) for stage in Stage for action in Action for actor in ACTORS]


def test_the_table_allows_exactly_the_listed_moves_and_no_other():
    for role in Role:
        for stage in Stage:
            for action in Action:
                transition = WORKFLOW.transition_for(stage, action)
                allowed = transition is not None and WORKFLOW.allows(role, stage, transition)
                listed = [t for r, s, a, t in ALLOWED if (r, s, a) == (role, stage, action)]
                assert allowed == bool(listed), (role, stage, action)
                if listed:
                    assert transition.target == listed[0], (role, stage, action)


def test_the_portal_makes_exactly_the_listed_moves_and_no_other():
    for stage in Stage:
        for action in Action:
            transition = WORKFLOW.transition_for(stage, action)
            allowed = transition is not None and WORKFLOW.allows_portal(stage, transition)
            listed = [t for s, a, t in BY_PORTAL if (s, a) == (stage, action)]
            assert allowed == bool(listed), (stage, action)
            if listed:
                assert transition.target == listed[0], (stage, action)


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
def test_pages_offer_exactly_the_listed_moves(lancashire, lancashire_coordinator, stage):
    agreement = set_stage(lancashire, stage)
    for actor, email in ACTORS.items():
        offered = {a.action for a in available_actions(User.objects.get(email=email), agreement)}
        allowed = {a.value for a in Action if expected(stage, a, actor) is not None}
        assert offered == allowed, (stage, actor)


def test_the_table_has_one_transition_per_stage_and_action():
    pairs = [(stage, t.action) for t in TRANSITIONS for stage in t.sources]
    assert len(pairs) == len(set(pairs))


def test_every_effect_the_table_names_is_registered():
    named = {effect for t in TRANSITIONS for effect in t.effects}
    assert named == {
        workflow.ANNOUNCE,
        workflow.REFER_TO_DEPARTMENTS,
        workflow.START_SIGN_OFF,
        workflow.VOID_SIGNATURES,
    }
    assert named <= registered_effects()


def test_the_workflow_imports_no_app_above_negotiations():
    tree = ast.parse(Path(workflow.__file__).read_text())
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
        if not isinstance(node, ast.ImportFrom) or node.module
    }
    above = {"signoff", "freedoms", "performance", "dashboards", "jobs", "health", "portal"}
    assert not imported & above


def test_the_portal_cannot_make_a_persons_move(lancashire):
    with pytest.raises(PermissionDenied):
        services.apply_transition(
            agreement=lancashire,
            action=Action.RETURN,
            expected_stage=Stage.IN_REVIEW,
            actor=None,
            by_portal=True,
            comment="x",
        )
    lancashire.refresh_from_db()
    assert lancashire.stage == Stage.IN_REVIEW


def test_no_person_signs_an_agreement_by_pressing_a_button(lancashire, negotiator):
    agreement = set_stage(lancashire, Stage.IN_SIGN_OFF)
    with pytest.raises(PermissionDenied):
        services.apply_transition(
            agreement=agreement,
            action=Action.SIGN,
            expected_stage=Stage.IN_SIGN_OFF,
            actor=negotiator,
        )
    agreement.refresh_from_db()
    assert agreement.stage == Stage.IN_SIGN_OFF


def test_the_stage_writer_refuses_a_stale_stage(lancashire, negotiator):
    with pytest.raises(ServiceError, match="reload the page"):
        services.apply_transition(
            agreement=lancashire,
            action=Action.REFER,
            expected_stage=Stage.SUBMITTED,
            actor=negotiator,
        )
    assert not StageChange.objects.filter(agreement=lancashire, action=Action.REFER).exists()


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
