"""Build a new version of an academic year's category rating, as the admin's build page does."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.exports import rating_workbook
from reports.services import academic_year_ensure, rating_build
from staff.academic import AcademicYear


class Command(BaseCommand):
    help = "Build the category rating of an academic year (a new version) and optionally save its workbook."

    def add_arguments(self, parser):
        parser.add_argument("--year", help='Academic year such as "2025/2026"; the current one if omitted.')
        parser.add_argument("--output", help="Also write the workbook to this .xlsx file.")

    def handle(self, *args, year=None, output=None, **options):
        if year:
            try:
                period = AcademicYear.from_label(year)
            except ValueError as exc:
                raise CommandError(f'--year must look like "2025/2026", got {year!r}') from exc
        else:
            period = AcademicYear.current()
        if output and not output.lower().endswith(".xlsx"):
            raise CommandError("--output must name an .xlsx file")
        academic_year = academic_year_ensure(year=period)
        build = rating_build(year=academic_year)
        self.stdout.write(
            self.style.SUCCESS(
                f"Rating {academic_year} built (version {build.pk}): "
                f"{build.teachers_count} teachers, {build.entries_count} entries counted."
            )
        )
        if output:
            path = Path(output)
            with path.open("wb") as handle:
                rating_workbook(build, out=handle)
            self.stdout.write(f"Workbook written to {path}")
