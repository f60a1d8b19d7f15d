"""Who sees which peers' figures.

Signed agreements are public (CLG published every area's priorities), so everyone who may
see a target sees figures drawn from other areas' signed targets. A Government Office's
negotiators also see its own areas' submitted versions counted in; nobody else ever does,
and no other area's unsubmitted draft counts for anyone."""

import rules

from accounts.permissions import is_negotiator


@rules.predicate
def works_for_a_government_office(user) -> bool:
    return user.organisation_id is not None


rules.add_perm("ambition.compare_with_submitted", is_negotiator & works_for_a_government_office)
