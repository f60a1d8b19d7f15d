"""Signing an agreement: the chain of signatures over one exact version.

A `SignOff` is one run of the round's chain over one frozen version. Each `Signature`
records who signed, in what capacity, for which organisation, when, the statement they
signed and (for a partner) the targets it commits to and the funding it consents to. A
change to the agreement voids the run and every signature in it; the rows stay, marked
void, so the record of what happened is never lost.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Organisation
from core.models import TimestampedModel


class StepKind(models.TextChoices):
    PARTNERS = "partners", "Partners sign off"
    COUNCIL = "council", "Council adoption"
    GO = "go", "Government Office recommendation"
    MINISTER = "minister", "Minister's signature"


# How each step reads in a sentence: "waiting for the council's adoption".
STEP_PHRASES = {
    StepKind.PARTNERS: "the partners' sign-off",
    StepKind.COUNCIL: "the council's adoption",
    StepKind.GO: "the Government Office's recommendation",
    StepKind.MINISTER: "the Minister's signature",
}


class SignOff(TimestampedModel):
    class Purpose(models.TextChoices):
        SIGNING = "signing", "Signature of the agreement"
        AMENDMENT = "amendment", "Signature of an amendment"

    class State(models.TextChoices):
        OPEN = "open", "Collecting signatures"
        COMPLETED = "completed", "Signed"
        VOID = "void", "Void"

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="sign_offs"
    )
    version = models.ForeignKey(
        "negotiations.Version", on_delete=models.PROTECT, related_name="sign_offs"
    )
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.SIGNING)
    # The chain, copied from the round when sign-off starts, so that a later change to the
    # round's configuration never alters a run already under way.
    steps = models.JSONField(default=list)
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    void_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["agreement", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(state="open"),
                name="one_open_sign_off_per_agreement",
            ),
            models.CheckConstraint(
                condition=~Q(state="void") | ~Q(void_reason=""),
                name="void_sign_off_says_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} of {self.agreement} ({self.version})"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_completed(self) -> bool:
        return self.state == self.State.COMPLETED


class Signature(models.Model):
    sign_off = models.ForeignKey(SignOff, on_delete=models.CASCADE, related_name="signatures")
    step = models.CharField(max_length=16, choices=StepKind.choices)
    # Always the sign-off's version; kept on the row so each signature names what it signed.
    version = models.ForeignKey(
        "negotiations.Version", on_delete=models.PROTECT, related_name="signatures"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="signatures"
    )
    signatory_name = models.CharField(max_length=200)
    signatory_role = models.CharField(max_length=200)
    signed_on = models.DateField()
    statement = models.TextField()
    # A partner's commitments, as it saw them: [{"kind": "target"|"funding", "key", "label",
    # "as"}]. Frozen with the signature so the record states exactly what was signed up to.
    commitments = models.JSONField(default=list, blank=True)
    # Step-specific facts: the council's meeting and minute, the Regional Director's name
    # and confirmation that the voluntary and community sector was involved.
    details = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    # Not a column: the notifications recording it sent, set by `signature_record`, so the
    # page that confirms the signature names the people told.
    notified: tuple | list = ()

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sign_off", "step", "organisation"],
                name="one_signature_per_organisation_per_step",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signatory_name} for {self.organisation} ({self.get_step_display()})"

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None
