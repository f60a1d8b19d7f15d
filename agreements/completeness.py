"""What stops a draft being ready to submit, each item with the page where it is fixed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.urls import reverse

from agreements import hooks
from agreements.models import Agreement, Target
from agreements.selectors import funding_for, targets_for, themes_with_outcomes


@dataclass(frozen=True)
class Problem:
    section: str
    message: str
    url: str
    # For a target's problem, the kind of target (designated, local): the task list
    # gives each kind its own line.
    kind: str = ""


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

        def problem(message: str, target=target, edit=edit) -> Problem:
            return Problem("Targets", message, edit, kind=target.kind)

        if not target.has_baseline:
            problems.append(problem(f"{name} has no baseline or date for one"))
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
                problems.append(problem(f"{name} does not give the target in words"))
        if target.is_deferred:
            if not target.caveats.strip():
                problems.append(problem(f"{name} is deferred but gives no caveat"))
        elif missing:
            problems.append(problem(f"{name} has no target value for {', '.join(missing)}"))
        if target.kind == Target.Kind.DESIGNATED and target.lead_partner_id is None:
            problems.append(problem(f"{name} has no lead partner"))

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


# --- The task list ---------------------------------------------------------------------------


class TaskStatus(models.TextChoices):
    """The statuses of the GOV.UK task list."""

    NOT_STARTED = "not_started", "Not yet started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANNOT_START = "cannot_start", "Cannot start yet"


@dataclass(frozen=True)
class Task:
    name: str
    status: str
    url: str = ""
    hint: str = ""

    @property
    def status_label(self) -> str:
        return TaskStatus(self.status).label


def _status(*, started: bool, problems: list[Problem]) -> str:
    if not started:
        return TaskStatus.NOT_STARTED
    return TaskStatus.IN_PROGRESS if problems else TaskStatus.COMPLETED


def task_list(
    agreement: Agreement,
    *,
    problems: list[Problem],
    themes,
    targets,
    funding,
    partner_count: int,
    catalogue_size: int,
    may_edit: bool,
) -> list[Task]:
    """Each section of the draft with its status, read from the completeness check's
    problems (the one statement of what a finished draft needs) and from what the section
    holds. The apps above agreements add their own sections (`hooks.task_list_section`)."""

    def url(name: str) -> str:
        return reverse(f"agreements:{name}", args=[agreement.round.slug, agreement.area.slug])

    def of(section: str, kind: str = "") -> list[Problem]:
        return [p for p in problems if p.section == section and (not kind or p.kind == kind)]

    designated = [t for t in targets if t.kind == Target.Kind.DESIGNATED]
    local = [t for t in targets if t.kind == Target.Kind.LOCAL]
    label = agreement.round.get_structure_display()
    tasks = [
        Task(
            "Story of place",
            _status(started=bool(agreement.story_of_place.strip()), problems=of("Story of place")),
            url("narrative") if may_edit else "",
        ),
        Task(
            f"{label} and outcomes",
            _status(started=bool(themes), problems=of("Themes and outcomes")),
            url("themes"),
        ),
    ]
    tasks.append(
        Task(
            "Designated targets",
            _status(started=bool(designated), problems=of("Targets", Target.Kind.DESIGNATED)),
            url("targets"),
        )
    )
    tasks += [
        Task(
            "Local targets",
            _status(started=bool(local), problems=of("Targets", Target.Kind.LOCAL)),
            url("targets"),
        ),
        Task(
            "Funding streams",
            _status(started=bool(funding), problems=of("Funding streams")),
            url("funding"),
        )
        if funding or catalogue_size
        # A stream is chosen from the round's catalogue, which the national team keeps.
        else Task(
            "Funding streams",
            TaskStatus.CANNOT_START,
            hint="The national team has not listed this round's funding streams yet.",
        ),
        Task(
            "Partners",
            TaskStatus.COMPLETED if partner_count else TaskStatus.NOT_STARTED,
            url("partners"),
        ),
    ]
    tasks += [task for task in hooks.task_sections(agreement) if task is not None]
    return tasks
