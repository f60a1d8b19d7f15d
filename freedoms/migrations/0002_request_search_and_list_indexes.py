"""A stored search vector for the register of decisions, and indexes for the register's
order, the overdue lists and the round's figures.

On PostgreSQL a trigger keeps `search_vector` up to date on every insert and update, by the
services, the data administration site or a bulk update alike, and a GIN index serves the
search. SQLite has neither: the column is added (and stays empty) and the register searches
the text itself there. The GIN index is left out of the model's state on purpose, so that
SQLite never tries to build it when a later migration rebuilds the table.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations, models

# The same words and weights the register searched before: the subject (A), what is asked
# for and what is in the way (B), and the reason given with the answer (C). The vector is
# worked out again only when one of those changes (or when it is empty).
CREATE_TRIGGER = [
    """
CREATE FUNCTION freedoms_request_search_vector() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.search_vector IS NOT NULL
       AND NEW.title IS NOT DISTINCT FROM OLD.title
       AND NEW.ask IS NOT DISTINCT FROM OLD.ask
       AND NEW.obstacle IS NOT DISTINCT FROM OLD.obstacle
       AND NEW.reason IS NOT DISTINCT FROM OLD.reason THEN
        NEW.search_vector := OLD.search_vector;
        RETURN NEW;
    END IF;
    NEW.search_vector :=
        setweight(to_tsvector('english'::regconfig, COALESCE(NEW.title, '')), 'A')
        || setweight(
            to_tsvector(
                'english'::regconfig,
                COALESCE(NEW.ask, '') || ' ' || COALESCE(NEW.obstacle, '')
            ),
            'B'
        )
        || setweight(to_tsvector('english'::regconfig, COALESCE(NEW.reason, '')), 'C');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER freedoms_request_search_vector
    BEFORE INSERT OR UPDATE ON freedoms_freedomrequest
    FOR EACH ROW EXECUTE FUNCTION freedoms_request_search_vector()
""",
    # The rows already there: the trigger fills each one in.
    "UPDATE freedoms_freedomrequest SET search_vector = NULL",
    "CREATE INDEX request_search_vector ON freedoms_freedomrequest USING gin (search_vector)",
]

DROP_TRIGGER = [
    "DROP INDEX IF EXISTS request_search_vector",
    "DROP TRIGGER IF EXISTS freedoms_request_search_vector ON freedoms_freedomrequest",
    "DROP FUNCTION IF EXISTS freedoms_request_search_vector()",
]


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE_TRIGGER:
            schema_editor.execute(statement, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_TRIGGER:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("freedoms", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="freedomrequest",
            name="search_vector",
            field=SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="freedomrequest",
            index=models.Index(fields=["state", "decided_at"], name="request_state_decided"),
        ),
        migrations.AddIndex(
            model_name="freedomrequest",
            index=models.Index(fields=["state", "due_on"], name="request_state_due"),
        ),
        migrations.AddIndex(
            model_name="freedomrequest",
            index=models.Index(
                fields=[
                    "agreement",
                    "state",
                    "outcome",
                    "department",
                    "submitted_at",
                    "decided_at",
                ],
                name="request_figures",
            ),
        ),
        migrations.AddIndex(
            model_name="freedomrequest",
            index=models.Index(
                condition=models.Q(
                    ("state__in", ["more_information", "on_hold", "with_department", "with_go"])
                ),
                fields=["submitted_at"],
                name="request_open_submitted",
            ),
        ),
        migrations.RunPython(create_trigger, drop_trigger, elidable=False),
    ]
