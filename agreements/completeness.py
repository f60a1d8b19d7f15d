"""What stops a draft being ready to submit, each item with the page where it is fixed."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from agreements.models import Agreement, Target
from agreements.selectors import funding_for, targets_for, themes_with_outcomes


@dataclass(frozen=True)
class Problem:
    section: str
    message: str
    url: str


def completeness_problems(
    agreement: Agreement, *, themes=None, targets=None, funding=None
) -> list[Problem]:
    """Every problem, reading the themes, targets and funding a page has already read
    when it passes them."""

    def url(name: str, *args) -> str:
        return reverse(
            f"agreements:{name}", args=[agreement.round.slug, agreement.area.slug, *args]
        )

    problems: list[Problem] = []
    if not agreement.story_of_place.strip():
        problems.append(Problem("Story of place", "The story of place is empty", url("narrative")))

    themes = list(themes if themes is not None else themes_with_outcomes(agreement))
    label = agreement.round.structure_singular
    if not themes:
        problems.append(
            Problem("Themes and outcomes", f"No {label} has been chosen", url("themes"))
        )
    for agreement_theme in themes:
        if not agreement_theme.outcomes.all():
            problems.append(
                Problem(
                    "Themes and outcomes",
                    f"The {label} ‘{agreement_theme.theme.name}’ has no outcomes",
                    url("themes"),
                )
            )

    # Statutory education targets are agreed separately with DCSF and shown alongside;
    # they do not hold up the draft.
    targets = targets if targets is not None else targets_for(agreement)
    for target in (t for t in targets if t.kind != Target.Kind.STATUTORY):
        edit = url("target_edit", target.pk)
        name = target.indicator.code if target.indicator_id else target.local_title
        if not target.has_baseline:
            problems.append(Problem("Targets", f"{name} has no baseline or date for one", edit))
        missing = [
            year
            for year, value in zip(agreement.round.years, target.yearly_values or [], strict=False)
            if value is None
        ]
        if len(target.yearly_values or []) < agreement.round.year_count:
            missing = agreement.round.years
        if target.is_qualitative:
            # Stated in words: the yearly values are optional deemed values.
            missing = []
            if not target.statement.strip():
                problems.append(
                    Problem("Targets", f"{name} does not give the target in words", edit)
                )
        if target.is_deferred:
            if not target.caveats.strip():
                problems.append(Problem("Targets", f"{name} is deferred but gives no caveat", edit))
        elif missing:
            problems.append(
                Problem("Targets", f"{name} has no target value for {', '.join(missing)}", edit)
            )
        if target.kind == Target.Kind.DESIGNATED and target.lead_partner_id is None:
            problems.append(Problem("Targets", f"{name} has no lead partner", edit))

    for entry in funding if funding is not None else funding_for(agreement):
        if not entry.has_consent:
            problems.append(
                Problem(
                    "Funding streams",
                    f"{entry.stream.name} has no consent from {entry.provider}",
                    url("funding_consent", entry.pk),
                )
            )
    return problems
