from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and invitations"

    def ready(self) -> None:
        from people import permissions  # noqa: F401  (registers the rules)
