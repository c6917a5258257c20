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
    assert build.teachers_count == 20 and build.workbook
