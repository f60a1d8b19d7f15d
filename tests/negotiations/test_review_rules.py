"""The review checklist's rules are the service's: it refuses a note without a rating and a
save that rates nothing, naming the field, whatever calls it; the form shows the same."""

import pytest

from core.errors import ServiceError
from negotiations import services
from negotiations.forms import ReviewForm


def save(agreement, negotiator, entries):
    services.review_checklist_save(
        agreement=agreement,
        actor=negotiator,
        entries=entries,
        seen=services.review_checklist_seen(agreement),
    )


@pytest.mark.parametrize(
    ("entries", "message", "field"),
    [
        (
            {"focus": ("strong", ""), "ambition": ("", "Too cautious")},
            "Choose a rating for ambition, or remove the note",
            "ambition_rating",
        ),
        ({}, "Rate at least one criterion before saving", "focus_rating"),
        ({"focus": ("", "")}, "Rate at least one criterion before saving", "focus_rating"),
    ],
)
def test_the_service_refuses_what_the_checklist_does_not_allow(
    lancashire, negotiator, entries, message, field
):
    with pytest.raises(ServiceError) as refused:
        save(lancashire, negotiator, entries)
    assert (str(refused.value), refused.value.field) == (message, field)
    assert not lancashire.review_ratings.exists()


def test_the_form_shows_the_services_rules_beside_their_fields(lancashire, negotiator):
    form = ReviewForm({"ambition_note": "Too cautious"}, ratings={}, seen="")
    assert not form.is_valid()
    assert form.errors["ambition_rating"] == ["Choose a rating for ambition, or remove the note"]
    save(lancashire, negotiator, {"ambition": ("needs_work", "Too cautious")})
    assert lancashire.review_ratings.get().note == "Too cautious"
