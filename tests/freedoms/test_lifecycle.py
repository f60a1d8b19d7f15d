"""The request lifecycle, exhaustively: every (state, move, role) does what the table says
or is refused and changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import User
from freedoms.lifecycle import STEPS, Move, State, step_for
from freedoms.models import RequestEvent
from tests.freedoms.conftest import to_state

ACTORS = {
    "own coordinator": "lancashire.coordinator@example.org",
    "other coordinator": "coordinator2@example.org",
    "partner": "partner@example.org",
    "area's GO": "negotiator@example.org",
    "routed department": "official@example.org",
    "admin": "admin@example.org",
}
ROLE_OF = {
    "own coordinator": "coordinator",
    "area's GO": "negotiator",
    "routed department": "official",
}
EXTRA = {"comment": "Because", "outcome": "agreed"}


def expected(state, step_name, actor):
    step = step_for(state, step_name)
    if step is None or ROLE_OF.get(actor) not in step.roles:
        return None
    return step.target


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
