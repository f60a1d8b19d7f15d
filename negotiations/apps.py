from django.apps import AppConfig


class NegotiationsConfig(AppConfig):
    name = "negotiations"
    verbose_name = "Negotiations"

    def ready(self) -> None:
        from negotiations import permissions  # noqa: F401  (registers the rules)

        # The workflow names its effects; the services say what they do.
        from negotiations.services import register_effects

        register_effects()
