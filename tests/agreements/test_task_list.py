"""The agreement's overview lists each section of the draft with its task list status,
read from the completeness check."""

import datetime as dt

import pytest

from agreements.completeness import TaskStatus, completeness_problems, task_list
from agreements.models import AgreementFundingStream, AgreementTheme, Outcome, Target
from agreements.selectors import funding_for, targets_for, themes_with_outcomes
from freedoms.lifecycle import State
from indicators.models import Indicator
from tests.factories import (
    AgreementFactory,
    FreedomRequestFactory,
    PartnershipFactory,
    TargetFactory,
    UserFactory,
)


def _tasks(agreement, *, catalogue_size=5, may_edit=True) -> dict[str, str]:
    themes, targets = list(themes_with_outcomes(agreement)), list(targets_for(agreement))
    funding = list(funding_for(agreement))
    problems = completeness_problems(agreement, themes=themes, targets=targets, funding=funding)
    tasks = task_list(
        agreement,
        problems=problems,
        themes=themes,
        targets=targets,
        funding=funding,
        partner_count=agreement.area.partnerships.count(),
        catalogue_size=catalogue_size,
        may_edit=may_edit,
    )
    return {task.name: task.status for task in tasks}


def _theme(agreement, *, outcome: bool) -> AgreementTheme:
    theme = AgreementTheme.objects.create(
        agreement=agreement, theme=agreement.round.themes.order_by("position").first()
    )
    if outcome:
        Outcome.objects.create(agreement=agreement, agreement_theme=theme, title="Safer streets")
    return theme


@pytest.mark.django_db
def test_a_new_draft_has_every_section_not_yet_started():
    agreement = AgreementFactory(story_of_place="")
    tasks = _tasks(agreement)
    assert tasks == {
        "Story of place": TaskStatus.NOT_STARTED,
        "Themes and outcomes": TaskStatus.NOT_STARTED,
        "Designated targets": TaskStatus.NOT_STARTED,
        "Local targets": TaskStatus.NOT_STARTED,
        "Funding streams": TaskStatus.NOT_STARTED,
        "Partners": TaskStatus.NOT_STARTED,
        "Freedoms and flexibilities requests": TaskStatus.NOT_STARTED,
    }


@pytest.mark.django_db
def test_sections_with_problems_are_in_progress():
    agreement = AgreementFactory()
    _theme(agreement, outcome=False)  # a theme without outcomes
    TargetFactory(
        agreement=agreement,
        kind=Target.Kind.DESIGNATED,
        local_title="",
        indicator=Indicator.objects.get(code="NI 1"),
        lead_partner=None,  # a designated target needs its lead partner
    )
    TargetFactory(agreement=agreement, yearly_values=["42", None, "46"])
    stream = agreement.round.funding_streams.first()
    AgreementFundingStream.objects.create(
        agreement=agreement,
        stream=stream,
        arrangement="aligned",
        provider=agreement.area.organisations.get(kind="locality"),
    )  # no consent yet
    FreedomRequestFactory(agreement=agreement, draft=True)
    tasks = _tasks(agreement)
    assert tasks["Story of place"] == TaskStatus.COMPLETED
    for name in (
        "Themes and outcomes",
        "Designated targets",
        "Local targets",
        "Funding streams",
        "Freedoms and flexibilities requests",
    ):
        assert tasks[name] == TaskStatus.IN_PROGRESS, name


@pytest.mark.django_db
def test_finished_sections_are_completed():
    agreement = AgreementFactory()
    _theme(agreement, outcome=True)
    locality = agreement.area.organisations.get(kind="locality")
    TargetFactory(
        agreement=agreement,
        kind=Target.Kind.DESIGNATED,
        local_title="",
        indicator=Indicator.objects.get(code="NI 1"),
        lead_partner=locality,
    )
    TargetFactory(agreement=agreement)
    AgreementFundingStream.objects.create(
        agreement=agreement,
        stream=agreement.round.funding_streams.first(),
        arrangement="aligned",
        provider=locality,
        consent_given_by="The cabinet",
        consent_given_on=dt.date(2008, 3, 1),
    )
    PartnershipFactory(area=agreement.area)
    FreedomRequestFactory(agreement=agreement, with_go=True)
    assert set(_tasks(agreement).values()) == {TaskStatus.COMPLETED}
    assert completeness_problems(agreement) == []


@pytest.mark.django_db
def test_funding_cannot_start_before_the_round_lists_its_streams():
    agreement = AgreementFactory()
    assert _tasks(agreement, catalogue_size=0)["Funding streams"] == TaskStatus.CANNOT_START


@pytest.mark.django_db
def test_the_overview_draws_the_task_list_with_links_for_an_editor(client):
    agreement = AgreementFactory(story_of_place="")
    TargetFactory(agreement=agreement)
    FreedomRequestFactory(agreement=agreement, state=State.DRAFT, submitted_at=None)
    url = f"/agreements/{agreement.round.slug}/{agreement.area.slug}/"
    client.force_login(UserFactory(coordinator=True, area=agreement.area))
    page = client.get(url).content.decode()
    assert 'class="govuk-task-list"' in page
    assert 'data-testid="task-story-of-place" data-status="not_started"' in page
    assert 'data-testid="task-local-targets" data-status="completed"' in page
    assert 'data-testid="task-freedoms-and-flexibilities-requests" data-status="in_progress"' in (
        page
    )
    assert '<strong class="govuk-tag govuk-tag--blue">Not yet started</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--light-blue">In progress</strong>' in page
    assert f'href="{url}narrative/"' in page
    # Someone who may only read the agreement sees the statuses without the edit link.
    client.force_login(UserFactory(negotiator=True, area=agreement.area))
    page = client.get(url).content.decode()
    assert 'data-testid="task-story-of-place" data-status="not_started"' in page
    assert f'href="{url}narrative/"' not in page
