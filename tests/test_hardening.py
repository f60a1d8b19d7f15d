"""Edge cases: absurd input gets a clear error (never a 500), racing edits never slip past
a submission, and second editors get a conflict page."""

from decimal import Decimal

import pytest

from agreements import services as drafting
from agreements.models import Agreement, Target
from core.errors import ServiceError
from negotiations import services
from negotiations.models import Comment
from negotiations.services import ViewAnswer, referral_views_save
from tests.agreements.conftest import designated_fields


def test_an_internal_challenge_does_not_change_what_the_locality_sees(db, negotiator):
    lancashire = Agreement.objects.get(area__name="Lancashire")
    target = lancashire.targets.get(indicator__code="NI 120")
    services.comment_add(
        agreement=lancashire,
        actor=negotiator,
        kind=Comment.Kind.CHALLENGE,
        visibility=Comment.Visibility.GO_INTERNAL,
        target=target,
        body="Between ourselves",
    )
    assert Target.objects.get(pk=target.pk).status == "proposed"


@pytest.mark.parametrize("part", ["0", "1", "2"])
def test_an_absurd_date_is_an_error_not_a_crash(client, coordinator, agreement, part):
    entry = agreement.funding.get()
    client.force_login(coordinator)
    data = {
        "given_by": "Jo",
        "given_on_0": "1",
        "given_on_1": "1",
        "given_on_2": "2008",
        "version": entry.version,
    }
    data[f"given_on_{part}"] = "99999999999999999999"
    response = client.post(f"/agreements/2008-11/cumbria/funding/{entry.pk}/consent/", data)
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()


def test_a_too_long_email_address_is_an_error_not_a_crash(client, coordinator, agreement):
    client.force_login(coordinator)
    partnership = agreement.area.partnerships.first()
    response = client.post(
        "/agreements/2008-11/cumbria/partners/",
        {
            "action": "invite",
            "partnership": partnership.pk,
            "full_name": "Long",
            "email": "a" * 250 + "@example.org",
            "access": "view",
        },
    )
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()


def test_import_refuses_more_precision_than_is_stored(client, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agreements.importing import columns

    agreement = Agreement.objects.get(area__name="Cumbria")
    header = ",".join(columns(agreement))
    content = f"{header}\nNI 1,,9999999999.99999,2007/08,,1,2,3,,no,no,,\n".encode()
    client.force_login(coordinator)
    response = client.post(
        "/agreements/2008-11/cumbria/targets/import/",
        {"file": SimpleUploadedFile("t.csv", content)},
    )
    assert response.status_code == 400
    assert "more than 4 decimal places" in response.content.decode()


def test_an_edit_racing_a_submission_is_refused(agreement, coordinator):
    stale = Agreement.objects.get(pk=agreement.pk)  # loaded while still drafting
    Agreement.objects.filter(pk=agreement.pk).update(stage="submitted")
    with pytest.raises(ServiceError, match="cannot be changed while it is submitted"):
        drafting.target_create(
            agreement=stale, actor=coordinator, kind="designated", fields=designated_fields("NI 1")
        )
    target = stale.targets.get(indicator__code="NI 120")
    with pytest.raises(ServiceError):
        drafting.target_update(
            target=target,
            actor=coordinator,
            expected_version=target.version,
            fields=designated_fields("NI 120", yearly_values=(Decimal(1), None, None)),
            reason="x",
        )


def test_a_second_checklist_editor_gets_a_conflict(client, negotiator):
    url = "/agreements/2008-11/lancashire/negotiation/review/"
    client.force_login(negotiator)
    seen = client.get(url).context["form"]["seen"].value()
    assert client.post(url, {"ambition_rating": "strong", "seen": seen}).status_code == 302
    response = client.post(
        url, {"ambition_rating": "needs_work", "ambition_note": "Later", "seen": seen}
    )
    assert response.status_code == 409
    agreement = Agreement.objects.get(area__name="Lancashire")
    assert agreement.review_ratings.get(criterion="ambition").rating == "strong"


def test_a_second_department_view_editor_gets_a_conflict(client, official):
    manchester = Agreement.objects.get(area__name="Manchester")
    target = manchester.targets.get(indicator__code="NI 117")
    url = "/agreements/2008-11/manchester/negotiation/referral/"
    client.force_login(official)
    # A colleague saves a view after this official read the page (no view then: seen "").
    referral = manchester.referrals.get(department=official.organisation)
    referral_views_save(referral=referral, actor=official, answers=[ViewAnswer(target, "support")])
    second = client.post(
        url,
        {
            f"t{target.pk}-opinion": "object",
            f"t{target.pk}-comment": "No",
            f"t{target.pk}-seen": "",
            "action": "send",
        },
    )
    assert second.status_code == 409
    assert target.department_views.get().opinion == "support"


def test_activity_queries_do_not_grow_with_history(client, agreement, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(coordinator)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            client.get("/agreements/2008-11/cumbria/negotiation/activity/")
        counts.append(len(queries))
        for target in agreement.targets.filter(kind="designated"):
            drafting.target_update(
                target=target,
                actor=coordinator,
                expected_version=target.version,
                fields=designated_fields(target.indicator.code),
                reason="More history",
            )
    assert counts[0] == counts[1], counts
