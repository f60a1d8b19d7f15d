from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Status dashboards"

    def ready(self) -> None:
        from dashboards import permissions  # noqa: F401  (registers the rules)
