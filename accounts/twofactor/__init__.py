"""A second factor after the password: an authenticator app's one-time codes, passkeys or
security keys, and single-use recovery codes (django-otp and django-otp-webauthn).

A person who has one proves it at every sign-in before reaching any page; a person whose
role is in TWO_FACTOR_REQUIRED_ROLES sets one up first. A session signed in by single
sign-on has been checked by the organisation's identity provider and is not asked again.
"""
