"""Who may make and revoke API tokens, as `rules` predicates. What a token may read is
what its owner may read: the read API asks the other apps' permissions and selectors."""

import rules

from accounts.permissions import is_admin, is_coordinator, is_government, is_partner


@rules.predicate
def owns_token(user, token) -> bool:
    return token is not None and token.user_id is not None and token.user_id == user.pk


@rules.predicate
def is_organisation_token(user, token) -> bool:
    return token is not None and token.organisation_id is not None


# Everyone with a role may read the API as themselves.
has_role = is_coordinator | is_partner | is_government
rules.add_perm("api.create_personal_token", has_role)
# The national team makes tokens for other organisations' systems.
rules.add_perm("api.manage_organisation_tokens", is_admin)
rules.add_perm("api.revoke_token", owns_token | (is_admin & is_organisation_token))
