"""Build a new version of an academic year's category rating, as the admin's build page does."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from kindergarten_portal.tenancy import KindergartenCommand
from reports.exports import rating_workbook
from reports.services import academic_year_ensure, rating_build
from staff.academic import AcademicYear


class Command(KindergartenCommand):
    help = "Build the category rating of an academic year (a new version) and optionally save its workbook."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--year", help='Academic year such as "2025/2026"; the current one if omitted.')
        parser.add_argument("--output", help="Also write the workbook to this .xlsx file.")

    def handle(self, *args, kindergarten, year=None, output=None, **options):
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
        build = rating_build(year=academic_year, organization=kindergarten)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "The rating of %(year)s for %(kindergarten)s is built (version %(version)d): teachers — "
                    "%(teachers)d, entries counted — %(entries)d."
                )
                % {
                    "year": academic_year,
                    "kindergarten": kindergarten,
                    "version": build.pk,
                    "teachers": build.teachers_count,
                    "entries": build.entries_count,
                }
            )
        )
        if output:
            path = Path(output)
            with path.open("wb") as handle:
                rating_workbook(build, out=handle)
            self.stdout.write(_("The workbook is written to %(path)s.") % {"path": path})
