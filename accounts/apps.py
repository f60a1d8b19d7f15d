from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People, organisations and areas"

    def ready(self) -> None:
        from accounts import signals  # noqa: F401  (connects the login log)
