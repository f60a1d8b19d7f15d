"""Freedoms and flexibilities requests, the directory of policy owners, and the GOs'
negotiating brief."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from core.models import TimestampedModel
from freedoms.lifecycle import OPEN_STATES, Move, Outcome, State


class PolicyOwner(TimestampedModel):
    """Who in a department owns a topic or funding stream; the LAA lead takes the rest."""

    department = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="policy_owners",
        limit_choices_to={"kind": Organisation.Kind.DEPARTMENT},
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_policies"
    )
    topic = models.CharField(max_length=200, blank=True)
    funding_stream = models.ForeignKey(
        "agreements.FundingStream",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owners",
    )
    is_laa_lead = models.BooleanField("the department's LAA lead", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["department__abbreviation", "-is_laa_lead", "topic"]
        constraints = [
            models.UniqueConstraint(
                fields=["department"], condition=Q(is_laa_lead=True), name="one_laa_lead"
            ),
        ]

    def __str__(self) -> str:
        role = "LAA lead" if self.is_laa_lead else self.topic or str(self.funding_stream)
        return f"{self.user} ({self.department.short_name}: {role})"


class NegotiatingBrief(TimestampedModel):
    """What GOs may decide themselves. Confidential to GOs, departments and admins."""

    round = models.ForeignKey("indicators.Round", on_delete=models.CASCADE, related_name="briefs")
    department = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="briefs",
        help_text="Empty for the national team's own part of the brief.",
    )
    topics = models.TextField()
    positions = models.TextField()
    no_go = models.TextField("no-go areas", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "department__abbreviation"]

    def __str__(self) -> str:
        return f"Negotiating brief, {self.round}, {self.department or 'national team'}"


class FreedomRequest(TimestampedModel):
    class Obstacle(models.TextChoices):
        RULE = "rule", "A rule or regulation"
        FUNDING_CONDITION = "funding_condition", "A funding condition"
        REPORTING_DUTY = "reporting_duty", "A reporting duty"

    class DecidedAs(models.TextChoices):
        GO = "go", "The Government Office, under the negotiating brief"
        DEPARTMENT = "department", "The department"

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="freedom_requests"
    )
    number = models.PositiveIntegerField()
    title = models.CharField("subject", max_length=200)
    obstacle_kind = models.CharField(max_length=20, choices=Obstacle.choices)
    obstacle = models.TextField("what is in the way")
    ask = models.TextField("what the area asks for instead")
    evidence = models.TextField(blank=True)
    topic = models.CharField(max_length=200, blank=True)
    outcomes = models.ManyToManyField("agreements.Outcome", blank=True, related_name="requests")
    targets = models.ManyToManyField("agreements.Target", blank=True, related_name="requests")
    proposed_departments = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="proposed_requests",
        limit_choices_to={"kind": Organisation.Kind.DEPARTMENT},
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    department = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    owner = models.ForeignKey(
        PolicyOwner, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    is_late = models.BooleanField("filed after the round's cut-off", default=False)
    referred_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    same_as = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    reason = models.TextField(blank=True)
    alternative = models.TextField("alternative offered", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_as = models.CharField(max_length=12, choices=DecidedAs.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    relay_comment = models.TextField(blank=True)
    # An open request the GO carries past agreement in principle: it goes on after
    # signature and is settled in the refresh.
    deferred_to_refresh_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    # The words the register searches (subject, what is asked and what is in the way, the
    # reason given), weighted in that order. On PostgreSQL a trigger made by migration 0002
    # fills it whenever a row is written, however it is written; on SQLite it stays empty
    # and the register searches the text itself. Renaming one of those four columns means
    # replacing the trigger's function in the same migration.
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(
        m2m_fields=[proposed_departments], excluded_fields=["search_vector"]
    )

    class Meta:
        ordering = ["agreement", "number"]
        indexes = [
            # The register lists relayed requests, the latest decision first.
            models.Index(fields=["state", "decided_at"], name="request_state_decided"),
            # Overdue lists: requests with a department, by due date.
            models.Index(fields=["state", "due_on"], name="request_state_due"),
            # The round's figures read every request of the round: from this index alone,
            # not from the rows with all their text.
            models.Index(
                fields=[
                    "agreement",
                    "state",
                    "outcome",
                    "department",
                    "submitted_at",
                    "decided_at",
                ],
                name="request_figures",
            ),
            # The oldest open request, first in this small index.
            models.Index(
                fields=["submitted_at"],
                condition=Q(state__in=sorted(OPEN_STATES)),
                name="request_open_submitted",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="request_number_once"),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome="agreed") | ~Q(reason=""),
                name="non_agreed_outcome_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="agreed_in_part") | ~Q(alternative=""),
                name="alternative_is_described",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def reference(self) -> str:
        return self.reference_for(self.agreement.area.slug, self.number)

    @staticmethod
    def reference_for(area_slug: str, number: int) -> str:
        return f"{area_slug.upper()[:12]}-FF{number}"


class EvidenceFile(models.Model):
    request = models.ForeignKey(FreedomRequest, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


class RequestEvent(models.Model):
    """One move of a request: who, from, to, when and why."""

    request = models.ForeignKey(FreedomRequest, on_delete=models.CASCADE, related_name="events")
    move = models.CharField(max_length=12, choices=Move.choices)
    from_state = models.CharField(max_length=20, choices=State.choices)
    to_state = models.CharField(max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_move_display()} ({self.from_state} → {self.to_state})"


class RequestReminder(models.Model):
    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Reminder before the due date"
        ESCALATED = "escalated", "Escalated to the LAA lead"

    request = models.ForeignKey(FreedomRequest, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "due_on"], name="one_reminder_per_due_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.request}"
