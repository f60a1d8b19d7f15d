"""The agreement's workflow, as data: the transitions between its stages, with the roles
that may take them, the conditions they need and the effects they have.

Every rule about how an agreement moves lives here. Pages ask `available_actions` which
buttons to draw; the transition service (`negotiations.services.apply_transition`, the only
writer of an agreement's stage) asks `transition_for` whether a move is allowed. The stages
themselves belong to the agreement (`agreements.stages`). Effects are named, not imported:
the app that carries each out registers it when it starts (see `core.statemachine`).
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Role
from agreements.completeness import completeness_problems
from agreements.stages import Action, Stage
from core.statemachine import StateMachine, Transition
from negotiations import readiness
from negotiations.amendments import amendment_problems
from negotiations.selectors import open_challenges

# The effects a transition may declare. Negotiations carries out the first two, sign-off
# the other two.
ANNOUNCE = "announce the move"
REFER_TO_DEPARTMENTS = "refer to departments"
START_SIGN_OFF = "start sign-off"
VOID_SIGNATURES = "void signatures"


def _draft_is_complete(agreement) -> str:
    problems = completeness_problems(agreement)
    if problems:
        return (
            f"The completeness check lists {len(problems)} thing{'s' if len(problems) != 1 else ''}"
            " to finish first."
        )
    return ""


def _ready_to_agree(agreement) -> str:
    """Agreement in principle closes the negotiation: no open challenge, every target and
    funding entry in a final status, every referral answered or withdrawn, the checklist
    rated (where the round asks for it), every submitted request answered and relayed or
    carried to the refresh. Every reason is given at once, so nothing surprises the GO."""
    reasons = [
        _no_open_challenges(agreement),
        readiness.items_problem(agreement),
        readiness.referrals_problem(agreement),
        readiness.checklist_problem(agreement),
        readiness.requests_problem(agreement),
    ]
    return " ".join(reason for reason in reasons if reason)


def _refresh_is_open(agreement) -> str:
    if agreement.round.refresh_opened_at is None:
        return "The national team has not opened a refresh for this round."
    return ""


def _amendment_has_reasons(agreement) -> str:
    if agreement.signed_version_id is None:
        return ""
    return amendment_problems(agreement)


def _no_open_challenges(agreement) -> str:
    count = open_challenges(agreement).count()
    if count:
        return f"{count} challenge{'s' if count != 1 else ''} or required change still open."
    return ""


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        Action.SUBMIT,
        frozenset({Stage.DRAFTING, Stage.RETURNED}),
        Stage.SUBMITTED,
        frozenset({Role.COORDINATOR}),
        conditions=(_draft_is_complete, _amendment_has_reasons),
        effects=(ANNOUNCE,),
    ),
    Transition(
        Action.START_REVIEW,
        frozenset({Stage.SUBMITTED}),
        Stage.IN_REVIEW,
        frozenset({Role.NEGOTIATOR}),
        effects=(ANNOUNCE,),
    ),
    Transition(
        Action.RETURN,
        frozenset({Stage.IN_REVIEW, Stage.REFERRED}),
        Stage.RETURNED,
        frozenset({Role.NEGOTIATOR}),
        needs_comment=True,
        effects=(ANNOUNCE,),
        button_class="govuk-button--warning",
    ),
    Transition(
        Action.REFER,
        frozenset({Stage.IN_REVIEW}),
        Stage.REFERRED,
        frozenset({Role.NEGOTIATOR}),
        # The departments are asked first, so that the announcement reaches them.
        effects=(REFER_TO_DEPARTMENTS, ANNOUNCE),
        button_class="govuk-button--secondary",
    ),
    Transition(
        Action.RESUME_REVIEW,
        frozenset({Stage.REFERRED}),
        Stage.IN_REVIEW,
        frozenset({Role.NEGOTIATOR}),
        effects=(ANNOUNCE,),
        button_class="govuk-button--secondary",
    ),
    Transition(
        Action.AGREE_IN_PRINCIPLE,
        frozenset({Stage.IN_REVIEW, Stage.REFERRED}),
        Stage.AGREED_IN_PRINCIPLE,
        frozenset({Role.NEGOTIATOR}),
        needs_comment=True,
        conditions=(_ready_to_agree,),
        effects=(ANNOUNCE,),
    ),
    Transition(
        Action.START_SIGN_OFF,
        frozenset({Stage.AGREED_IN_PRINCIPLE}),
        Stage.IN_SIGN_OFF,
        frozenset({Role.NEGOTIATOR}),
        conditions=(_draft_is_complete, _no_open_challenges, readiness.items_problem),
        effects=(ANNOUNCE, START_SIGN_OFF),
    ),
    Transition(
        Action.WITHDRAW_FROM_SIGN_OFF,
        frozenset({Stage.IN_SIGN_OFF}),
        Stage.RETURNED,
        frozenset({Role.NEGOTIATOR, Role.COORDINATOR}),
        needs_comment=True,
        effects=(ANNOUNCE, VOID_SIGNATURES),
        # The portal takes it back itself when the content changed during sign-off.
        by_portal=True,
        button_class="govuk-button--warning",
    ),
    Transition(
        # The last signature of the chain signs the agreement; no one presses a button.
        Action.SIGN,
        frozenset({Stage.IN_SIGN_OFF}),
        Stage.SIGNED,
        frozenset(),
        by_portal=True,
    ),
    Transition(
        Action.START_AMENDMENT,
        frozenset({Stage.SIGNED}),
        Stage.DRAFTING,
        frozenset({Role.COORDINATOR}),
        needs_comment=True,
        conditions=(_refresh_is_open,),
        effects=(ANNOUNCE,),
    ),
)

WORKFLOW: StateMachine[Transition] = StateMachine(TRANSITIONS)


def items_may_be_agreed(stage: str) -> bool:
    """The GO settles items while it may still agree the agreement in principle."""
    return transition_for(stage, Action.AGREE_IN_PRINCIPLE) is not None


def transition_for(stage: str, action: str) -> Transition | None:
    return WORKFLOW.transition_for(stage, action)


def is_party_to(user, agreement) -> bool:
    """The user acts for the side of the agreement their role speaks for: the area's
    coordinator for the locality, the area's GO for the GO (`agreements.permissions.is_party`)."""
    return user.has_perm("negotiations.move_agreement", agreement)


def may_take(user, agreement, transition: Transition) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and WORKFLOW.allows(user.role, agreement.stage, transition)
        and is_party_to(user, agreement)
    )


@dataclass(frozen=True)
class AvailableAction:
    transition: Transition
    blocked_reason: str

    @property
    def action(self) -> str:
        return Action(self.transition.action).value

    @property
    def label(self) -> str:
        return Action(self.transition.action).label


def available_actions(user, agreement) -> list[AvailableAction]:
    """The moves this user may make now, each with why it is blocked, if it is."""
    return [
        AvailableAction(transition, transition.blocked_reason(agreement))
        for transition in WORKFLOW.transitions_from(agreement.stage)
        if may_take(user, agreement, transition)
    ]
