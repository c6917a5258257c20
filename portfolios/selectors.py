"""Reads of portfolio data shared by the teacher's pages, the review queue, the mini-site and reports."""

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django_scopes import scopes_disabled

from events.models import Participation
from staff.academic import AcademicYear
from staff.models import Employee

from .models import ITEM_ORDER, EntryStatus, EvidenceFile, MiniSite, PortfolioEntry, ReportItem


def group_by_item(entries):
    """[(ReportItem, [entries…]), …] in the order of the self-report, items without entries left out."""
    grouped = {}
    for entry in entries:
        grouped.setdefault(entry.item, []).append(entry)
    return [(ReportItem(value), grouped[value]) for value in ITEM_ORDER if value in grouped]


def portfolio_years(*, teacher) -> list[AcademicYear]:
    """Academic years in which the teacher has entries, and the current one (newest first)."""
    months = (
        PortfolioEntry.objects.filter(teacher=teacher)
        .exclude(status=EntryStatus.WITHDRAWN)
        .dates("date", "month")
    )
    years = {AcademicYear.of(month) for month in months} | {AcademicYear.current()}
    return sorted(years, reverse=True)


def portfolio_of(*, teacher, year: AcademicYear):
    """The teacher's entries of one academic year, each with `files_count`, by self-report item
    (one query: her list shows how many files an entry has, not the files)."""
    entries = (
        PortfolioEntry.objects.filter(teacher=teacher)
        .of_academic_year(year)
        .exclude(status=EntryStatus.WITHDRAWN)
        .annotate(files_count=Count("evidence_files"))
        .select_related("confirmed_by")
        .order_by("date", "pk")
    )
    return group_by_item(entries)


def earlier_entries(*, teacher):
    """The approved entries of the teacher's earlier staff records (a kindergarten she left, hers
    through her account), newest first, with the kindergarten that verified each and `carried`: she
    has carried it to `teacher`, her current record, already. Her old kindergartens are outside the
    request's scope: a deliberate read across kindergartens, of her own rows only (the queryset is
    made unscoped; it is read where it is paged)."""
    with scopes_disabled():
        return (
            PortfolioEntry.objects.filter(
                teacher__user_id=teacher.user_id, status=EntryStatus.APPROVED, teacher__user__isnull=False
            )
            .exclude(teacher=teacher)
            .select_related("teacher__organization", "confirmed_by")
            .annotate(
                files_count=Count("evidence_files"),
                carried=Exists(
                    PortfolioEntry._base_manager.filter(teacher=teacher, carried_from=OuterRef("pk"))
                ),
            )
            .order_by("-date", "-pk")
        )


def review_queue():
    """Submitted entries, oldest submission first, with teacher and evidence files (for previews)."""
    return (
        PortfolioEntry.objects.filter(status=EntryStatus.SUBMITTED)
        .select_related("teacher")
        .prefetch_related(
            Prefetch("evidence_files", queryset=EvidenceFile.objects.select_related("duplicate_of__entry"))
        )
        .order_by("submitted_at", "pk")
    )


def minisites_published():
    """Published mini-sites of current staff with what the index shows (teacher, her groups)."""
    return (
        MiniSite.objects.filter(published=True, teacher__in=Employee.objects.current())
        .select_related("teacher")
        .prefetch_related("teacher__groups")
        .order_by("teacher__surname", "teacher__name")
    )


def minisite_public_entries(*, teacher):
    """Approved public entries of a teacher, grouped by academic year (newest first) and item."""
    entries = (
        PortfolioEntry.objects.filter(teacher=teacher, status=EntryStatus.APPROVED, is_public=True)
        .prefetch_related("evidence_files")
        .order_by("-date", "pk")
    )
    by_year = {}
    for entry in entries:
        by_year.setdefault(entry.academic_year, []).append(entry)
    return [(year, group_by_item(items)) for year, items in by_year.items()]


def minisite_teacher(*, site):
    """The teacher of a mini-site with what her public card shows (groups, category decisions)."""
    return Employee.objects.prefetch_related("groups", "category_decisions").get(pk=site.teacher_id)


def sharing_account_of(*, entry) -> str:
    """The teacher's own account of how she shared the experience, for an entry derived from it
    (what the senior educator verifies); "" for any other entry."""
    if entry.source_type != "events.sharing":
        return ""
    return (
        Participation.objects.filter(pk=entry.source_id).values_list("sharing_account", flat=True).first()
        or ""
    )


def entries_returned(*, teacher):
    """The teacher's entries returned to her with the reviewer's comment, the latest return first;
    each with `returned_at`. One query."""
    return (
        PortfolioEntry.objects.filter(teacher=teacher, status=EntryStatus.RETURNED)
        .annotate(
            returned_at=Max("status_changes__at", filter=Q(status_changes__to_status=EntryStatus.RETURNED))
        )
        .order_by("-returned_at", "-pk")
    )


def entries_awaiting_review_count() -> int:
    """How many entries wait in the senior educator's review queue."""
    return PortfolioEntry.objects.filter(status=EntryStatus.SUBMITTED).count()
