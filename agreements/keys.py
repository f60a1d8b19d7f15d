"""The key a version's content gives each target, the same in every version: a designated
target's indicator code, a local target's id. Versions, compare and amendment reasons
read items by it."""


def target_key(target) -> str:
    return target.indicator.code if target.indicator_id else f"local:{target.pk}"
