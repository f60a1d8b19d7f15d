"""The agreement's workflow, as data: stages, whose court each is in, and the transitions
with the roles that may take them and the conditions they need.

Every rule about how an agreement moves lives here. Pages ask `available_actions` which
buttons to draw; the transition service asks `transition_for` whether a move is allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from accounts.models import Role


class Stage(models.TextChoices):
    DRAFTING = "drafting", "Drafting"
    SUBMITTED = "submitted", "Submitted to GO"
    IN_REVIEW = "in_review", "In GO review"
    REFERRED = "referred", "Referred to departments"
    RETURNED = "returned", "Returned for revision"
    AGREED_IN_PRINCIPLE = "agreed_in_principle", "Agreed in principle"
    IN_SIGN_OFF = "in_sign_off", "In sign-off"
    SIGNED = "signed", "Signed"


class Party(models.TextChoices):
    LOCALITY = "locality", "Locality"
    GO = "go", "Government Office"
    DEPARTMENTS = "departments", "Departments"
    SIGNATORIES = "signatories", "Signatories"
    NOBODY = "nobody", "Nobody (signed)"


# The locality may change its draft only in these stages. From the start of sign-off the
# content is locked: a change means taking it back, which voids every signature.
EDITABLE_STAGES = frozenset({Stage.DRAFTING, Stage.RETURNED})

# Whose court the agreement is in at each stage.
COURT = {
    Stage.DRAFTING: Party.LOCALITY,
    Stage.RETURNED: Party.LOCALITY,
    Stage.SUBMITTED: Party.GO,
    Stage.IN_REVIEW: Party.GO,
    Stage.REFERRED: Party.DEPARTMENTS,
    Stage.AGREED_IN_PRINCIPLE: Party.GO,
    Stage.IN_SIGN_OFF: Party.SIGNATORIES,
    Stage.SIGNED: Party.NOBODY,
}


def is_editable(stage: str) -> bool:
    return stage in EDITABLE_STAGES


class Action(models.TextChoices):
    SUBMIT = "submit", "Submit to the Government Office"
    START_REVIEW = "start_review", "Start the review"
    RETURN = "return", "Return for revision"
    REFER = "refer", "Refer to departments"
    RESUME_REVIEW = "resume_review", "Continue the review"
    AGREE_IN_PRINCIPLE = "agree_in_principle", "Agree in principle"
    START_SIGN_OFF = "start_sign_off", "Start sign-off"
    WITHDRAW_FROM_SIGN_OFF = "withdraw_from_sign_off", "Take back from sign-off to change it"
    # Taken by the sign-off service when the last signature of the chain is recorded.
    SIGN = "sign", "Signed"
    START_AMENDMENT = "start_amendment", "Start an amendment"


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[str]
    target: Stage
    roles: frozenset[str]
    needs_comment: bool = False
    # A condition returns why the move cannot be made now, or "" when it can.
    condition: Callable | None = None
    button_class: str = ""


def _draft_is_complete(agreement) -> str:
    from agreements.completeness import completeness_problems

    problems = completeness_problems(agreement)
    if problems:
        return (
            f"The completeness check lists {len(problems)} thing{'s' if len(problems) != 1 else ''}"
            " to finish first."
        )
    return ""


def _ready_to_sign(agreement) -> str:
    return (
        _draft_is_complete(agreement)
        or _no_open_challenges(agreement)
        or _items_are_settled(agreement)
    )


def _items_are_settled(agreement) -> str:
    from negotiations.readiness import items_problem

    return items_problem(agreement)


def _ready_to_agree(agreement) -> str:
    """Agreement in principle closes the negotiation: no open challenge, every target and
    funding entry in a final status, every referral answered or withdrawn, the checklist
    rated (where the round asks for it), every submitted request answered and relayed or
    carried to the refresh. Every reason is given at once, so nothing surprises the GO."""
    from negotiations import readiness

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
    from negotiations.amendments import amendment_problems

    return amendment_problems(agreement)


def _no_open_challenges(agreement) -> str:
    from negotiations.selectors import open_challenges

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
        condition=lambda agreement: (
            _draft_is_complete(agreement) or _amendment_has_reasons(agreement)
        ),
    ),
    Transition(
        Action.START_REVIEW,
        frozenset({Stage.SUBMITTED}),
        Stage.IN_REVIEW,
        frozenset({Role.NEGOTIATOR}),
    ),
    Transition(
        Action.RETURN,
        frozenset({Stage.IN_REVIEW, Stage.REFERRED}),
        Stage.RETURNED,
        frozenset({Role.NEGOTIATOR}),
        needs_comment=True,
        button_class="govuk-button--warning",
    ),
    Transition(
        Action.REFER,
        frozenset({Stage.IN_REVIEW}),
        Stage.REFERRED,
        frozenset({Role.NEGOTIATOR}),
        button_class="govuk-button--secondary",
    ),
    Transition(
        Action.RESUME_REVIEW,
        frozenset({Stage.REFERRED}),
        Stage.IN_REVIEW,
        frozenset({Role.NEGOTIATOR}),
        button_class="govuk-button--secondary",
    ),
    Transition(
        Action.AGREE_IN_PRINCIPLE,
        frozenset({Stage.IN_REVIEW, Stage.REFERRED}),
        Stage.AGREED_IN_PRINCIPLE,
        frozenset({Role.NEGOTIATOR}),
        needs_comment=True,
        condition=_ready_to_agree,
    ),
    Transition(
        Action.START_SIGN_OFF,
        frozenset({Stage.AGREED_IN_PRINCIPLE}),
        Stage.IN_SIGN_OFF,
        frozenset({Role.NEGOTIATOR}),
        condition=_ready_to_sign,
    ),
    Transition(
        Action.WITHDRAW_FROM_SIGN_OFF,
        frozenset({Stage.IN_SIGN_OFF}),
        Stage.RETURNED,
        frozenset({Role.NEGOTIATOR, Role.COORDINATOR}),
        needs_comment=True,
        button_class="govuk-button--warning",
    ),
    Transition(
        Action.START_AMENDMENT,
        frozenset({Stage.SIGNED}),
        Stage.DRAFTING,
        frozenset({Role.COORDINATOR}),
        needs_comment=True,
        condition=_refresh_is_open,
    ),
)


def items_may_be_agreed(stage: str) -> bool:
    """The GO settles items while it may still agree the agreement in principle."""
    return transition_for(stage, Action.AGREE_IN_PRINCIPLE) is not None


def transition_for(stage: str, action: str) -> Transition | None:
    for transition in TRANSITIONS:
        if transition.action == action and stage in transition.sources:
            return transition
    return None


def is_party_to(user, agreement) -> bool:
    """The user acts for the side of the agreement their role speaks for: the area's
    coordinator for the locality, the area's GO for the GO."""
    if user.role == Role.COORDINATOR:
        return user.organisation_id is not None and user.organisation.area_id == agreement.area_id
    if user.role == Role.NEGOTIATOR:
        return agreement.area.government_office_id == user.organisation_id
    return False


def may_take(user, agreement, transition: Transition) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role in transition.roles
        and agreement.stage in transition.sources
        and is_party_to(user, agreement)
    )


@dataclass(frozen=True)
class AvailableAction:
    transition: Transition
    blocked_reason: str

    @property
    def action(self) -> str:
        return self.transition.action.value

    @property
    def label(self) -> str:
        return self.transition.action.label


def available_actions(user, agreement) -> list[AvailableAction]:
    """The moves this user may make now, each with why it is blocked, if it is."""
    actions = []
    for transition in TRANSITIONS:
        if may_take(user, agreement, transition):
            reason = transition.condition(agreement) if transition.condition else ""
            actions.append(AvailableAction(transition, reason))
    return actions
