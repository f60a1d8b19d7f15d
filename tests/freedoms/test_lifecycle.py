"""The request lifecycle, exhaustively: every (state, move, role) does what the literal list
of allowed moves below says or is refused and changes nothing. The expected answers are
written out by hand, not read from the table under test."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Role, User
from freedoms.lifecycle import LIFECYCLE, STEPS, Move, State
from freedoms.models import RequestEvent
from tests.freedoms.conftest import to_state

# Every move the lifecycle allows: (role, from state, move, to state). Anything not listed
# is refused.
ALLOWED = (
    (Role.COORDINATOR, State.DRAFT, Move.SUBMIT, State.WITH_GO),
    (Role.NEGOTIATOR, State.WITH_GO, Move.DECIDE, State.ANSWERED),
    (Role.NEGOTIATOR, State.WITH_GO, Move.REFER, State.WITH_DEPARTMENT),
    (Role.OFFICIAL, State.WITH_DEPARTMENT, Move.ANSWER, State.ANSWERED),
    (Role.OFFICIAL, State.WITH_DEPARTMENT, Move.ASK, State.MORE_INFORMATION),
    (Role.COORDINATOR, State.MORE_INFORMATION, Move.PROVIDE, State.WITH_DEPARTMENT),
    (Role.OFFICIAL, State.WITH_DEPARTMENT, Move.HOLD, State.ON_HOLD),
    (Role.OFFICIAL, State.ON_HOLD, Move.RESUME, State.WITH_DEPARTMENT),
    (Role.NEGOTIATOR, State.ON_HOLD, Move.RESUME, State.WITH_DEPARTMENT),
    (Role.NEGOTIATOR, State.ANSWERED, Move.RELAY, State.RELAYED),
)

ACTORS = {
    "own coordinator": "lancashire.coordinator@example.org",
    "other coordinator": "coordinator2@example.org",
    "partner": "partner@example.org",
    "area's GO": "negotiator@example.org",
    "routed department": "official@example.org",
    "admin": "admin@example.org",
}
# Of the actors, only these are party to the request, each for the side of their role.
ROLE_OF = {
    "own coordinator": Role.COORDINATOR,
    "area's GO": Role.NEGOTIATOR,
    "routed department": Role.OFFICIAL,
}
EXTRA = {"comment": "Because", "outcome": "agreed"}


def expected(state, step_name, actor):
    for role, source, move, target in ALLOWED:
        if (role, source, move) == (ROLE_OF.get(actor), state, step_name):
            return target
    return None


def test_the_table_allows_exactly_the_listed_moves_and_no_other():
    for role in Role:
        for state in State:
            for move in Move:
                step = LIFECYCLE.transition_for(state, move)
                allowed = step is not None and LIFECYCLE.allows(role, state, step)
                listed = [t for r, s, m, t in ALLOWED if (r, s, m) == (role, state, move)]
                assert allowed == bool(listed), (role, state, move)
                if listed:
                    assert step.target == listed[0], (role, state, move)
                # The portal makes no move of the lifecycle by itself.
                assert step is None or not LIFECYCLE.allows_portal(state, step)


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("step_name", list(Move))
@pytest.mark.parametrize("actor", list(ACTORS))
def test_every_state_move_and_role(
    draft, coordinator_lancs, negotiator, official, state, step_name, actor
):
    request = to_state(
        draft, state, coordinator=coordinator_lancs, negotiator=negotiator, official=official
    )
    user = User.objects.get(email=ACTORS[actor])
    before = RequestEvent.objects.filter(request=request).count()
    target = expected(state, step_name, actor)
    from freedoms import services

    if target is None:
        with pytest.raises(PermissionDenied):
            services.request_move(
                request=request, actor=user, move=step_name, expected_state=state, **EXTRA
            )
        request.refresh_from_db()
        assert request.state == state
        assert RequestEvent.objects.filter(request=request).count() == before
    else:
        event = services.request_move(
            request=request, actor=user, move=step_name, expected_state=state, **EXTRA
        )
        request.refresh_from_db()
        assert request.state == target
        assert (event.from_state, event.to_state, event.actor) == (state, target, user)


def test_one_step_per_state_and_move():
    pairs = [(state, step.move) for step in STEPS for state in step.sources]
    assert len(pairs) == len(set(pairs))


def test_a_double_press_makes_one_move(draft, coordinator_lancs):
    from freedoms import services

    first = services.request_move(
        request=draft, actor=coordinator_lancs, move=Move.SUBMIT, expected_state=State.DRAFT
    )
    second = services.request_move(
        request=draft, actor=coordinator_lancs, move=Move.SUBMIT, expected_state=State.DRAFT
    )
    assert first is not None and second is None
    assert RequestEvent.objects.filter(request=draft).count() == 1
