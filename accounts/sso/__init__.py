"""Single sign-on with OpenID Connect, for organisations with their own identity provider.

A person whose e-mail domain belongs to a provider (settings.SSO_PROVIDERS) is sent there
from the sign-in page instead of having their password checked; on their return the
provider's ID token is checked and the person is signed in to the account their verified
e-mail address already has. Single sign-on never creates an account or gives a role.
"""
