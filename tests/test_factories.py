"""The factories make the state each trait names, as the portal itself reads it."""

import pytest

from accounts.models import Organisation
from agreements.completeness import completeness_problems
from agreements.stages import Action
from core.roles import Role
from indicators.models import Indicator
from negotiations.workflow import transition_for
from signoff.selectors import chain, current_step
from tests.factories import (
    AgreementFactory,
    AreaFactory,
    FreedomRequestFactory,
    FundingEntryFactory,
    FundingStreamFactory,
    NegotiatingBriefFactory,
    ReferralFactory,
    SignOffFactory,
    TargetFactory,
    UserFactory,
    statutory_targets,
    users_for_area,
)

pytestmark = pytest.mark.django_db

STAGES = [
    "drafting",
    "submitted",
    "in_review",
    "referred",
    "returned",
    "agreed_in_principle",
    "in_sign_off",
    "signed",
]


@pytest.mark.parametrize("stage", STAGES)
def test_an_agreement_at_each_stage(stage):
    agreement = AgreementFactory(**{stage: True})
    agreement.refresh_from_db()
    assert agreement.stage == stage
    assert agreement.versions.exists() == (stage != "drafting")
    assert (agreement.signed_version is not None) == (stage == "signed")
    assert agreement.area.organisations.get(kind=Organisation.Kind.LOCALITY)
    assert agreement.opened_by.role == Role.COORDINATOR


def test_one_person_of_each_role_for_an_area_in_the_organisation_of_the_role():
    area = AreaFactory()
    people = users_for_area(area)
    assert set(people) == {r for r in Role.values if r}
    for person in people.values():
        person.full_clean()
        assert person.check_password("demo-password")
    assert people["coordinator"].organisation.area == area
    assert people["negotiator"].organisation == area.government_office
    assert people["partner"].organisation.partnerships.get().area == area
    assert people["partner"].representations.get().access == "edit"
    assert UserFactory(official=True).organisation.kind == Organisation.Kind.DEPARTMENT


@pytest.mark.parametrize(
    "status",
    [
        "proposed",
        "challenged",
        "agreed",
        "agreed_caveat",
        "to_be_agreed",
        "deferred",
        "withdrawn",
        "refused",
    ],
)
def test_a_target_in_each_negotiation_status(status):
    target = TargetFactory(**{status: True})
    target.full_clean()
    assert target.status == status


def test_a_referral_open_answered_or_withdrawn():
    open_, answered, withdrawn = (
        ReferralFactory(),
        ReferralFactory(answered=True),
        ReferralFactory(withdrawn=True),
    )
    assert open_.agreement.stage == "referred"
    assert open_.version == open_.agreement.versions.get()
    assert (open_.answered_at, open_.withdrawn_at) == (None, None)
    assert answered.answered_by.organisation == answered.department
    assert withdrawn.withdrawal_reason and withdrawn.withdrawn_by.role == Role.NEGOTIATOR


@pytest.mark.parametrize(
    "state",
    ["draft", "with_go", "with_department", "more_information", "on_hold", "answered", "relayed"],
)
def test_a_freedoms_request_in_each_state(state):
    request = FreedomRequestFactory(agreement=AgreementFactory(in_review=True), **{state: True})
    request.refresh_from_db()
    assert request.state == state
    assert (request.department is not None) == (state not in ("draft", "with_go"))
    assert (request.submitted_at is None) == (state == "draft")


@pytest.mark.parametrize("step", ["partners", "council", "go", "minister"])
def test_a_sign_off_run_waiting_at_each_step(step):
    sign_off = SignOffFactory(**{f"at_{step}": True})
    assert sign_off.agreement.stage == "in_sign_off"
    assert current_step(chain(sign_off)).kind == step


@pytest.mark.parametrize("stage", ["drafting", "agreed_in_principle"])
def test_a_complete_agreement_has_nothing_for_the_completeness_check(stage):
    agreement = AgreementFactory(complete=True, **{stage: True})
    assert completeness_problems(agreement) == []
    statuses = set(agreement.targets.values_list("status", flat=True))
    assert statuses == ({"agreed"} if stage == "agreed_in_principle" else {"proposed"})
    if stage != "drafting":
        assert len(agreement.versions.get().content["targets"]) == 2
        # Agreed in principle, nothing holds up sign-off.
        start = transition_for(agreement.stage, Action.START_SIGN_OFF)
        assert start.blocked_reason(agreement) == ""


def test_a_designated_target_and_the_statutory_targets_of_an_agreement():
    agreement = AgreementFactory(complete=True)
    ni120 = Indicator.objects.get(code="NI 120")
    target = TargetFactory(agreement=agreement, designated=True, indicator=ni120)
    target.full_clean()
    assert (target.units, target.local_title) == (ni120.units, "")
    assert target.lead_partner == agreement.area.organisations.get(kind="locality")
    statutory = statutory_targets(agreement)
    assert {t.indicator.code for t in statutory} >= {"NI 72", "NI 73"}
    assert all(t.kind == "statutory" for t in statutory)
    # Statutory targets do not hold up the draft.
    assert completeness_problems(agreement) == []


def test_a_departments_part_of_the_negotiating_brief():
    brief = NegotiatingBriefFactory()
    brief.full_clean()
    assert brief.round.slug == "2008-11"
    assert brief.author.organisation == brief.department


def test_a_funding_stream_of_the_round():
    stream = FundingStreamFactory(area_based_grant=True)
    stream.full_clean()
    assert (stream.round.slug, stream.kind) == ("2008-11", "area_based_grant")
    assert stream.department.kind == Organisation.Kind.DEPARTMENT


def test_a_funding_entry_with_or_without_consent():
    entry, missing = FundingEntryFactory(), FundingEntryFactory(without_consent=True)
    entry.full_clean()
    assert entry.has_consent and not missing.has_consent
    assert entry.provider == entry.agreement.area.organisations.get(kind="locality")
    assert "Funding streams" in {p.section for p in completeness_problems(missing.agreement)}
