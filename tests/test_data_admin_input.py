"""The data admin refuses absurd input with its usual errors rather than a server error: ids
that are no ids, a tampered count of inline rows, a duplicate within a round, a date beyond
any calendar."""

import json
import re

import pytest
from django.forms.models import model_to_dict

from accounts.models import Organisation
from indicators.models import Round

TOO_BIG = str(2**64)


@pytest.fixture
def signed_in(client, admin_user):
    client.force_login(admin_user)
    return client


def _fields(prefix: str, instance) -> dict:
    many = {field.name for field in instance._meta.many_to_many}
    return {
        f"{prefix}{name}": (
            [related.pk for related in value]
            if name in many
            else json.dumps(value)
            if isinstance(value, list | dict)
            else value
        )
        for name, value in model_to_dict(instance).items()
        if value is not None
    }


def _round_data(round_: Round, *, initial: int) -> dict:
    """The round's change form as the data admin draws it, with a count of existing theme
    rows as given."""
    themes = list(round_.themes.order_by("pk"))
    milestones = list(round_.milestones.order_by("pk"))
    data = {
        **_fields("", round_),
        "themes-TOTAL_FORMS": len(themes),
        "themes-INITIAL_FORMS": initial,
        "milestones-TOTAL_FORMS": len(milestones),
        "milestones-INITIAL_FORMS": len(milestones),
    }
    for i, theme in enumerate(themes):
        data |= _fields(f"themes-{i}-", theme)
    for i, milestone in enumerate(milestones):
        data |= _fields(f"milestones-{i}-", milestone)
    return data


def test_a_negative_count_of_existing_rows_is_refused(signed_in):
    round_ = Round.objects.get(slug="2008-11")
    names = sorted(round_.themes.values_list("name", flat=True))
    response = signed_in.post(
        f"/data-admin/indicators/round/{round_.pk}/change/", _round_data(round_, initial=-1)
    )
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert sorted(round_.themes.values_list("name", flat=True)) == names


def test_existing_rows_posted_as_new_are_refused_by_the_rounds_constraint(signed_in):
    """Django leaves the round out of each theme row's checks: without the formset's own
    check the database refused the second theme of the same name."""
    round_ = Round.objects.get(slug="2008-11")
    count = round_.themes.count()
    response = signed_in.post(
        f"/data-admin/indicators/round/{round_.pk}/change/", _round_data(round_, initial=0)
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert round_.themes.count() == count


@pytest.mark.parametrize("value", [TOO_BIG, "abc", "a\x00b"])
def test_a_related_id_that_is_no_id_is_not_a_valid_choice(signed_in, value):
    area = Organisation.objects.filter(area__isnull=False).first().area
    response = signed_in.post(
        "/data-admin/partners/partnership/add/",
        {"area": area.pk, "organisation": value, "partner_type": "other"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page or "Null characters are not allowed" in page


def test_a_group_with_a_permission_beyond_64_bits_is_refused(signed_in):
    response = signed_in.post(
        "/data-admin/auth/group/add/", {"name": "Editors", "permissions": [TOO_BIG]}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_year_beyond_any_calendar_is_a_bad_filter(signed_in):
    response = signed_in.get(f"/data-admin/axes/accesslog/?attempt_time__year={TOO_BIG}")
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_an_absurd_count_of_rows_is_refused_without_drawing_them(signed_in):
    """Django builds and draws again as many rows as the posted count says, up to 2,000 per
    formset: a count beyond that is refused, and only the rows posted as existing are drawn."""
    round_ = Round.objects.get(slug="2008-11")
    names = sorted(round_.themes.values_list("name", flat=True))
    data = _round_data(round_, initial=round_.themes.count())
    data["themes-TOTAL_FORMS"] = TOO_BIG
    response = signed_in.post(f"/data-admin/indicators/round/{round_.pk}/change/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please submit at most" in page
    drawn = set(re.findall(r'name="themes-(\d+)-name"', page))
    assert drawn == {str(i) for i in range(len(names))}
    assert sorted(round_.themes.values_list("name", flat=True)) == names


def test_an_absurd_count_of_recovery_codes_is_refused_without_drawing_them(signed_in, admin_user):
    response = signed_in.post(
        "/data-admin/otp_static/staticdevice/add/",
        {
            "user": admin_user.pk,
            "name": "backup",
            "token_set-TOTAL_FORMS": TOO_BIG,
            "token_set-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please submit at most" in page
    assert not re.findall(r'name="token_set-\d+-token"', page)
