"""A request's lifecycle, as data, separate from its agreement's stage: requests outlive
signature. States, the moves between them, and who may make each, on the same kernel as the
agreement's workflow (`core.statemachine`)."""

from __future__ import annotations

from django.db import models

from accounts.models import Role
from core.statemachine import StateMachine, Transition


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    WITH_GO = "with_go", "With the Government Office"
    WITH_DEPARTMENT = "with_department", "With the department"
    MORE_INFORMATION = "more_information", "More information needed"
    ON_HOLD = "on_hold", "On hold for further discussion"
    ANSWERED = "answered", "Answered, to be relayed"
    RELAYED = "relayed", "Answered"


class Outcome(models.TextChoices):
    AGREED = "agreed", "Agreed"
    AGREED_IN_PART = "agreed_in_part", "Agreed in part or alternative offered"
    ALREADY_POSSIBLE = "already_possible", "Already possible"
    REFUSED = "refused", "Refused"


class Move(models.TextChoices):
    SUBMIT = "submit", "Send to the Government Office"
    DECIDE = "decide", "Decide under the negotiating brief"
    REFER = "refer", "Refer to the department"
    ANSWER = "answer", "Answer"
    ASK = "ask", "Ask for more information"
    PROVIDE = "provide", "Send the information"
    HOLD = "hold", "Put on hold for further discussion"
    RESUME = "resume", "Take off hold"
    RELAY = "relay", "Relay the answer to the locality"


class Step(Transition):
    """A transition of the lifecycle, whose action is a move."""

    @property
    def move(self) -> Move:
        return Move(self.action)

    @property
    def needs_reason(self) -> bool:
        return self.needs_comment


STEPS: tuple[Step, ...] = (
    Step(Move.SUBMIT, frozenset({State.DRAFT}), State.WITH_GO, frozenset({Role.COORDINATOR})),
    Step(Move.DECIDE, frozenset({State.WITH_GO}), State.ANSWERED, frozenset({Role.NEGOTIATOR})),
    Step(
        Move.REFER, frozenset({State.WITH_GO}), State.WITH_DEPARTMENT, frozenset({Role.NEGOTIATOR})
    ),
    Step(
        Move.ANSWER, frozenset({State.WITH_DEPARTMENT}), State.ANSWERED, frozenset({Role.OFFICIAL})
    ),
    Step(
        Move.ASK,
        frozenset({State.WITH_DEPARTMENT}),
        State.MORE_INFORMATION,
        frozenset({Role.OFFICIAL}),
        needs_comment=True,
    ),
    Step(
        Move.PROVIDE,
        frozenset({State.MORE_INFORMATION}),
        State.WITH_DEPARTMENT,
        frozenset({Role.COORDINATOR}),
        needs_comment=True,
    ),
    Step(
        Move.HOLD,
        frozenset({State.WITH_DEPARTMENT}),
        State.ON_HOLD,
        frozenset({Role.OFFICIAL}),
        needs_comment=True,
    ),
    Step(
        Move.RESUME,
        frozenset({State.ON_HOLD}),
        State.WITH_DEPARTMENT,
        frozenset({Role.OFFICIAL, Role.NEGOTIATOR}),
    ),
    Step(Move.RELAY, frozenset({State.ANSWERED}), State.RELAYED, frozenset({Role.NEGOTIATOR})),
)

# The response clock runs only while the request waits on the department.
CLOCK_RUNS = frozenset({State.WITH_DEPARTMENT})
OPEN_STATES = frozenset(
    {State.WITH_GO, State.WITH_DEPARTMENT, State.MORE_INFORMATION, State.ON_HOLD}
)


LIFECYCLE: StateMachine[Step] = StateMachine(STEPS)


def step_for(state: str, move: str) -> Step | None:
    return LIFECYCLE.transition_for(state, move)
