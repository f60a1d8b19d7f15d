from django.apps import AppConfig


class SignoffConfig(AppConfig):
    name = "signoff"
    verbose_name = "Sign-off"

    def ready(self) -> None:
        from signoff import permissions  # noqa: F401  (registers the rules)

        # The workflow names the sign-off effects of its transitions; this app does them.
        from signoff.services import register_effects

        register_effects()

        # The agreement's timeline shows the signatures through what this registers.
        from signoff.negotiation import register

        register()
