"""An agreement's stages, whose court each is in, and the actions that move it between them.

The stages belong to the agreement: its model, its lists and its filters use them. The rules
of how an agreement moves (who may take each action, from where, on what conditions) are
the negotiation's workflow, `negotiations.workflow`.
"""

from __future__ import annotations

from django.db import models


class Stage(models.TextChoices):
    DRAFTING = "drafting", "Drafting"
    SUBMITTED = "submitted", "Submitted to GO"
    IN_REVIEW = "in_review", "In GO review"
    REFERRED = "referred", "Referred to departments"
    RETURNED = "returned", "Returned for revision"
    AGREED_IN_PRINCIPLE = "agreed_in_principle", "Agreed in principle"
    IN_SIGN_OFF = "in_sign_off", "In sign-off"
    SIGNED = "signed", "Signed"


class Party(models.TextChoices):
    LOCALITY = "locality", "Locality"
    GO = "go", "Government Office"
    DEPARTMENTS = "departments", "Departments"
    SIGNATORIES = "signatories", "Signatories"
    NOBODY = "nobody", "Nobody (signed)"


# The locality may change its draft only in these stages. From the start of sign-off the
# content is locked: a change means taking it back, which voids every signature.
EDITABLE_STAGES = frozenset({Stage.DRAFTING, Stage.RETURNED})

# Whose court the agreement is in at each stage.
COURT = {
    Stage.DRAFTING: Party.LOCALITY,
    Stage.RETURNED: Party.LOCALITY,
    Stage.SUBMITTED: Party.GO,
    Stage.IN_REVIEW: Party.GO,
    Stage.REFERRED: Party.DEPARTMENTS,
    Stage.AGREED_IN_PRINCIPLE: Party.GO,
    Stage.IN_SIGN_OFF: Party.SIGNATORIES,
    Stage.SIGNED: Party.NOBODY,
}


def is_editable(stage: str) -> bool:
    return stage in EDITABLE_STAGES


class Action(models.TextChoices):
    SUBMIT = "submit", "Submit to the Government Office"
    START_REVIEW = "start_review", "Start the review"
    RETURN = "return", "Return for revision"
    REFER = "refer", "Refer to departments"
    RESUME_REVIEW = "resume_review", "Continue the review"
    AGREE_IN_PRINCIPLE = "agree_in_principle", "Agree in principle"
    START_SIGN_OFF = "start_sign_off", "Start sign-off"
    # Also taken by the portal itself when the content changed during sign-off.
    WITHDRAW_FROM_SIGN_OFF = "withdraw_from_sign_off", "Take back from sign-off to change it"
    # Taken by the portal when the last signature of the chain is recorded.
    SIGN = "sign", "Signed"
    START_AMENDMENT = "start_amendment", "Start an amendment"
