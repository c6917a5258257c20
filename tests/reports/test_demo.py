from django.utils import timezone

from reports import demo
from reports.models import RatingBuild, SelfReport, SelfReportStatus
from staff import demo as staff_demo


def test_demo_closes_the_year_and_runs_twice(db):
    today = timezone.localdate()
    teachers = staff_demo.build(today=today)
    demo.build(today=today, teachers=teachers)
    demo.build(today=today, teachers=teachers)
    assert SelfReport.objects.count() == 20
    statuses = list(SelfReport.objects.values_list("status", flat=True))
    assert statuses.count(SelfReportStatus.DRAFT) == 1
    assert statuses.count(SelfReportStatus.ACCEPTED) == 5
    assert statuses.count(SelfReportStatus.SUBMITTED) == 14
    assert SelfReport.objects.get(teacher=teachers[0]).status == SelfReportStatus.DRAFT
    build = RatingBuild.objects.get()
    assert build.teachers_count == 21 and build.workbook  # the seed's 20 and one on child-care leave


def test_full_demo_workbook_shows_the_year_closed(db, time_machine):
    """seed_demo end to end: 9/10/1, 100% course coverage, a non-empty gratitude list. On a literal
    day: the demo's events are held 12 to 40 days before it, so in the first weeks of September they
    belong to the year before the one whose rating it builds."""
    import datetime
    import io

    from django.core.management import call_command
    from openpyxl import load_workbook

    time_machine.move_to(datetime.datetime(2027, 3, 15, 10, tzinfo=timezone.get_current_timezone()))
    call_command("seed_demo", stdout=io.StringIO())
    build = RatingBuild.objects.get()
    wb = load_workbook(build.workbook.open("rb"))
    categories = {row[0]: row[1] for row in wb["Категории"].iter_rows(values_only=True) if row[0]}
    assert (categories["высшая"], categories["первая"], categories["Молодые педагоги"]) == (9, 10, 1)
    courses = [row[0] for row in wb["Курсы повышения квалификации"].iter_rows(values_only=True)]
    assert "100% педагогов прошли курсовую подготовку" in courses
    gratitude = list(wb["Список на благодарность"].iter_rows(values_only=True))[1:]
    organizers = {row[0] for row in gratitude if row[0]}
    assert len(organizers) >= 3, gratitude
    assert any("Игра – как фактор" in str(cell) for row in gratitude for cell in row)
