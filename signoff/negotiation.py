"""What the sign-off adds to an agreement's negotiation: whose turn it is while it is in
sign-off, whether a version was signed, and the signatures on the agreement's timeline.
Registered with negotiation (negotiations.registry) when the app is ready, so that
negotiation need not import this app."""

from __future__ import annotations

from agreements.models import Agreement
from negotiations import registry
from negotiations.activity import Event, name_of
from signoff.models import Signature
from signoff.selectors import chains_for, version_is_signed, whose_turn_in_sign_off


def signature_events(agreement: Agreement) -> list[Event]:
    signatures = Signature.objects.filter(sign_off__agreement=agreement).select_related(
        "organisation", "recorded_by", "version"
    )
    return [
        Event(
            signature.recorded_at,
            name_of(signature.recorded_by),
            "signature",
            f"{signature.get_step_display()}: {signature.signatory_name} for "
            f"{signature.organisation.name}, version {signature.version.number}"
            + (" (now void)" if signature.voided_at else ""),
        )
        for signature in signatures
    ]


def register() -> None:
    registry.register_sign_off(
        registry.SignOffHooks(
            chains_for=chains_for,
            whose_turn=whose_turn_in_sign_off,
            version_is_signed=version_is_signed,
        )
    )
    registry.register_timeline_source(signature_events)
