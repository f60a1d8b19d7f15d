from django.apps import AppConfig


class FreedomsConfig(AppConfig):
    name = "freedoms"
    verbose_name = "Freedoms and flexibilities"

    def ready(self) -> None:
        from agreements import hooks
        from freedoms import (
            permissions,  # noqa: F401  (registers the rules)
            selectors,
        )
        from freedoms.negotiation import register

        # Negotiation reads and carries the agreement's requests through what this registers.
        register()
        # The agreement's task list has a line for its requests.
        hooks.task_list_section(selectors.requests_task)
