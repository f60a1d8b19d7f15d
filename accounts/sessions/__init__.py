"""A person's sessions: each sign-in is a row (`SignedInSession`) beside the session store,
so the person can see where they are signed in and end a session; a password change or
reset ends the others."""
