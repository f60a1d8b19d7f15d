"""Rounds of agreements and the indicators areas set targets against."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from core.models import TimestampedModel


class Indicator(TimestampedModel):
    """A national indicator (NI 1-199 of the 2008 National Indicator Set)."""

    code = models.CharField(max_length=20, unique=True)
    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=500)
    theme = models.CharField(max_length=100, db_index=True)
    lead_department = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="lead_indicators",
        limit_choices_to={"kind": Organisation.Kind.DEPARTMENT},
    )
    lead_department_confirmed = models.BooleanField(
        default=False, help_text="Whether the lead department was seen in a published source."
    )
    source = models.CharField("data source", max_length=200, blank=True)
    # Units and polarity, where the national team has recorded them; targets show them.
    units = models.CharField(max_length=100, blank=True)
    polarity = models.CharField(
        max_length=8,
        blank=True,
        choices=[("higher", "Higher is better"), ("lower", "Lower is better")],
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def slug(self) -> str:
        return self.code.lower().replace(" ", "-")


def default_signing_steps() -> list[str]:
    return ["partners", "council", "go", "minister"]


def default_refresh_steps() -> list[str]:
    return ["council", "go", "minister"]


class Round(TimestampedModel):
    """A generation of agreements with its own rules, catalogue and timetable."""

    class Structure(models.TextChoices):
        THEMES = "themes", "Themes"
        BLOCKS = "blocks", "Blocks"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    structure = models.CharField(max_length=10, choices=Structure.choices)
    first_year = models.PositiveSmallIntegerField(
        help_text="The calendar year in which the first financial year starts (2008 for 2008/09)."
    )
    year_count = models.PositiveSmallIntegerField(default=3)
    designated_target_cap = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Most designated targets an agreement may have; empty for no cap.",
    )
    statutory_targets_apply = models.BooleanField(default=False)
    statutory_note = models.TextField(
        blank=True,
        help_text="Shown wherever statutory education targets appear: how they are agreed "
        "with DCSF and when their values arrive.",
    )
    review_required_before_aip = models.BooleanField(
        "review checklist must be complete before agreement in principle", default=True
    )
    is_current = models.BooleanField(default=False)
    request_response_days = models.PositiveSmallIntegerField(
        default=15, help_text="Working days a department has to answer a referred request."
    )
    indicators = models.ManyToManyField(
        Indicator, through="RoundIndicator", related_name="rounds", blank=True
    )
    # The sign-off chains, as ordered lists of step kinds (see signoff.models.StepKind).
    signing_steps = models.JSONField(default=default_signing_steps)
    refresh_steps = models.JSONField(default=default_refresh_steps)
    # An open refresh lets signed agreements of the round be amended.
    refresh_opened_at = models.DateTimeField(null=True, blank=True)
    refresh_opened_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_count__gte=1) & Q(year_count__lte=10),
                name="round_year_count_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> list[str]:
        """Financial years as shown in agreements: 2008/09, 2009/10, 2010/11."""
        return [
            f"{year}/{(year + 1) % 100:02d}"
            for year in range(self.first_year, self.first_year + self.year_count)
        ]

    @property
    def structure_singular(self) -> str:
        return "theme" if self.structure == self.Structure.THEMES else "block"


class RoundIndicator(models.Model):
    """An indicator in a round's catalogue; statutory ones are agreed outside the cap."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="catalogue")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="catalogue_entries"
    )
    is_statutory = models.BooleanField(default=False)
    statutory_phase = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["indicator__number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "indicator"], name="indicator_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} in {self.round}"


class Theme(models.Model):
    """A theme (2008-11) or block (2005 pilots) that outcomes and targets sit under."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="theme_name_once_per_round"),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """A date in a round's national timetable (first draft, final submission, signature)."""

    class MetWhen(models.TextChoices):
        FIRST_SUBMISSION = "first_submission", "The first draft is submitted"
        RESUBMISSION = "resubmission", "A further draft is submitted"
        AGREED_IN_PRINCIPLE = "agreed_in_principle", "The GO agrees it in principle"
        SIGNED = "signed", "The agreement is signed"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    due_on = models.DateField(null=True, blank=True)
    met_when = models.CharField(max_length=24, choices=MetWhen.choices, blank=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "position", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="milestone_name_once_per_round"),
        ]

    def __str__(self) -> str:
        return self.name


class MilestoneOverride(models.Model):
    """An area's own date for a national milestone, agreed with its GO."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="overrides")
    area = models.ForeignKey(
        "accounts.Area", on_delete=models.CASCADE, related_name="milestone_overrides"
    )
    due_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["milestone", "area"], name="one_override_per_area"),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} for {self.area}: {self.due_on}"


class StatisticalNeighbour(models.Model):
    """An area that is compared with another when an agreement's ambition is judged: the
    list ships as reference data (`refdata/statistical_neighbours.csv`) with its source."""

    area = models.ForeignKey(
        "accounts.Area", on_delete=models.CASCADE, related_name="statistical_neighbours"
    )
    neighbour = models.ForeignKey("accounts.Area", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["area", "position"]
        constraints = [
            models.UniqueConstraint(fields=["area", "neighbour"], name="neighbour_once_per_area"),
            models.CheckConstraint(
                condition=~Q(area=models.F("neighbour")), name="area_is_not_its_own_neighbour"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.neighbour} beside {self.area}"
