from django.apps import AppConfig


class FreedomsConfig(AppConfig):
    name = "freedoms"
    verbose_name = "Freedoms and flexibilities"

    def ready(self) -> None:
        from freedoms import permissions  # noqa: F401  (registers the rules)
        from freedoms.negotiation import register

        # Negotiation reads and carries the agreement's requests through what this registers.
        register()
