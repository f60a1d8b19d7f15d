"""Who sees which status dashboard: the national one is the national team's; a region's
belongs to its GO's negotiators, and the national team sees every region's."""

import rules

from accounts.permissions import is_admin, is_negotiator


@rules.predicate
def is_own_government_office(user, government_office) -> bool:
    return government_office is not None and user.organisation_id == government_office.pk


rules.add_perm("dashboards.view_national", is_admin)
rules.add_perm("dashboards.view_region", is_admin | (is_negotiator & is_own_government_office))
# Anyone with some dashboard: the item in the navigation.
rules.add_perm("dashboards.view_any", is_admin | is_negotiator)
