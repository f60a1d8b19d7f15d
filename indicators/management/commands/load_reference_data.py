from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.reference_data import REFDATA_DIR, ReferenceDataError, load


class Command(BaseCommand):
    help = (
        "Load the National Indicator Set, statutory education targets, departments, "
        "Government Offices, the 150 areas and the rounds. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory", default=str(REFDATA_DIR), help="Folder holding the reference files."
        )

    def handle(self, *args, directory: str, **options):
        try:
            report = load(Path(directory))
        except ReferenceDataError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                "Reference data loaded." if report.changed else "Reference data already up to date."
            )
        )
