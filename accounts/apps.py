from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People, organisations and areas"

    def ready(self) -> None:
        from accounts import permissions, signals  # noqa: F401  (registers rules, login log)
        from accounts.sessions import signals as session_signals  # noqa: F401  (sessions kept)
        from accounts.twofactor import signals as two_factor_signals  # noqa: F401  (sign-in)
