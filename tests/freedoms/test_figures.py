"""The round's figures are counted by the database, with the same results as counting every
request one by one, in a fixed number of queries."""

import datetime as dt
import statistics

import pytest
from django.utils import timezone

from accounts.models import Organisation
from agreements.models import Agreement
from freedoms import selectors
from freedoms.lifecycle import OPEN_STATES, Outcome
from freedoms.models import FreedomRequest


def add_requests(specs) -> None:
    """specs: (state, outcome, department abbreviation or None, days to answer or None)."""
    agreements = list(Agreement.objects.filter(round__slug="2008-11").order_by("pk"))
    departments = {o.abbreviation: o for o in Organisation.objects.filter(kind="department")}
    now = timezone.now()
    rows = []
    for i, (state, outcome, department, days) in enumerate(specs):
        submitted = now - dt.timedelta(days=100 + i)
        rows.append(
            FreedomRequest(
                agreement=agreements[i % len(agreements)],
                number=500 + i,
                title=f"Request {i}",
                obstacle_kind="rule",
                obstacle="x",
                ask="y",
                state=state,
                outcome=outcome,
                reason="" if outcome in ("", "agreed") else "Because",
                alternative="Another way" if outcome == "agreed_in_part" else "",
                department=departments[department] if department else None,
                submitted_at=None if state == "draft" else submitted,
                decided_at=submitted + dt.timedelta(days=days) if days is not None else None,
            )
        )
    FreedomRequest.objects.bulk_create(rows)


SPECS = [
    ("draft", "", None, None),
    ("with_go", "", None, None),
    ("with_department", "", "DH", None),
    ("on_hold", "", "DCSF", None),
    ("more_information", "", "CLG", None),
    ("answered", "refused", "DH", 3.5),
    ("relayed", "agreed", "DH", 10),
    ("relayed", "already_possible", "DCSF", 1.25),
    ("relayed", "agreed_in_part", "CLG", 40),
    ("answered", "agreed", None, 2),  # decided by the GO under its brief
    ("relayed", "agreed", "DCSF", 7),
]


def counted_one_by_one(round_) -> dict:
    requests = list(
        FreedomRequest.objects.filter(agreement__round=round_)
        .exclude(state="draft")
        .select_related("department", "agreement__area")
    )
    by_outcome = {label: 0 for _, label in Outcome.choices}
    by_department = {}
    days = []
    for request in requests:
        name = request.department.abbreviation if request.department_id else "Not yet routed"
        row = by_department.setdefault(name, {"total": 0, "answered": 0, "open": 0})
        row["total"] += 1
        if request.outcome:
            by_outcome[request.get_outcome_display()] += 1
            row["answered"] += 1
            if request.submitted_at and request.decided_at:
                days.append((request.decided_at - request.submitted_at).total_seconds() / 86400)
        row["open"] += request.state in OPEN_STATES
    open_requests = [r for r in requests if r.state in OPEN_STATES and r.submitted_at]
    return {
        "total": len(requests),
        "by_outcome": by_outcome,
        "by_department": dict(sorted(by_department.items())),
        "days": days,
        "oldest_open": min(open_requests, key=lambda r: (r.submitted_at, r.pk)),
    }


def test_the_figures_are_those_of_every_request_counted_one_by_one(round_2008):
    add_requests(SPECS)
    data = selectors.figures(round_2008)
    expected = counted_one_by_one(round_2008)
    assert data["total"] == expected["total"] == 3 + 10
    assert data["by_outcome"] == expected["by_outcome"]
    assert list(data["by_outcome"]) == [label for _, label in Outcome.choices]
    assert data["by_department"] == expected["by_department"]
    assert data["by_department"]["Not yet routed"] == {"total": 2, "answered": 1, "open": 1}
    days = expected["days"]
    assert data["median_days"] == pytest.approx(statistics.median(days))
    # The 90th percentile interpolated between the nearest two, as percentile_cont does.
    p90 = statistics.quantiles(days, n=10, method="inclusive")[8]
    assert data["p90_days"] == pytest.approx(p90)
    assert data["oldest_open"].pk == expected["oldest_open"].pk
    assert data["oldest_open_days"] == (timezone.now() - expected["oldest_open"].submitted_at).days


def test_the_python_percentile_is_percentile_cont():
    assert selectors._percentile([], 0.9) is None
    assert selectors._percentile([5.0], 0.9) == 5.0
    assert selectors._percentile([4.0, 1.0, 3.0, 2.0], 0.9) == pytest.approx(3.7)
    assert selectors._percentile([4.0, 1.0, 3.0, 2.0], 0.5) == pytest.approx(2.5)
    assert selectors._percentile([1.0, 2.0, 10.0], 0.5) == 2.0


def test_a_round_without_answers_has_no_times(db):
    from indicators.models import Round

    data = selectors.figures(Round.objects.get(slug="2005-pilots"))
    assert data["total"] == 0 and data["median_days"] is None and data["p90_days"] is None
    assert data["oldest_open"] is None and data["by_department"] == {}


@pytest.mark.parametrize(
    "path", ["/freedoms/2008-11/figures/", "/freedoms/2008-11/figures/?format=csv"]
)
def test_the_figures_page_runs_the_same_queries_however_many_requests(
    client, admin_user, django_assert_num_queries, path
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(admin_user)
    client.get("/")
    with CaptureQueriesContext(connection) as before:
        client.get(path)
    add_requests(SPECS * 10)
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(path)
    assert response.status_code == 200
    assert len(before.captured_queries) <= 15
