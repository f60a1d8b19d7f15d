from django.apps import AppConfig


class SignoffConfig(AppConfig):
    name = "signoff"
    verbose_name = "Sign-off"

    def ready(self) -> None:
        # The workflow names the sign-off effects of its transitions; this app does them.
        from signoff.services import register_effects

        register_effects()
