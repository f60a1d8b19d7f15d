"""The small kernel both state machines run on: the agreement's workflow and a freedoms
request's lifecycle.

A machine is a table of transitions, each written as data: the action, the states it leaves,
the state it reaches, the roles that may take it, whether it needs a comment, the conditions
that must hold, and the effects it has, by name. The kernel answers "which transition is
this action from this state", "which transitions leave this state" and "may this role take
it from here"; the app that applies transitions records them and runs the effects.

Effects are names, so a table never imports the app that carries them out: that app
registers a handler for the name when it starts (`AppConfig.ready`), and the service that
applies a transition runs the handlers in the order the transition lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

# A condition returns why the move cannot be made now, or "" when it can.
Condition = Callable[[Any], str]


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    # The roles of the people who may take it. Empty: no person takes it, the portal does.
    roles: frozenset[str]
    needs_comment: bool = False
    # Checked in order; the first reason given blocks the move.
    conditions: tuple[Condition, ...] = ()
    # Names of registered effects, run in this order once the move is recorded.
    effects: tuple[str, ...] = ()
    # The portal itself may also take it, with no person as the actor.
    by_portal: bool = False
    button_class: str = ""

    def blocked_reason(self, subject: Any) -> str:
        """Why the conditions do not hold for `subject` now, or "" when they do."""
        for condition in self.conditions:
            reason = condition(subject)
            if reason:
                return reason
        return ""


T = TypeVar("T", bound=Transition)


class StateMachine(Generic[T]):
    """A table of transitions with at most one transition per (state, action)."""

    def __init__(self, transitions: Iterable[T]):
        self.transitions: tuple[T, ...] = tuple(transitions)
        self._index: dict[tuple[str, str], T] = {}
        for transition in self.transitions:
            for source in transition.sources:
                key = (str(source), str(transition.action))
                if key in self._index:
                    raise ValueError(f"Two transitions for {transition.action} from {source}.")
                self._index[key] = transition

    def transition_for(self, state: str, action: str) -> T | None:
        return self._index.get((str(state), str(action)))

    def transitions_from(self, state: str) -> list[T]:
        """The transitions leaving `state`, in the table's order."""
        return [t for t in self.transitions if state in t.sources]

    @staticmethod
    def allows(role: str, state: str, transition: Transition) -> bool:
        """A person of `role` may take `transition` from `state`."""
        return state in transition.sources and role in transition.roles

    @staticmethod
    def allows_portal(state: str, transition: Transition) -> bool:
        """The portal itself, with no person pressing a button, may take `transition`."""
        return state in transition.sources and transition.by_portal


# --- Effects ---------------------------------------------------------------------------------

_effects: dict[str, Callable[..., Any]] = {}


def register_effect(name: str, handler: Callable[..., Any]) -> None:
    """Say what the effect `name` does. Registering the same handler again is harmless; a
    different handler for a name already taken is a mistake."""
    known = _effects.get(name)
    if known is not None and known is not handler:
        raise ValueError(f"The effect {name!r} is already registered.")
    _effects[name] = handler


def registered_effects() -> frozenset[str]:
    return frozenset(_effects)


def run_effects(transition: Transition, *args: Any, **kwargs: Any) -> None:
    """Run the transition's effects in order, each with the same arguments."""
    for name in transition.effects:
        handler = _effects.get(name)
        if handler is None:
            raise LookupError(f"No handler is registered for the effect {name!r}.")
        handler(*args, **kwargs)
