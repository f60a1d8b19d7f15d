"""The rules of drafting, enforced by the services whatever calls them."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from accounts.models import Area, Organisation
from agreements import services
from agreements.completeness import completeness_problems
from agreements.models import Agreement, FundingStream, Target
from agreements.narrative import render_narrative
from agreements.stages import Stage
from core.errors import ConflictError, ServiceError
from indicators.models import Indicator, Round
from partners.models import AccessLevel, PartnerRepresentative
from partners.services import partner_add, representative_invite
from tests.agreements.conftest import designated_fields, fill_designated

# --- Opening agreements -------------------------------------------------------------------


def test_coordinator_opens_their_own_areas_agreement_with_the_statutory_targets(
    coordinator2, round_2008
):
    leeds = Area.objects.get(name="Leeds")
    agreement, created = services.agreement_open(area=leeds, round=round_2008, actor=coordinator2)
    assert created
    assert agreement.stage == Stage.DRAFTING
    statutory = agreement.targets.filter(kind=Target.Kind.STATUTORY)
    assert statutory.count() == 16
    assert all(target.yearly_values == [None, None, None] for target in statutory)
    again, created_again = services.agreement_open(area=leeds, round=round_2008, actor=coordinator2)
    assert (again, created_again) == (agreement, False)


def test_coordinator_cannot_open_another_areas_agreement(coordinator2, round_2008):
    with pytest.raises(PermissionDenied):
        services.agreement_open(
            area=Area.objects.get(name="Kent"), round=round_2008, actor=coordinator2
        )


def test_admin_opens_every_areas_agreement_at_once(admin_user, round_2008):
    opened = services.agreements_open_for_round(round=round_2008, actor=admin_user)
    # The seven demo agreements (Cumbria, Lancashire, Manchester, Wigan, Blackpool, Stockport
    # and Bolton) were open already.
    assert opened == 143
    assert Agreement.objects.filter(round=round_2008).count() == 150
    assert services.agreements_open_for_round(round=round_2008, actor=admin_user) == 0


def test_a_pilot_round_agreement_has_no_statutory_targets(admin_user):
    pilots = Round.objects.get(slug="2005-pilots")
    agreement, _ = services.agreement_open(
        area=Area.objects.get(name="Kent"), round=pilots, actor=admin_user
    )
    assert not agreement.targets.exists()


# --- Narrative -----------------------------------------------------------------------------


def test_narrative_is_saved_with_who_and_why(agreement, coordinator):
    updated = services.agreement_update_narrative(
        agreement=agreement,
        actor=coordinator,
        expected_version=agreement.version,
        story_of_place="A new story",
        governance="The LSP board",
        reason="After the board",
    )
    assert updated.version == agreement.version + 1
    record = updated.history.first()
    assert record.history_user == coordinator
    assert record.history_change_reason == "After the board"


def test_an_edit_based_on_an_old_version_is_refused_and_saves_nothing(agreement, coordinator):
    old_version = agreement.version
    services.agreement_update_narrative(
        agreement=agreement,
        actor=coordinator,
        expected_version=old_version,
        story_of_place="First person's text",
        governance="",
    )
    with pytest.raises(ConflictError) as conflict:
        services.agreement_update_narrative(
            agreement=agreement,
            actor=coordinator,
            expected_version=old_version,
            story_of_place="Second person's text",
            governance="",
        )
    assert conflict.value.current.story_of_place == "First person's text"
    agreement.refresh_from_db()
    assert agreement.story_of_place == "First person's text"


def test_narrative_allows_paragraphs_lists_and_links_but_no_raw_html():
    html = render_narrative(
        "Para one\n\n- a\n- b\n\n[site](https://example.org) <script>alert(1)</script>"
        " <b onclick='x()'>bold</b> [bad](javascript:alert(1))"
    )
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert 'href="https://example.org"' in html
    assert "<script" not in html and "javascript:" not in html
    assert re.search(r"<[^>]*onclick", html) is None  # shown as text, never as an attribute
    assert "&lt;script&gt;" in html


def test_narrative_cannot_change_outside_editable_stages(agreement, coordinator):
    Agreement.objects.filter(pk=agreement.pk).update(stage=Stage.IN_REVIEW)
    agreement.refresh_from_db()
    with pytest.raises(ServiceError, match="cannot be changed while it is in GO review"):
        services.agreement_update_narrative(
            agreement=agreement,
            actor=coordinator,
            expected_version=agreement.version,
            story_of_place="x",
            governance="",
        )


# --- Targets ---------------------------------------------------------------------------------


def test_designated_targets_stop_at_the_rounds_cap(fresh_agreement, coordinator2):
    fill_designated(fresh_agreement, coordinator2, 35)
    assert fresh_agreement.targets.filter(kind="designated").count() == 35
    with pytest.raises(ServiceError, match="already has 35 designated targets"):
        fill_designated(fresh_agreement, coordinator2, 1)
    # Statutory and local targets are not counted in the cap.
    assert fresh_agreement.targets.filter(kind="statutory").count() == 16
    services.target_create(
        agreement=fresh_agreement,
        actor=coordinator2,
        kind="local",
        fields=services.TargetFields(local_title="A local measure"),
    )


def test_an_indicator_appears_at_most_once(agreement, coordinator):
    with pytest.raises(ServiceError, match="NI 120 is already in this agreement"):
        services.target_create(
            agreement=agreement,
            actor=coordinator,
            kind="designated",
            fields=designated_fields("NI 120"),
        )


def test_a_statutory_indicator_cannot_be_designated(agreement, coordinator):
    with pytest.raises(ServiceError, match="statutory education target"):
        services.target_create(
            agreement=agreement,
            actor=coordinator,
            kind="designated",
            fields=designated_fields("NI 72"),
        )


def test_statutory_targets_cannot_be_added_or_removed(agreement, coordinator):
    with pytest.raises(ServiceError):
        services.target_create(
            agreement=agreement,
            actor=coordinator,
            kind="statutory",
            fields=designated_fields("NI 73"),
        )
    statutory = agreement.targets.filter(kind="statutory").first()
    with pytest.raises(ServiceError, match="cannot be removed"):
        services.target_delete(
            target=statutory, actor=coordinator, expected_version=statutory.version
        )


def test_local_targets_need_a_name_and_no_national_indicator(agreement, coordinator):
    with pytest.raises(ServiceError, match="give the local indicator a name"):
        services.target_create(
            agreement=agreement, actor=coordinator, kind="local", fields=services.TargetFields()
        )
    with pytest.raises(ServiceError, match="not both"):
        services.target_create(
            agreement=agreement,
            actor=coordinator,
            kind="local",
            fields=services.TargetFields(
                local_title="x", indicator=Indicator.objects.get(code="NI 1")
            ),
        )


def test_lead_partner_must_be_a_partner_in_the_area(agreement, coordinator):
    leeds = Organisation.objects.get(kind="locality", area__name="Leeds")
    with pytest.raises(ServiceError, match="is not a partner in Cumbria"):
        services.target_create(
            agreement=agreement,
            actor=coordinator,
            kind="designated",
            fields=designated_fields("NI 1", lead_partner=leeds),
        )


def test_district_split_in_a_two_tier_area(agreement, coordinator):
    carlisle = Organisation.objects.get(name="Carlisle City Council")
    target = services.target_create(
        agreement=agreement,
        actor=coordinator,
        kind="designated",
        fields=designated_fields("NI 1", district_shares=((carlisle, Decimal("40")),)),
    )
    assert [(s.district, s.value) for s in target.district_shares.all()] == [
        (carlisle, Decimal("40"))
    ]


def test_district_split_only_in_two_tier_areas(fresh_agreement, coordinator2):
    district = Organisation.objects.get(name="Carlisle City Council")
    with pytest.raises(ServiceError, match="Only two-tier areas"):
        services.target_create(
            agreement=fresh_agreement,
            actor=coordinator2,
            kind="designated",
            fields=designated_fields("NI 1", district_shares=((district, Decimal(1)),)),
        )


def test_yearly_values_must_match_the_rounds_years(agreement, coordinator):
    with pytest.raises(ServiceError, match="one target value for each of the round's 3"):
        services.target_create(
            agreement=agreement,
            actor=coordinator,
            kind="designated",
            fields=designated_fields("NI 1", yearly_values=(Decimal(1),)),
        )


def test_target_update_records_old_and_new_values_and_refuses_stale_versions(
    agreement, coordinator
):
    target = agreement.targets.get(indicator__code="NI 120")
    fields = designated_fields(
        "NI 120", baseline_value=Decimal("712"), yearly_values=(Decimal(690), None, None)
    )
    updated = services.target_update(
        target=target,
        actor=coordinator,
        expected_version=target.version,
        fields=fields,
        reason="Latest mortality data",
    )
    assert updated.yearly_values == ["690", None, None]
    with pytest.raises(ConflictError):
        services.target_update(
            target=target,
            actor=coordinator,
            expected_version=target.version,
            fields=fields,
            reason="stale",
        )
    from agreements.history import target_changes

    latest = target_changes(updated)[0]
    assert latest.who == coordinator.get_full_name()
    assert latest.reason == "Latest mortality data"
    assert ("Yearly values", "700, 688, 675", "690, –, –") in [
        (f.label, f.old, f.new) for f in latest.fields
    ]


def test_removing_a_target_keeps_its_history(agreement, coordinator):
    target = agreement.targets.get(indicator__code="NI 16")
    services.target_delete(
        target=target, actor=coordinator, expected_version=target.version, reason="Dropped"
    )
    assert not Target.objects.filter(pk=target.pk).exists()
    assert Target.history.filter(id=target.pk, history_type="-").get().history_user == coordinator


def test_a_partner_with_view_rights_cannot_edit(agreement, partner):
    with pytest.raises(ServiceError):
        services.target_create(
            agreement=agreement,
            actor=partner,
            kind="designated",
            fields=designated_fields("NI 1"),
        )


def test_a_partner_with_edit_rights_can_edit(agreement, partner):
    PartnerRepresentative.objects.filter(user=partner).update(access=AccessLevel.EDIT)
    target = services.target_create(
        agreement=agreement, actor=partner, kind="designated", fields=designated_fields("NI 1")
    )
    assert target.history.first().history_user == partner


def test_another_locality_cannot_touch_the_draft(agreement, coordinator2):
    with pytest.raises(PermissionDenied):
        services.target_create(
            agreement=agreement,
            actor=coordinator2,
            kind="designated",
            fields=designated_fields("NI 1"),
        )


# --- Funding streams -----------------------------------------------------------------------


@pytest.fixture
def stream(round_2008) -> FundingStream:
    return FundingStream.objects.get(round=round_2008, name="Supporting People")


def test_a_stream_without_consent_is_flagged_until_consent_is_recorded(
    agreement, coordinator, stream, locality
):
    entry = services.funding_create(
        agreement=agreement,
        actor=coordinator,
        stream=stream,
        fields=services.FundingFields(
            provider=locality, arrangement="pooled", is_unquantified=True
        ),
    )
    assert entry.yearly_amounts == [None, None, None]
    assert not entry.has_consent
    assert any(
        "Supporting People has no consent" in p.message for p in completeness_problems(agreement)
    )
    entry = services.funding_consent_record(
        entry=entry,
        actor=coordinator,
        expected_version=entry.version,
        given_by="Jo Smith, Director of Finance",
        given_on=date(2008, 2, 14),
    )
    assert entry.has_consent and entry.consent_recorded_by == coordinator
    assert not any("Supporting People" in p.message for p in completeness_problems(agreement))


def test_changing_whose_money_it_is_voids_the_consent(agreement, coordinator, locality):
    entry = agreement.funding.get()
    entry = services.funding_consent_record(
        entry=entry,
        actor=coordinator,
        expected_version=entry.version,
        given_by="PCT board",
        given_on=date(2008, 3, 1),
    )
    entry = services.funding_update(
        entry=entry,
        actor=coordinator,
        expected_version=entry.version,
        fields=services.FundingFields(
            provider=locality, arrangement="aligned", yearly_amounts=(Decimal(1), None, None)
        ),
        reason="The council pays",
    )
    assert not entry.has_consent


def test_a_stream_appears_once_and_only_from_its_rounds_catalogue(
    agreement, coordinator, locality, admin_user
):
    entry = agreement.funding.get()
    with pytest.raises(ServiceError, match="already in this agreement"):
        services.funding_create(
            agreement=agreement,
            actor=coordinator,
            stream=entry.stream,
            fields=services.FundingFields(
                provider=locality, arrangement="pooled", is_unquantified=True
            ),
        )
    pilot_stream = services.funding_stream_create(
        round=Round.objects.get(slug="2005-pilots"),
        actor=admin_user,
        name="NRF",
        department=Organisation.objects.get(abbreviation="ODPM"),
        kind="specific_grant",
    )
    with pytest.raises(ServiceError, match="another round"):
        services.funding_create(
            agreement=agreement,
            actor=coordinator,
            stream=pilot_stream,
            fields=services.FundingFields(
                provider=locality, arrangement="pooled", is_unquantified=True
            ),
        )


def test_only_admins_keep_the_funding_catalogue(round_2008, coordinator):
    with pytest.raises(PermissionDenied):
        services.funding_stream_create(
            round=round_2008,
            actor=coordinator,
            name="X",
            department=Organisation.objects.get(abbreviation="CLG"),
            kind="other",
        )


# --- Partners ------------------------------------------------------------------------------


def test_coordinator_names_a_partner_and_invites_a_representative(
    agreement, coordinator, django_capture_on_commit_callbacks
):
    partnership = partner_add(
        agreement=agreement, actor=coordinator, name="Cumbria Constabulary", partner_type="police"
    )
    with django_capture_on_commit_callbacks(execute=True):
        representative = representative_invite(
            agreement=agreement,
            actor=coordinator,
            partnership=partnership,
            email="Chief@Police.example",
            full_name="Sam Chief",
            access=AccessLevel.EDIT,
            base_url="https://laa.example.org",
        )
    user = representative.user
    assert user.email == "chief@police.example"
    assert user.role == "partner" and user.organisation == partnership.organisation
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert "https://laa.example.org/password-reset/" in mail.outbox[0].body
    assert user.has_perm("agreements.edit_draft", agreement)


def test_an_invitation_is_not_sent_when_the_transaction_fails(agreement, coordinator):
    partnership = agreement.area.partnerships.first()
    with pytest.raises(ServiceError):
        representative_invite(
            agreement=agreement,
            actor=coordinator,
            partnership=partnership,
            email="official@example.org",
            full_name="Someone",
            access=AccessLevel.VIEW,
            base_url="https://laa.example.org",
        )
    assert mail.outbox == []


def test_a_partner_is_named_once(agreement, coordinator):
    with pytest.raises(ServiceError, match="already a partner"):
        partner_add(
            agreement=agreement,
            actor=coordinator,
            name="carlisle city council",
            partner_type="district_council",
        )


def test_a_partner_representative_cannot_manage_partners(agreement, partner):
    with pytest.raises(PermissionDenied):
        partner_add(agreement=agreement, actor=partner, name="X", partner_type="other")


# --- Completeness --------------------------------------------------------------------------


def test_completeness_lists_each_gap_with_where_to_fix_it(agreement, coordinator):
    problems = completeness_problems(agreement)
    messages = [p.message for p in problems]
    assert "The story of place is empty" not in messages
    assert "The theme ‘Safer communities’ has no outcomes" in messages
    assert "NI 16 has no baseline or date for one" in messages
    assert "NI 16 has no lead partner" in messages
    assert "NI 152 has no target value for 2009/10, 2010/11" in messages
    assert not any(m.startswith("NI 72") for m in messages)  # statutory: agreed with DCSF
    assert any("Primary care trust mainstream budget has no consent" in m for m in messages)
    assert all(p.url.startswith("/agreements/2008-11/cumbria/") for p in problems)


def test_a_deferred_target_needs_a_caveat_not_values(agreement, coordinator):
    target = agreement.targets.get(indicator__code="NI 16")

    def defer(caveats: str):
        return services.target_update(
            target=target,
            actor=coordinator,
            expected_version=target.version,
            fields=designated_fields(
                "NI 16",
                baseline_value=None,
                baseline_due_on=date(2009, 3, 31),
                yearly_values=(None, None, None),
                is_deferred=True,
                caveats=caveats,
                lead_partner=Organisation.objects.get(kind="locality", area=agreement.area),
            ),
            reason="Deferred",
        )

    with pytest.raises(ServiceError, match="Give a caveat for a deferred target"):
        defer("")
    defer("Waits for the 2008 Place Survey.")
    messages = [p.message for p in completeness_problems(agreement)]
    assert "NI 16 is deferred but gives no caveat" not in messages
    assert not any(m.startswith("NI 16 has no") for m in messages)


def test_a_fresh_draft_is_incomplete_everywhere(fresh_agreement):
    messages = [p.message for p in completeness_problems(fresh_agreement)]
    assert "The story of place is empty" in messages
    assert "No theme has been chosen" in messages
