import pytest

from accounts.models import Organisation, User
from agreements.models import Agreement
from freedoms import services
from freedoms.lifecycle import Move, State
from freedoms.models import FreedomRequest

BRIEF = "GOs may agree annual rather than quarterly reporting"


@pytest.fixture
def dcsf(db) -> Organisation:
    return Organisation.objects.get(kind="department", abbreviation="DCSF")


@pytest.fixture
def lancashire_coordinator(db) -> User:
    return User.objects.get(email="lancashire.coordinator@example.org")


@pytest.fixture
def draft(lancashire_coordinator, dcsf) -> FreedomRequest:
    agreement = Agreement.objects.get(area__name="Lancashire")
    return services.request_create(
        agreement=agreement,
        actor=lancashire_coordinator,
        fields=services.RequestFields(
            title="Pool the youth offending grants",
            obstacle_kind="funding_condition",
            obstacle="Separate grant conditions",
            ask="One pooled budget",
            proposed_departments=(dcsf,),
        ),
    )


def move(request, actor, step, state, **extra):
    return services.request_move(
        request=request, actor=actor, move=step, expected_state=state, **extra
    )


def to_state(request, state, *, coordinator, negotiator, official) -> FreedomRequest:
    """Walk a draft to `state` through the services."""
    path = {
        State.DRAFT: [],
        State.WITH_GO: [(Move.SUBMIT, coordinator, {})],
        State.WITH_DEPARTMENT: [(Move.SUBMIT, coordinator, {}), (Move.REFER, negotiator, {})],
        State.MORE_INFORMATION: [
            (Move.SUBMIT, coordinator, {}),
            (Move.REFER, negotiator, {}),
            (Move.ASK, official, {"comment": "Which grants?"}),
        ],
        State.ON_HOLD: [
            (Move.SUBMIT, coordinator, {}),
            (Move.REFER, negotiator, {}),
            (Move.HOLD, official, {"comment": "Awaiting the spending review"}),
        ],
        State.ANSWERED: [
            (Move.SUBMIT, coordinator, {}),
            (Move.REFER, negotiator, {}),
            (Move.ANSWER, official, {"outcome": "agreed"}),
        ],
        State.RELAYED: [
            (Move.SUBMIT, coordinator, {}),
            (Move.REFER, negotiator, {}),
            (Move.ANSWER, official, {"outcome": "agreed"}),
            (Move.RELAY, negotiator, {}),
        ],
    }[state]
    for step, actor, extra in path:
        request.refresh_from_db()
        move(request, actor, step, request.state, **extra)
    request.refresh_from_db()
    return request


@pytest.fixture
def coordinator_lancs(lancashire_coordinator) -> User:
    return lancashire_coordinator
