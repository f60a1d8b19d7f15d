"""An area's agreement for a round: story of place, themes and outcomes, targets, funding."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.models import Area, Organisation
from agreements.stages import Stage
from core.models import TimestampedModel
from indicators.models import Indicator, Round, Theme


class NegotiationStatus(models.TextChoices):
    """Where each item stands, so anyone can see what is agreed and what is outstanding."""

    PROPOSED = "proposed", "Proposed"
    CHALLENGED = "challenged", "Challenged"
    AGREED = "agreed", "Agreed"
    AGREED_WITH_CAVEAT = "agreed_caveat", "Agreed with caveat"
    TO_BE_AGREED = "to_be_agreed", "To be agreed"
    DEFERRED = "deferred", "Deferred to refresh"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REFUSED = "refused", "Refused"


# An item in one of these statuses is settled: agreement in principle needs every target
# and funding stream in one of them.
FINAL_STATUSES = frozenset(
    {
        NegotiationStatus.AGREED,
        NegotiationStatus.AGREED_WITH_CAVEAT,
        NegotiationStatus.WITHDRAWN,
        NegotiationStatus.DEFERRED,
    }
)


class DatePrecision(models.TextChoices):
    """How much of a date the source gives: sources often say only a year or a month."""

    YEAR = "year", "Year"
    MONTH = "month", "Month"
    DAY = "day", "Day"


class VersionedModel(TimestampedModel):
    """A row edited by people who may collide: each save raises `version`, and an edit
    based on an older version is refused rather than silently overwriting."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class Agreement(VersionedModel):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="agreements")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="agreements")
    stage = models.CharField(max_length=32, choices=Stage.choices, default=Stage.DRAFTING)
    story_of_place = models.TextField(blank=True)
    governance = models.TextField("governance and performance management", blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The version that the last completed sign-off signed: the published agreement. An
    # amendment in progress leaves it in place until the amendment is signed in turn.
    signed_version = models.ForeignKey(
        "negotiations.Version",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "area__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "round"], name="one_agreement_per_area_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} – {self.round}"


class AgreementTheme(models.Model):
    """A theme (or block) of the round that this agreement addresses."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="themes")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()
    # Who made the change the next save() records, and why, as on a timestamped model.
    _history_user: AbstractBaseUser | None
    _change_reason: str | None

    class Meta:
        ordering = ["theme__position"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "theme"], name="theme_once_per_agreement"),
        ]

    def __str__(self) -> str:
        return self.theme.name


class Outcome(VersionedModel):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="outcomes")
    agreement_theme = models.ForeignKey(
        AgreementTheme, on_delete=models.CASCADE, related_name="outcomes"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement_theme__theme__position", "created_at"]

    def __str__(self) -> str:
        return self.title


class Target(VersionedModel):
    class Kind(models.TextChoices):
        DESIGNATED = "designated", "Designated"
        STATUTORY = "statutory", "Statutory education"
        LOCAL = "local", "Local"

    class Polarity(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"
        NONE = "", "Not stated"

    class StatutoryState(models.TextChoices):
        """Statutory education targets are agreed separately with DCSF; their values
        arrive later and are loaded by the national team."""

        AWAITING = "awaiting", "Awaiting DCSF figures"
        SET = "set", "Set"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.SET_NULL, related_name="targets"
    )
    # A local target either points to a national indicator (and takes its definition,
    # units and lead department) or defines its own.
    local_title = models.CharField("local indicator", max_length=300, blank=True)
    local_definition = models.TextField("definition", blank=True)
    units = models.CharField(max_length=100, blank=True)
    polarity = models.CharField(max_length=8, choices=Polarity.choices, blank=True)
    baseline_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    # The number of decimal places the value was typed with ("78.0" keeps one).
    baseline_places = models.PositiveSmallIntegerField(null=True, blank=True)
    baseline_year = models.CharField(max_length=20, blank=True)
    baseline_due_on = models.DateField(
        "date by which a baseline will be set", null=True, blank=True
    )
    baseline_due_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    # One value (a decimal string as typed, or null) per year of the round, in order. For
    # a qualitative target these are the deemed values, if any.
    yearly_values = models.JSONField(default=list, blank=True)
    # A target the sources state in words ("a measurable increase"), with optional deemed
    # numeric values per year.
    is_qualitative = models.BooleanField("stated in words", default=False)
    statement = models.TextField("the target in words", blank=True)
    statutory_state = models.CharField(max_length=10, choices=StatutoryState.choices, blank=True)
    is_stretch = models.BooleanField("stretch (reward) target", default=False)
    is_deferred = models.BooleanField("deferred (placeholder) target", default=False)
    caveats = models.TextField(blank=True)
    lead_partner = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="led_targets"
    )
    contributing_partners = models.ManyToManyField(
        Organisation, blank=True, related_name="contributed_targets"
    )
    status = models.CharField(
        max_length=16, choices=NegotiationStatus.choices, default=NegotiationStatus.PROPOSED
    )

    history = HistoricalRecords(m2m_fields=[contributing_partners])

    class Meta:
        ordering = ["kind", "indicator__number", "local_title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "indicator"],
                condition=Q(indicator__isnull=False),
                name="indicator_once_per_agreement",
            ),
            models.CheckConstraint(
                condition=(Q(kind="local") & (Q(indicator__isnull=False) | ~Q(local_title="")))
                | (~Q(kind="local") & Q(indicator__isnull=False)),
                name="target_has_an_indicator",
            ),
            models.CheckConstraint(
                condition=Q(is_deferred=False) | ~Q(caveats=""),
                name="deferred_target_has_a_caveat",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.indicator_id:
            return f"{self.indicator.code}: {self.indicator.title}"
        return self.local_title

    @property
    def code(self) -> str:
        return self.indicator.code if self.indicator_id else "Local"

    @property
    def has_baseline(self) -> bool:
        return self.baseline_value is not None or self.baseline_due_on is not None


class DistrictShare(models.Model):
    """In a two-tier area, the part of a target a district council takes on."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="district_shares")
    district = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=14, decimal_places=4)
    places = models.PositiveSmallIntegerField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["district__name"]
        constraints = [
            models.UniqueConstraint(fields=["target", "district"], name="one_share_per_district"),
        ]

    def __str__(self) -> str:
        return f"{self.district}: {self.value}"


class FundingStream(TimestampedModel):
    """A funding stream in a round's catalogue, kept by the national team."""

    class Kind(models.TextChoices):
        AREA_BASED_GRANT = "area_based_grant", "Area based grant"
        SPECIFIC_GRANT = "specific_grant", "Specific grant"
        MAINSTREAM = "mainstream", "Mainstream budget"
        OTHER = "other", "Other"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="funding_streams")
    name = models.CharField(max_length=200)
    department = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="funding_streams",
        limit_choices_to={"kind": Organisation.Kind.DEPARTMENT},
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SPECIFIC_GRANT)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="stream_name_once_per_round"),
        ]

    def __str__(self) -> str:
        return self.name


class AgreementFundingStream(VersionedModel):
    class Arrangement(models.TextChoices):
        POOLED = "pooled", "Pooled"
        ALIGNED = "aligned", "Aligned"
        PASSPORTED = "passported", "Passported"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="funding")
    stream = models.ForeignKey(FundingStream, on_delete=models.PROTECT, related_name="entries")
    # One amount in pounds (a decimal string, or null) per year; unused when unquantified.
    yearly_amounts = models.JSONField(default=list, blank=True)
    is_unquantified = models.BooleanField(default=False)
    arrangement = models.CharField(max_length=12, choices=Arrangement.choices)
    conditions = models.TextField(blank=True)
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="funding")
    # Whose money it is, and that organisation's consent to include it.
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="provided_funding"
    )
    consent_given_by = models.CharField(max_length=200, blank=True)
    consent_given_on = models.DateField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=NegotiationStatus.choices, default=NegotiationStatus.PROPOSED
    )

    history = HistoricalRecords(m2m_fields=[outcomes])

    class Meta:
        ordering = ["stream__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "stream"], name="stream_once_per_agreement"
            ),
            models.CheckConstraint(
                condition=Q(consent_given_on__isnull=True) | ~Q(consent_given_by=""),
                name="consent_names_who_gave_it",
            ),
        ]

    def __str__(self) -> str:
        return str(self.stream)

    @property
    def has_consent(self) -> bool:
        return bool(self.consent_given_by and self.consent_given_on)


class AreaAssignment(TimestampedModel):
    """The Government Office negotiator who handles an area's agreements. Each change of
    hands is an `AreaAssignmentChange`."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="assignment")
    negotiator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assigned_areas"
    )

    class Meta:
        ordering = ["area__name"]

    def __str__(self) -> str:
        return f"{self.area} assigned to {self.negotiator}"


class AreaAssignmentChange(models.Model):
    """One change of hands of an area: from whom (nobody for a first assignment), to whom,
    by whom and when."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="assignment_changes")
    from_negotiator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_negotiator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.area}: {self.from_negotiator or 'nobody'} → {self.to_negotiator}"


class SignedTarget(models.Model):
    """One target of an agreement's signed version, as the version froze it.

    The pages and the API that compare or list every area's signed targets read these rows
    instead of each signed version's whole content. An agreement holds the rows of its
    signed version only: they are written in the transaction that signs a version, in place
    of those of the version it signed before (`agreements.services.signed_targets_record`),
    and go with the version. A reader takes only the rows of each agreement's current signed
    version, so rows of a version no longer signed never count."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey("negotiations.Version", on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    # The target's place in the version's list, so that readers keep the version's order.
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=300, blank=True)
    # As frozen: the indicator's code ("" for a local target of its own), and the indicator
    # that code names now (none for a local target, or a code no longer in the catalogue).
    code = models.CharField(max_length=20, blank=True)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, blank=True)
    units = models.TextField(blank=True)
    indicator_units = models.TextField(blank=True)
    # Figures as typed: the baseline's text and places, each year's value as text ("" for
    # a year not given).
    baseline_value = models.TextField(null=True, blank=True)
    baseline_places = models.IntegerField(null=True, blank=True)
    yearly_values = models.JSONField(default=list)
    is_qualitative = models.BooleanField(default=False)
    caveats = models.TextField(blank=True)
    status = models.CharField(max_length=16, blank=True)
    # The version's years, and the target exactly as the version froze it: what
    # `TargetPresentation.from_snapshot` reads for the API's dataset.
    years = models.JSONField(null=True, blank=True)
    entry = models.JSONField()

    class Meta:
        ordering = ["version", "position"]
        indexes = [
            models.Index(fields=["round", "indicator"], name="signed_target_round_indicator"),
            models.Index(fields=["round", "code"], name="signed_target_round_code"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="signed_target_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code or self.key} signed in version {self.version_id}"
