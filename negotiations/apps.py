from django.apps import AppConfig


class NegotiationsConfig(AppConfig):
    name = "negotiations"
    verbose_name = "Negotiations"

    def ready(self) -> None:
        from negotiations import permissions  # noqa: F401  (registers the rules)

        # The workflow names its effects; the services say what they do.
        from negotiations.services import register_effects

        register_effects()

        # A removed target's comments keep its label: agreements calls this before removing it.
        from agreements.hooks import agreement_turns, before_target_removed, on_items_changed
        from negotiations.amendments import amendment_reason_note
        from negotiations.selectors import whose_turns, with_turn
        from negotiations.services import comments_keep_anchor

        before_target_removed(comments_keep_anchor)
        # The reason given for a change of a signed agreement is the amendment's reason.
        on_items_changed(amendment_reason_note)
        # The list of agreements says whose turn each is, as negotiation reads it.
        agreement_turns(annotate=with_turn, read=whose_turns)
        # And where each stands against its round's timetable.
        from agreements.hooks import agreement_milestones
        from negotiations.timetable import next_milestones_of, overdue_agreements, with_progress

        agreement_milestones(
            read=next_milestones_of, overdue=overdue_agreements, annotate=with_progress
        )
