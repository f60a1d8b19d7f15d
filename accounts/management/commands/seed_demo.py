from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DemoDataError, demo_seed


class Command(BaseCommand):
    help = "Create demo organisations and one login per role (development only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Create demo data even though DEBUG is off."
        )

    def handle(self, *args, force: bool, **options):
        try:
            results = demo_seed(force=force)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Demo logins, each with the password {settings.DEMO_PASSWORD!r}:")
        for login, created in results:
            state = "created" if created else "already there"
            self.stdout.write(f"  {login.email:<28} {login.description} ({state})")
        if not settings.DEBUG:
            self.stdout.write(self.style.WARNING("Demo data created with DEBUG off."))
