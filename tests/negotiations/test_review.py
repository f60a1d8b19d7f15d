"""The GO's review checklist and per-item negotiation status."""

from agreements.models import Target


def test_the_go_rates_the_checklist_and_the_locality_sees_it(
    client, lancashire, negotiator, lancashire_coordinator
):
    client.force_login(negotiator)
    url = "/agreements/2008-11/lancashire/negotiation/review/"
    response = client.post(url, {"ambition_note": "Too cautious"})
    assert "Choose a rating for ambition" in response.content.decode()
    client.post(
        url,
        {
            "ambition_rating": "needs_work",
            "ambition_note": "Too cautious",
            "focus_rating": "strong",
        },
    )
    assert lancashire.review_ratings.get(criterion="ambition").reviewer == negotiator
    client.force_login(lancashire_coordinator)
    assert client.get(url).status_code == 404
    checklist = client.get("/agreements/2008-11/lancashire/negotiation/").content.decode()
    assert "Needs work</strong>: Too cautious" in checklist


def test_saving_an_empty_checklist_is_refused_with_an_error_summary(client, lancashire, negotiator):
    client.force_login(negotiator)
    url = "/agreements/2008-11/lancashire/negotiation/review/"
    response = client.post(url, {"seen": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    assert "Rate at least one criterion before saving" in page
    assert "The checklist has been saved" not in page
    assert not lancashire.review_ratings.exists()


def test_the_go_sets_item_statuses_and_the_summary_counts_them(
    client, lancashire, negotiator, lancashire_coordinator
):
    target = lancashire.targets.get(indicator__code="NI 120")
    client.force_login(negotiator)
    client.post(
        f"/agreements/2008-11/lancashire/negotiation/status/target/{target.pk}/",
        {"status": "agreed", "version": target.version},
    )
    assert Target.objects.get(pk=target.pk).status == "agreed"
    client.force_login(lancashire_coordinator)
    response = client.post(
        f"/agreements/2008-11/lancashire/negotiation/status/target/{target.pk}/",
        {"status": "refused", "version": target.version},
    )
    assert response.status_code == 404
    summary = client.get("/agreements/2008-11/lancashire/negotiation/outstanding/")
    assert summary.context["counts"]["Agreed"] == 1
    assert summary.context["counts"]["Challenged"] == 1  # NI 56, challenged by the GO
    assert len(summary.context["agreed"]) == 1


def test_a_status_change_does_not_disturb_the_localitys_edit(lancashire, negotiator):
    from negotiations.services import item_status_set

    target = lancashire.targets.get(indicator__code="NI 120")
    version = target.version
    item_status_set(item=target, actor=negotiator, expected_version=version, status="to_be_agreed")
    target.refresh_from_db()
    assert target.version == version  # the coordinator's open form still saves
