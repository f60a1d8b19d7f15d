"""Fill the signed targets table from every agreement's signed version, as
`agreements.services.signed_targets_record` writes it when a version is signed.

The row is built here from the frozen content as that service builds it today, so that the
migration reads the same whatever the service later becomes."""

from django.db import migrations

CHUNK = 50


def _row(SignedTarget, agreement, version_id, position, entry, years, indicators):
    code = entry.get("code") or ""
    baseline, places = entry.get("baseline_value"), entry.get("baseline_places")
    return SignedTarget(
        agreement_id=agreement[0],
        version_id=version_id,
        round_id=agreement[1],
        area_id=agreement[2],
        position=position,
        key=entry.get("key") or "",
        code=code,
        indicator_id=indicators.get(code),
        kind=entry.get("kind") or "",
        units=entry.get("units") or "",
        indicator_units=entry.get("indicator_units") or "",
        baseline_value=None if baseline is None else str(baseline),
        baseline_places=places if type(places) is int else None,
        yearly_values=[
            str(value) if value not in (None, "") else ""
            for value in entry.get("yearly_values") or []
        ],
        is_qualitative=bool(entry.get("is_qualitative")),
        caveats=entry.get("caveats") or "",
        status=entry.get("status") or "",
        years=years,
        entry=entry,
    )


def fill(apps, schema_editor):
    Agreement = apps.get_model("agreements", "Agreement")
    SignedTarget = apps.get_model("agreements", "SignedTarget")
    Indicator = apps.get_model("indicators", "Indicator")
    Version = apps.get_model("negotiations", "Version")
    indicators = dict(Indicator.objects.values_list("code", "pk"))
    signed = list(
        Agreement.objects.filter(signed_version__isnull=False)
        .order_by("pk")
        .values_list("pk", "round_id", "area_id", "signed_version_id")
    )
    SignedTarget.objects.all().delete()
    for start in range(0, len(signed), CHUNK):
        chunk = signed[start : start + CHUNK]
        contents = dict(
            Version.objects.filter(pk__in=[row[3] for row in chunk]).values_list("pk", "content")
        )
        rows = []
        for agreement in chunk:
            content = contents.get(agreement[3]) or {}
            for position, entry in enumerate(content.get("targets") or []):
                rows.append(
                    _row(
                        SignedTarget,
                        agreement,
                        agreement[3],
                        position,
                        entry,
                        content.get("years"),
                        indicators,
                    )
                )
        SignedTarget.objects.bulk_create(rows, batch_size=500)


def empty(apps, schema_editor):
    apps.get_model("agreements", "SignedTarget").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0006_signed_target"),
        ("indicators", "0007_statistical_neighbours"),
        ("negotiations", "0005_referral_draft"),
    ]

    operations = [migrations.RunPython(fill, empty)]
