from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import DemoDataError, demo_seed
from portal.national import seed_national


class Command(BaseCommand):
    help = "Create demo organisations and one login per role (development only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Create demo data even though DEBUG is off."
        )
        parser.add_argument(
            "--national",
            action="store_true",
            help="Also give every area its 2008-11 agreement, at some stage of the negotiation, "
            "with its people, versions, comments and requests.",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="With --national: N > 1 adds N-1 synthetic copies of every area (default 1).",
        )
        parser.add_argument(
            "--areas",
            type=int,
            default=None,
            help="With --national: only the first K areas by name (and their copies).",
        )

    def handle(self, *args, force: bool, national: bool, scale: int, areas, **options):
        if scale < 1:
            raise CommandError("--scale is at least 1.")
        if areas is not None and areas < 1:
            raise CommandError("--areas is at least 1.")
        try:
            results = demo_seed(force=force)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Demo logins, each with the password {settings.DEMO_PASSWORD!r}:")
        for login, created in results:
            state = "created" if created else "already there"
            self.stdout.write(f"  {login.email:<28} {login.description} ({state})")
        if national:
            self.stdout.write("National round (the same password for every login):")
            seed_national(scale=scale, areas=areas, stdout=self.stdout)
        if not settings.DEBUG:
            self.stdout.write(self.style.WARNING("Demo data created with DEBUG off."))
