"""Who may do what, as `rules` predicates.

Views and templates ask `user.has_perm(...)` or `{% has_perm %}`; nothing tests a role
inline. Object-level rules answer for one object; the selectors keep lists in step.
"""

import rules

from accounts.models import Role


def _has_role(role: Role):
    @rules.predicate(name=f"is_{role.value}")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.is_active and user.role == role)

    return predicate


is_coordinator = _has_role(Role.COORDINATOR)
is_partner = _has_role(Role.PARTNER)
is_negotiator = _has_role(Role.NEGOTIATOR)
is_official = _has_role(Role.OFFICIAL)
is_admin = _has_role(Role.ADMIN)

is_government = is_negotiator | is_official | is_admin


# The national team runs rounds and sees the whole directory.
rules.add_perm("indicators.manage_rounds", is_admin)
rules.add_perm("accounts.view_directory", is_government)
