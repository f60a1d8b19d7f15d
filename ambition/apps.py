from django.apps import AppConfig


class AmbitionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ambition"
    verbose_name = "Ambition in context"

    def ready(self) -> None:
        from ambition import permissions  # noqa: F401  (registers the rules)
