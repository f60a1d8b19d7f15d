from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Read API"

    def ready(self) -> None:
        from api import (
            permissions,  # noqa: F401  (registers the rules)
            schema,  # noqa: F401  (describes the token authentication)
        )
