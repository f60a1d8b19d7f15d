"""The agreement's workflow, as data: its stages, and which of them allow editing the draft.

Transitions between stages, with the roles allowed to take each, are added here too, so
that every rule about how an agreement moves lives in one place.
"""

from django.db import models


class Stage(models.TextChoices):
    DRAFTING = "drafting", "Drafting"
    SUBMITTED = "submitted", "Submitted to GO"
    IN_REVIEW = "in_review", "In GO review"
    REFERRED = "referred", "Referred to departments"
    RETURNED = "returned", "Returned for revision"
    AGREED_IN_PRINCIPLE = "agreed_in_principle", "Agreed in principle"


# The locality may change its draft only in these stages.
EDITABLE_STAGES = frozenset({Stage.DRAFTING, Stage.RETURNED})


def is_editable(stage: str) -> bool:
    return stage in EDITABLE_STAGES
