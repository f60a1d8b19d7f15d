"""The register's search: on PostgreSQL it reads a stored search vector, kept up to date by
the database whichever way a request's words change; on the embedded SQLite database it
searches the same text itself. Either way it finds the same requests here, and a search runs
once per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from freedoms import selectors, services
from freedoms.lifecycle import Move, State
from freedoms.models import FreedomRequest
from tests.freedoms.conftest import move, to_state

# What a search's SQL holds on each database: the stored vector's match, or LIKE.
SEARCH_SQL = "@@" if connection.vendor == "postgresql" else "LIKE"


def found(q: str) -> list[str]:
    return [r.title for r in selectors.register(q=q)]


@pytest.fixture
def relayed(draft, coordinator_lancs, negotiator, official):
    return to_state(
        draft,
        State.RELAYED,
        coordinator=coordinator_lancs,
        negotiator=negotiator,
        official=official,
    )


def test_a_relayed_request_is_found_by_the_words_of_its_text(
    draft, coordinator_lancs, negotiator, official, client, coordinator2
):
    assert found("offending") == []  # a draft is never in the register
    to_state(
        draft,
        State.RELAYED,
        coordinator=coordinator_lancs,
        negotiator=negotiator,
        official=official,
    )
    # A word of the subject, of what is in the way (stemmed), of what is asked for.
    assert found("offending") == [draft.title]
    assert draft.title in found("condition")
    assert draft.title in found("pooled budget")
    client.force_login(coordinator2)
    page = client.get("/freedoms/register/", {"q": "youth offending"}).context["page"]
    assert [r.pk for r in page] == [draft.pk]


def test_the_reason_given_is_searched_too(draft, coordinator_lancs, negotiator, official):
    for step, actor, state, extra in [
        (Move.SUBMIT, coordinator_lancs, State.DRAFT, {}),
        (Move.REFER, negotiator, State.WITH_GO, {}),
        (
            Move.ANSWER,
            official,
            State.WITH_DEPARTMENT,
            {"outcome": "refused", "comment": "The ministerial moratorium forbids it"},
        ),
        (Move.RELAY, negotiator, State.ANSWERED, {}),
    ]:
        draft.refresh_from_db()
        move(draft, actor, step, state, **extra)
    assert found("moratorium") == [draft.title]


def test_a_request_edited_afterwards_is_found_by_its_new_words(relayed):
    # Corrected on the data administration site (a model save)...
    relayed.title = "Merge the skateboard park grants"
    relayed.save()
    assert found("skateboard") == ["Merge the skateboard park grants"]
    assert relayed.pk not in [r.pk for r in selectors.register(q="offending")]
    # ...or by a bulk update that never loads the request.
    FreedomRequest.objects.filter(pk=relayed.pk).update(ask="One velodrome budget")
    assert found("velodrome") == ["Merge the skateboard park grants"]
    # A change of state alone keeps the words.
    FreedomRequest.objects.filter(pk=relayed.pk).update(relay_comment="Noted")
    assert found("skateboard") == ["Merge the skateboard park grants"]


def test_a_request_changed_by_its_area_is_found_by_the_new_words(
    draft, coordinator_lancs, negotiator, official
):
    to_state(
        draft,
        State.MORE_INFORMATION,
        coordinator=coordinator_lancs,
        negotiator=negotiator,
        official=official,
    )
    services.request_update(
        request=draft,
        actor=coordinator_lancs,
        expected_version=draft.version,
        fields=services.RequestFields(
            title="Pool the trampoline grants",
            obstacle_kind="funding_condition",
            obstacle="Separate grant conditions",
            ask="One pooled budget",
        ),
    )
    for step, actor, state, extra in [
        (Move.PROVIDE, coordinator_lancs, State.MORE_INFORMATION, {"comment": "These"}),
        (Move.ANSWER, official, State.WITH_DEPARTMENT, {"outcome": "agreed"}),
        (Move.RELAY, negotiator, State.ANSWERED, {}),
    ]:
        draft.refresh_from_db()
        move(draft, actor, step, state, **extra)
    assert found("trampoline") == ["Pool the trampoline grants"]
    assert found("offending") == []


@pytest.mark.postgres
def test_the_search_reads_the_stored_column_not_the_text(relayed):
    sql = str(selectors.register(q="pooling connexions").query)
    assert '"freedoms_freedomrequest"."search_vector" @@' in sql
    assert "to_tsvector" not in sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'request_search_vector'")
        assert "gin (search_vector)" in cursor.fetchone()[0]


def test_a_search_page_runs_the_search_once(client, coordinator2, relayed):
    client.force_login(coordinator2)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/freedoms/register/", {"q": "pool"}).context["page"]
    assert len(page) == 2  # the demo's Connexions request and this one
    searches = [q["sql"] for q in queries.captured_queries if SEARCH_SQL in q["sql"]]
    assert len(searches) == 1
    assert len(queries.captured_queries) <= 15


def test_each_database_searches_its_own_way(relayed):
    where = str(selectors.register(q="pooling connexions").query).split(" WHERE ", 1)[1]
    if connection.vendor == "postgresql":
        assert "search_vector" in where
    else:  # the column stays empty on SQLite: the text itself is searched
        assert "search_vector" not in where and "LIKE" in where


# The embedded database's search, called directly so that it runs on either database.

CONNEXIONS = "Pool Connexions funding into the children's trust budget"


def text_found(q: str) -> list[str]:
    relayed = FreedomRequest.objects.filter(state=State.RELAYED)
    return [r.title for r in selectors.search_text(relayed, q)]


def test_the_text_search_needs_every_word_somewhere_in_the_request(relayed):
    assert text_found("youth offending") == [relayed.title]  # the subject
    # What is asked for, in any case (the demo's Connexions request pools a budget too).
    assert set(text_found("POOLED budget")) == {relayed.title, CONNEXIONS}
    assert text_found("offending conditions") == [relayed.title]  # and what is in the way
    assert text_found("youth moratorium") == []  # every word, not any
    assert text_found('"youth"  offending,') == [relayed.title]  # quotes and commas ignored


def test_the_text_search_takes_endings_off_as_a_stemmer_would(relayed):
    # "pooling" finds "pooled" (and the demo's "Pool Connexions ..."), "grant" "grants".
    assert relayed.title in text_found("pooling")
    assert text_found("offended grant") == [relayed.title]
    assert set(text_found("pooling")) == set(found("pooling"))


def test_any_word_search_puts_requests_mentioning_most_words_first(relayed):
    relayed_requests = FreedomRequest.objects.filter(state=State.RELAYED)
    titles = [
        r.title for r in selectors.search_any_word(relayed_requests, ["pool", "offending", "youth"])
    ]
    assert titles[0] == relayed.title  # three words
    assert CONNEXIONS in titles  # one
    assert list(selectors.search_any_word(relayed_requests, [])) == []
