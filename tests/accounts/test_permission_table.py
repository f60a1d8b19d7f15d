# ruff: noqa: E501  (the expected table keeps one rule a line)
"""The whole table of who may do what, role x permission x object state, printed by the
`permissions_table` command and checked against the literal table below. A change to any
rule shows here as a changed line; a new permission must join the table."""

import io

import pytest
from django.core.management import call_command

from agreements.models import Agreement
from agreements.selectors import agreements_visible_to
from negotiations.models import Referral, Version
from portal.management.commands.permissions_table import cases_by_kind, demo_people
from signoff.permissions import signer

EXPECTED = """\
accounts.view_directory | - | negotiator, official, admin
accounts.list_own_areas | - | coordinator, coordinator2, partner, negotiator
accounts.see_lead_indicators | - | official
accounts.see_work_list | - | coordinator, coordinator2, negotiator, official
indicators.manage_rounds | - | admin
agreements.open_round | - | admin
agreements.open_own | - | coordinator, coordinator2
agreements.filter_by_government_office | - | partner, official, admin
agreements.manage_funding_catalogue | - | admin
agreements.load_statutory_values | - | admin
agreements.assign_areas | - | negotiator
ambition.compare_with_submitted | - | negotiator
api.create_personal_token | - | coordinator, coordinator2, partner, negotiator, official, admin
api.manage_organisation_tokens | - | admin
people.view_people | - | coordinator, coordinator2, negotiator, official, admin
people.import_people | - | admin
people.appoint_laa_lead | - | admin
dashboards.view_national | - | admin
dashboards.view_any | - | negotiator, admin
jobs.run_exports | - | admin
performance.manage_reviews | - | admin
freedoms.see_routed_requests | - | official
freedoms.see_overdue | - | negotiator, official, admin
freedoms.see_figures | - | negotiator, official, admin
freedoms.see_brief | - | negotiator, official, admin
freedoms.read_brief_on_request | - | negotiator
agreements.see_agreement | Cumbria (any) | coordinator, partner, negotiator, admin
agreements.see_agreement | Leeds (any) | coordinator2, admin
agreements.see_agreement | Cumbria referred to DCSF (any) | coordinator, partner, negotiator, official, admin
agreements.edit_draft | Cumbria (drafting, returned, amending); Cumbria referred to DCSF (drafting, returned, amending) | coordinator
agreements.edit_draft | Cumbria (submitted, in_review, referred, agreed_in_principle, in_sign_off, signed); Leeds (submitted, in_review, referred, agreed_in_principle, in_sign_off, signed); Cumbria referred to DCSF (submitted, in_review, referred, agreed_in_principle, in_sign_off, signed) | nobody
agreements.edit_draft | Leeds (drafting, returned, amending) | coordinator2
agreements.manage_partners | Cumbria (any); Cumbria referred to DCSF (any) | coordinator, admin
agreements.manage_partners | Leeds (any) | coordinator2, admin
negotiations.move_agreement | Cumbria (any); Cumbria referred to DCSF (any) | coordinator, negotiator
negotiations.move_agreement | Leeds (any) | coordinator2
negotiations.negotiate_agreement | Cumbria (any); Cumbria referred to DCSF (any) | negotiator
negotiations.negotiate_agreement | Leeds (any) | nobody
negotiations.agree_items | Cumbria (drafting, submitted, returned, agreed_in_principle, in_sign_off, signed, amending); Leeds (any); Cumbria referred to DCSF (drafting, submitted, returned, agreed_in_principle, in_sign_off, signed, amending) | nobody
negotiations.agree_items | Cumbria (in_review, referred); Cumbria referred to DCSF (in_review, referred) | negotiator
negotiations.oversee_agreement | Cumbria (any); Cumbria referred to DCSF (any) | negotiator, admin
negotiations.oversee_agreement | Leeds (any) | admin
negotiations.see_referrals | Cumbria (any) | negotiator, admin
negotiations.see_referrals | Leeds (any) | admin
negotiations.see_referrals | Cumbria referred to DCSF (any) | negotiator, official, admin
negotiations.read_internal_comments | Cumbria (any); Cumbria referred to DCSF (any) | negotiator, admin
negotiations.read_internal_comments | Leeds (any) | admin
negotiations.read_locality_comments | Cumbria (any); Cumbria referred to DCSF (any) | coordinator, partner
negotiations.read_locality_comments | Leeds (any) | coordinator2
negotiations.read_department_comments | Cumbria (any); Leeds (any) | nobody
negotiations.read_department_comments | Cumbria referred to DCSF (any) | official
negotiations.write_internal_comments | Cumbria (any); Cumbria referred to DCSF (any) | negotiator
negotiations.write_internal_comments | Leeds (any) | nobody
negotiations.write_locality_comments | Cumbria (any); Cumbria referred to DCSF (any) | coordinator, partner
negotiations.write_locality_comments | Leeds (any) | coordinator2
negotiations.write_department_comments | Cumbria (any); Leeds (any) | nobody
negotiations.write_department_comments | Cumbria referred to DCSF (any) | official
freedoms.draft_request | Cumbria (any); Cumbria referred to DCSF (any) | coordinator
freedoms.draft_request | Leeds (any) | coordinator2
performance.see_review | Cumbria (drafting, submitted, in_review, referred, returned, agreed_in_principle, in_sign_off); Leeds (drafting, submitted, in_review, referred, returned, agreed_in_principle, in_sign_off); Cumbria referred to DCSF (drafting, submitted, in_review, referred, returned, agreed_in_principle, in_sign_off) | nobody
performance.see_review | Cumbria (signed, amending) | coordinator, partner, negotiator, admin
performance.see_review | Leeds (signed, amending) | coordinator2, admin
performance.see_review | Cumbria referred to DCSF (signed, amending) | coordinator, partner, negotiator, official, admin
performance.record_outturns | Cumbria (drafting, submitted, in_review, referred, returned, agreed_in_principle, in_sign_off); Leeds (drafting, submitted, in_review, referred, returned, agreed_in_principle, in_sign_off); Cumbria referred to DCSF (drafting, submitted, in_review, referred, returned, agreed_in_principle, in_sign_off) | nobody
performance.record_outturns | Cumbria (signed, amending); Cumbria referred to DCSF (signed, amending) | coordinator
performance.record_outturns | Leeds (signed, amending) | coordinator2
freedoms.submit_request | Cumbria's request routed to DCSF (draft) | coordinator
freedoms.submit_request | Cumbria's request routed to DCSF (with_go, with_department, more_information, on_hold, answered, relayed) | nobody
freedoms.decide_request | Cumbria's request routed to DCSF (draft, with_department, more_information, on_hold, answered, relayed) | nobody
freedoms.decide_request | Cumbria's request routed to DCSF (with_go) | negotiator
freedoms.refer_request | Cumbria's request routed to DCSF (draft, with_department, more_information, on_hold, answered, relayed) | nobody
freedoms.refer_request | Cumbria's request routed to DCSF (with_go) | negotiator
freedoms.answer_request | Cumbria's request routed to DCSF (draft, with_go, more_information, on_hold, answered, relayed) | nobody
freedoms.answer_request | Cumbria's request routed to DCSF (with_department) | official
freedoms.ask_request | Cumbria's request routed to DCSF (draft, with_go, more_information, on_hold, answered, relayed) | nobody
freedoms.ask_request | Cumbria's request routed to DCSF (with_department) | official
freedoms.provide_request | Cumbria's request routed to DCSF (draft, with_go, with_department, on_hold, answered, relayed) | nobody
freedoms.provide_request | Cumbria's request routed to DCSF (more_information) | coordinator
freedoms.hold_request | Cumbria's request routed to DCSF (draft, with_go, more_information, on_hold, answered, relayed) | nobody
freedoms.hold_request | Cumbria's request routed to DCSF (with_department) | official
freedoms.resume_request | Cumbria's request routed to DCSF (draft, with_go, with_department, more_information, answered, relayed) | nobody
freedoms.resume_request | Cumbria's request routed to DCSF (on_hold) | negotiator, official
freedoms.relay_request | Cumbria's request routed to DCSF (draft, with_go, with_department, more_information, on_hold, relayed) | nobody
freedoms.relay_request | Cumbria's request routed to DCSF (answered) | negotiator
freedoms.edit_request | Cumbria's request routed to DCSF (draft, more_information) | coordinator
freedoms.edit_request | Cumbria's request routed to DCSF (with_go, with_department, on_hold, answered, relayed) | nobody
freedoms.link_request | Cumbria's request routed to DCSF (draft, more_information, answered, relayed) | nobody
freedoms.link_request | Cumbria's request routed to DCSF (with_go, with_department, on_hold) | negotiator, official
freedoms.see_outcome | Cumbria's request routed to DCSF (draft, with_go, with_department, more_information, on_hold, answered) | negotiator, official, admin
freedoms.see_outcome | Cumbria's request routed to DCSF (relayed) | coordinator, coordinator2, partner, negotiator, official, admin
freedoms.see_request | Cumbria's request routed to DCSF (any) | coordinator, partner, negotiator, official, admin
freedoms.follow_late_request | Cumbria's request routed to DCSF (any) | negotiator, official, admin
freedoms.act_on_request | Cumbria's request routed to DCSF (draft, on_hold, relayed) | nobody
freedoms.act_on_request | Cumbria's request routed to DCSF (with_go, answered) | negotiator
freedoms.act_on_request | Cumbria's request routed to DCSF (with_department) | official
freedoms.act_on_request | Cumbria's request routed to DCSF (more_information) | coordinator
negotiations.close_comment | Cumbria's comment (by no one (account removed), by negotiator) | negotiator, admin
negotiations.close_comment | Cumbria's comment (by coordinator) | coordinator, admin
negotiations.close_comment | Cumbria's comment (by partner) | partner, admin
negotiations.close_comment | Cumbria's comment (by official) | official, admin
negotiations.close_comment | Cumbria's comment (by admin) | admin
negotiations.propose_closing_comment | Cumbria's comment (any) | coordinator
negotiations.answer_referral | Cumbria's referral (to DCSF) | official
negotiations.answer_referral | Cumbria's referral (to CO) | nobody
signoff.sign_for | Cumbria's signature (partners step, the partner's own organisation) | coordinator, partner
signoff.sign_for | Cumbria's signature (partners step, another partner, council step) | coordinator
signoff.sign_for | Cumbria's signature (GO step) | negotiator
signoff.sign_for | Cumbria's signature (Minister step) | admin
freedoms.write_brief | department (DCSF (the official's)) | official, admin
freedoms.write_brief | department (CO, none (the national team's part)) | admin
freedoms.name_policy_owner | department (DCSF (the official's)) | official, admin
freedoms.name_policy_owner | department (CO, none (the national team's part)) | admin
dashboards.view_region | region (GO North West (the negotiator's)) | negotiator, admin
dashboards.view_region | region (GO East) | admin
accounts.see_area | area (Cumbria) | coordinator, partner, negotiator, official, admin
accounts.see_area | area (Leeds) | coordinator2, official, admin
agreements.assign_area | area (Cumbria) | negotiator
agreements.assign_area | area (Leeds) | nobody
people.manage_person | person (coordinator) | negotiator, admin
people.manage_person | person (coordinator2, negotiator) | admin
people.manage_person | person (partner) | coordinator, admin
people.manage_person | person (admin) | nobody
accounts.reset_second_factor | person (coordinator, coordinator2, partner, negotiator) | admin
accounts.reset_second_factor | person (admin) | nobody
people.view_organisation | organisation (Cumbria's council) | negotiator, admin
people.view_organisation | organisation (Leeds's council, GO North West (the negotiator's), another GO, the national team) | admin
people.view_organisation | organisation (Cumbria's partner) | coordinator, admin
people.view_organisation | organisation (the official's department) | official, admin
people.invite | invite (coordinator of Cumbria) | negotiator, admin
people.invite | invite (coordinator of Leeds, negotiator of the negotiator's GO, official of another department, admin) | admin
people.invite | invite (partner of Cumbria) | coordinator, admin
people.invite | invite (official of the official's department) | official, admin
api.revoke_token | API token (the coordinator's own) | coordinator
api.revoke_token | API token (GO North West's system's) | admin
jobs.see_job | job (Cumbria's PDF, asked for by the coordinator) | coordinator
jobs.see_job | job (a round's export, asked for by the admin) | admin
"""


@pytest.mark.django_db
def test_the_permission_table_is_the_expected_one():
    out = io.StringIO()
    call_command("permissions_table", stdout=out)
    assert out.getvalue().splitlines() == EXPECTED.splitlines()


@pytest.mark.django_db
def test_the_table_leaves_no_referral_behind():
    before = list(Referral.objects.values_list("pk", flat=True))
    versions = Version.objects.count()
    call_command("permissions_table", stdout=io.StringIO())
    assert list(Referral.objects.values_list("pk", flat=True)) == before
    assert Version.objects.count() == versions


@pytest.mark.django_db
def test_the_list_of_agreements_applies_the_same_rule_as_see_agreement():
    users = demo_people()
    agreements = list(Agreement.objects.select_related("area"))
    for name, user in users.items():
        listed = set(agreements_visible_to(user).values_list("pk", flat=True))
        allowed = {a.pk for a in agreements if user.has_perm("agreements.see_agreement", a)}
        assert listed == allowed, name


@pytest.mark.django_db
def test_the_signing_work_list_applies_the_same_rule_as_sign_for():
    users = demo_people()
    slots = [case.obj for case in cases_by_kind(users)["slot"]]
    for name, user in users.items():
        check = signer(user)
        for slot in slots:
            assert check(*slot) is user.has_perm("signoff.sign_for", slot), (name, slot.kind)
