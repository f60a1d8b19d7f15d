from decimal import Decimal

from agreements import services
from agreements.models import Agreement, Target
from indicators.models import Indicator


def designated_fields(code: str, **extra) -> services.TargetFields:
    values = {
        "indicator": Indicator.objects.get(code=code),
        "baseline_value": Decimal("10"),
        "baseline_year": "2007/08",
        "yearly_values": (Decimal("11"), Decimal("12"), Decimal("13")),
    }
    values.update(extra)
    return services.TargetFields(**values)


def free_designated_codes(agreement: Agreement, count: int) -> list[str]:
    used = set(agreement.targets.exclude(indicator=None).values_list("indicator_id", flat=True))
    entries = agreement.round.catalogue.filter(is_statutory=False).exclude(indicator_id__in=used)
    return list(
        entries.order_by("indicator__number").values_list("indicator__code", flat=True)[:count]
    )


def fill_designated(agreement: Agreement, actor, count: int) -> list[Target]:
    return [
        services.target_create(
            agreement=agreement, actor=actor, kind="designated", fields=designated_fields(code)
        )
        for code in free_designated_codes(agreement, count)
    ]
