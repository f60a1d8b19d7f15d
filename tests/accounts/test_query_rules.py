"""Each list that filters by who is asking applies, as a query, the same rule as the
permission it mirrors: for every demo person, the objects the query returns are exactly
those for which `has_perm` is true, over the demo data."""

import pytest

from accounts.models import Area
from accounts.permissions import visible_areas
from agreements.models import Agreement
from freedoms.models import FreedomRequest
from freedoms.permissions import awaited_requests, followed_requests, visible_requests
from negotiations.models import Referral
from negotiations.permissions import answerable_referrals, moved_agreements
from portal.management.commands.permissions_table import demo_people

CASES = [
    (Area, visible_areas, "accounts.see_area", ()),
    (FreedomRequest, visible_requests, "freedoms.see_request", ("agreement__area",)),
    (FreedomRequest, followed_requests, "freedoms.follow_late_request", ("agreement__area",)),
    (FreedomRequest, awaited_requests, "freedoms.act_on_request", ("agreement__area",)),
    (Referral, answerable_referrals, "negotiations.answer_referral", ()),
    (Agreement, moved_agreements, "negotiations.move_agreement", ("area",)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "query", "perm", "related"), CASES, ids=[c[2] for c in CASES])
def test_the_query_returns_what_the_permission_allows(model, query, perm, related):
    objects = list(model.objects.select_related(*related))
    assert objects, f"the demo has no {model.__name__}"
    users = demo_people()
    for name, user in users.items():
        listed = set(model.objects.filter(query(user)).values_list("pk", flat=True))
        allowed = {o.pk for o in objects if user.has_perm(perm, o)}
        assert listed == allowed, name
    # The rule answers something for someone: a query that never matches proves nothing.
    assert any(model.objects.filter(query(user)).exists() for user in users.values()), perm
