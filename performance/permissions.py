"""Who opens annual reviews and who records outturns, as `rules` predicates."""

import rules

from accounts.permissions import is_admin, is_coordinator
from agreements.permissions import can_view, is_areas_coordinator


@rules.predicate
def is_signed(user, agreement) -> bool:
    """Outturns are measured against a signed agreement's trajectories."""
    return agreement is not None and agreement.signed_version_id is not None


# The national team opens and closes a round's review for a year.
rules.add_perm("performance.manage_reviews", is_admin)
# Whoever may read the agreement reads its review; only the area's coordinator records.
rules.add_perm("performance.see_review", can_view & is_signed)
rules.add_perm("performance.record_outturns", is_coordinator & is_areas_coordinator & is_signed)
