from django.db import migrations, models

MISSING = "No caveat was recorded when this target was deferred: say what it waits for."


def give_each_deferred_target_a_caveat(apps, schema_editor):
    """Before the database holds the rule, a deferred target saved without a caveat is
    given one that says so; nothing else about it changes."""
    Target = apps.get_model("agreements", "Target")
    Target.objects.filter(is_deferred=True, caveats="").update(caveats=MISSING)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0003_target_precision_statutory_state_qualitative"),
    ]

    operations = [
        migrations.RunPython(give_each_deferred_target_a_caveat, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="target",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("is_deferred", False),
                    models.Q(("caveats", ""), _negated=True),
                    _connector="OR",
                ),
                name="deferred_target_has_a_caveat",
            ),
        ),
    ]
