"""Writes with rules: the academic year's record, building a rating version, and the self-report's
way from draft to accepted."""

import csv
import io
import json
import operator

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kindergarten_portal.models import Organization
from portfolios.models import ReportItem
from staff import academic

from .exports import rating_workbook
from .models import AcademicYear, RatingBuild, RatingRow, SelfReport, SelfReportStatus
from .scoring import criteria_by_outcome, rating_rank, rating_recommend
from .selectors.rating import as_of_for, rating_lines
from .selectors.self_reports import self_report_live_content

# ---------------------------------------------------------------- academic years


def academic_year_ensure(*, year: academic.AcademicYear) -> AcademicYear:
    """The stored record of the academic year, created on first use (self-reports and rating builds
    belong to it)."""
    record, _created = AcademicYear.objects.get_or_create(start_year=year.start_year)
    return record


# ---------------------------------------------------------------- rating


@transaction.atomic
def rating_build(
    *, year: AcademicYear, by=None, today=None, workbook: bool = True, organization=None
) -> RatingBuild:
    """Build a new version of the year's rating (rows per teacher) and, unless told not to, its
    workbook. Earlier versions stay as they were. Returns the new build."""
    as_of = as_of_for(year, today)
    # The kindergarten whose teachers it ranks (the portal's own while it serves one).
    kindergarten = organization or Organization.objects.own_or_create()
    rows, entries_count = rating_lines(year=year, as_of=as_of, organization=kindergarten)
    rows = rating_rank(rating_recommend(rows, criteria=criteria_by_outcome(kindergarten)))
    build = RatingBuild(
        organization=kindergarten,
        academic_year=year,
        built_by=by,
        as_of=as_of,
        teachers_count=len(rows),
        entries_count=entries_count,
    )
    build.full_clean(exclude=["workbook", "organization"])  # the kindergarten was just read
    build.save()
    _rating_rows_insert(build, rows)
    if workbook:
        rating_build_store_workbook(build=build)
    return build


def _rating_rows_insert(build, lines):
    """Store a build's lines: COPY on PostgreSQL (a city has thousands), bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        RatingRow.objects.bulk_create([line.as_row(build) for line in lines], batch_size=500)
        return
    fields = [f for f in RatingRow._meta.concrete_fields if not f.primary_key and f.attname != "build_id"]
    read = operator.attrgetter(*(f.attname for f in fields))
    json_at = [index + 1 for index, f in enumerate(fields) if isinstance(f, models.JSONField)]
    encoded = {}  # id of a JSON value -> its text: lines share their criteria (see rating_recommend)

    def values():
        for line in lines:
            row = [build.pk, *read(line)]
            for index in json_at:
                text = encoded.get(id(row[index]))
                if text is None:
                    text = encoded[id(row[index])] = json.dumps(row[index])
                row[index] = text
            yield row

    columns = ", ".join(
        connection.ops.quote_name(f.column) for f in [RatingRow._meta.get_field("build"), *fields]
    )
    table = connection.ops.quote_name(RatingRow._meta.db_table)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)",
            CsvReader(values()),
            CsvReader.CHUNK,
        )


class CsvReader:
    """The file COPY reads: CSV written from the rows as it asks for the next chunk.

    The database parses and stores one chunk while Python writes the next (two processes at work
    rather than one after the other), and the whole CSV is never held in memory.
    """

    CHUNK = 64 * 1024

    def __init__(self, rows):
        self.rows = iter(rows)

    def read(self, size=CHUNK):
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)  # all quoted: "" is an empty string, never NULL
        for row in self.rows:
            writer.writerow(row)
            if buffer.tell() >= size:
                break
        return buffer.getvalue()


def rating_build_store_workbook(*, build: RatingBuild) -> RatingBuild:
    """Write the build's workbook and keep it with the build (what the head downloads)."""
    content = rating_workbook(build)
    stamp = timezone.localtime(build.built_at).strftime("%Y%m%d-%H%M%S")
    year = build.academic_year
    name = f"rating-{year.start.year}-{year.end.year}-{stamp}-{build.pk}.xlsx"
    build.workbook.save(name, ContentFile(content), save=False)
    build.save(update_fields=["workbook"])
    return build


# ---------------------------------------------------------------- self-reports


def self_report_get_or_create(*, teacher, year: AcademicYear) -> SelfReport:
    """The teacher's report of the year, started as a draft on first use."""
    report, _created = SelfReport.objects.select_related("teacher", "academic_year").get_or_create(
        teacher=teacher, academic_year=year
    )
    return report


def _check_owner(report, by):
    if report.teacher.user_id is None or report.teacher.user_id != by.pk:
        raise PermissionDenied


def self_report_save(*, report: SelfReport, by, comments: dict, reflection: str) -> SelfReport:
    """Keep the teacher's comments per item and her reflection; only while draft or returned."""
    _check_owner(report, by)
    if not report.is_editable:
        raise ValidationError(_("This self-report is under review or accepted and can no longer be changed."))
    items = {item.value for item in ReportItem}
    report.comments = {
        key: value.strip() for key, value in comments.items() if key in items and value.strip()
    }
    report.reflection = reflection.strip()
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def self_report_submit(*, report: SelfReport, by) -> SelfReport:
    """Send the report to the senior educator; it needs a closing reflection."""
    _check_owner(report, by)
    report = (
        SelfReport.objects.select_for_update().select_related("teacher", "academic_year").get(pk=report.pk)
    )
    if not report.is_editable:
        raise ValidationError(_("This self-report has already been submitted."))
    if not report.reflection.strip():
        raise ValidationError({"reflection": _("Write the closing reflection before submitting.")})
    report.status = SelfReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def self_report_withdraw(*, report: SelfReport, by) -> SelfReport:
    """Take a submitted report back to a draft, by its owner, while the senior educator has not
    reviewed it yet (accepted or returned reports stay as they are). Returns the draft."""
    _check_owner(report, by)
    report = (
        SelfReport.objects.select_for_update().select_related("teacher", "academic_year").get(pk=report.pk)
    )
    if report.status != SelfReportStatus.SUBMITTED:
        raise ValidationError(
            _("Only a submitted self-report that the senior educator has not reviewed yet can be withdrawn.")
        )
    if not report.academic_year.is_current:
        raise ValidationError(_("A self-report of an earlier year can no longer be changed."))
    report.status = SelfReportStatus.DRAFT
    report.submitted_at = None
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def self_report_accept(*, report: SelfReport, reviewer) -> SelfReport:
    """Accept a submitted report and freeze it: its lines are stored as they read now."""
    report = (
        SelfReport.objects.select_for_update().select_related("teacher", "academic_year").get(pk=report.pk)
    )
    if report.status != SelfReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted self-report can be accepted."))
    report.snapshot = self_report_live_content(teacher=report.teacher, year=report.academic_year)
    report.status = SelfReportStatus.ACCEPTED
    report.reviewed_at = timezone.now()
    report.reviewed_by = reviewer
    report.review_comment = ""
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def self_report_return(*, report: SelfReport, reviewer, comment: str) -> SelfReport:
    """Return a submitted report to the teacher with what to change."""
    report = (
        SelfReport.objects.select_for_update().select_related("teacher", "academic_year").get(pk=report.pk)
    )
    if report.status != SelfReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted self-report can be returned."))
    if not comment.strip():
        raise ValidationError(_("Say what the teacher should change."))
    report.status = SelfReportStatus.RETURNED
    report.reviewed_at = timezone.now()
    report.reviewed_by = reviewer
    report.review_comment = comment.strip()
    report.full_clean()
    report.save()
    return report
