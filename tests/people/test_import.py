"""A round's people from a CSV file: everyone invited, or nobody with every problem listed
by row and column."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from people.models import Invitation

pytestmark = pytest.mark.django_db


def _upload(client, text: str):
    return client.post(
        "/people/import/",
        {"file": SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")},
    )


def test_every_row_is_invited(world, client, django_capture_on_commit_callbacks):
    organisations = world.organisations
    department = organisations["department_1"]
    client.force_login(world.people["admin"])
    text = (
        "name,email,organisation,role\r\n"
        f"Gail Go,gail@example.org,{organisations['go_a'].slug},negotiator\r\n"
        f"Colin Coord,colin@example.org,{organisations['locality_b'].slug},coordinator\r\n"
        f"Dee Dept,dee@example.org,{department.abbreviation.lower()},official\r\n"
        ",,,\r\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, text)
    assert response.status_code == 302
    placed = {
        user.email: (user.organisation, user.role)
        for user in User.objects.filter(
            email__in=["gail@example.org", "colin@example.org", "dee@example.org"]
        )
    }
    assert placed == {
        "gail@example.org": (organisations["go_a"], "negotiator"),
        "colin@example.org": (organisations["locality_b"], "coordinator"),
        "dee@example.org": (department, "official"),
    }
    assert Invitation.objects.filter(user__email__in=placed).count() == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted(placed)


def test_a_file_with_any_problem_invites_nobody(world, client):
    organisations = world.organisations
    client.force_login(world.people["admin"])
    text = (
        "name,email,organisation,role\n"
        f"Good Person,good@example.org,{organisations['go_a'].slug},negotiator\n"
        f",bad-address,{organisations['go_a'].slug},negotiator\n"
        f"Wrong Kind,wrong@example.org,{organisations['go_a'].slug},official\n"
        "Nowhere,nowhere@example.org,no-such-organisation,chief\n"
        f"Twice,GOOD@example.org,{organisations['go_b'].slug},negotiator\n"
        f"Taken,{world.people['coordinator_a'].email},{organisations['locality_a'].slug},coordinator\n"
    )
    response = _upload(client, text)
    assert response.status_code == 400
    problems = {(p.row, p.column) for p in response.context["problems"]}
    assert problems == {
        (3, "name"),
        (3, "email"),
        (4, "role"),
        (5, "organisation"),
        (5, "role"),
        (6, "email"),
        (7, "email"),
    }
    body = response.content.decode()
    assert "Nobody was invited" in body and "govuk-error-summary" in body
    assert not User.objects.filter(email="good@example.org").exists()
    assert mail.outbox == []


def test_missing_columns_are_named(world, client):
    client.force_login(world.people["admin"])
    response = _upload(client, "name,e-mail\nSomeone,someone@example.org\n")
    assert response.status_code == 400
    assert {(p.row, p.column) for p in response.context["problems"]} == {
        (1, "email"),
        (1, "organisation"),
        (1, "role"),
    }


def test_only_admins_import(world, client):
    client.force_login(world.people["negotiator_a"])
    assert client.get("/people/import/").status_code == 404
    assert _upload(client, "name,email,organisation,role\n").status_code == 404
