"""Who may see and change a draft: a table of role x agreement, checked through the
permission rules, the list selector and the pages alike."""

import pytest

from agreements.selectors import agreements_visible_to
from partners.models import AccessLevel, PartnerRepresentative

ROLES = ["coordinator", "coordinator2", "partner", "negotiator", "official", "admin"]

# role -> (may view Cumbria's draft, may edit it)
CUMBRIA = {
    "coordinator": (True, True),  # its own area
    "coordinator2": (False, False),  # another locality never sees it
    "partner": (True, False),  # a representative with comment rights
    "negotiator": (True, False),  # the area's GO reads but does not draft
    "official": (False, False),  # departments see it only once referred
    "admin": (True, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_rules_and_selector_agree(users_by_role, agreement, role):
    user = users_by_role[role]
    may_view, may_edit = CUMBRIA[role]
    assert user.has_perm("agreements.see_agreement", agreement) is may_view
    assert user.has_perm("agreements.edit_draft", agreement) is may_edit
    assert agreements_visible_to(user).filter(pk=agreement.pk).exists() is may_view


READ_PAGES = ["", "themes/", "targets/", "funding/", "partners/", "completeness/", "print/"]
EDIT_PAGES = [
    "narrative/",
    "targets/add/designated/",
    "targets/add/local/",
    "targets/import/",
    "funding/add/",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", READ_PAGES + EDIT_PAGES)
def test_pages_by_role(client, users_by_role, agreement, role, page):
    client.force_login(users_by_role[role])
    may_view, may_edit = CUMBRIA[role]
    allowed = may_edit if page in EDIT_PAGES else may_view
    response = client.get(f"/agreements/2008-11/cumbria/{page}")
    assert response.status_code == (200 if allowed else 404)


@pytest.mark.parametrize("access", [AccessLevel.VIEW, AccessLevel.COMMENT, AccessLevel.EDIT])
def test_partner_rights_follow_their_access_level(partner, agreement, access):
    PartnerRepresentative.objects.filter(user=partner).update(access=access)
    assert partner.has_perm("agreements.see_agreement", agreement)
    assert partner.has_perm("agreements.edit_draft", agreement) is (access == AccessLevel.EDIT)


def test_a_partner_user_without_a_representation_sees_nothing(partner, agreement):
    PartnerRepresentative.objects.filter(user=partner).delete()
    assert not partner.has_perm("agreements.see_agreement", agreement)
    assert not agreements_visible_to(partner).exists()


def test_edit_rights_end_when_the_draft_leaves_an_editable_stage(coordinator, agreement):
    agreement.stage = "submitted"
    assert coordinator.has_perm("agreements.see_agreement", agreement)
    assert not coordinator.has_perm("agreements.edit_draft", agreement)


@pytest.mark.parametrize("role", ["coordinator2", "partner", "negotiator", "official"])
def test_a_forbidden_write_answers_404_and_changes_nothing(client, users_by_role, agreement, role):
    client.force_login(users_by_role[role])
    response = client.post(
        "/agreements/2008-11/cumbria/narrative/",
        {"story_of_place": "Hijacked", "governance": "", "version": agreement.version},
    )
    assert response.status_code == 404
    agreement.refresh_from_db()
    assert agreement.story_of_place != "Hijacked"
