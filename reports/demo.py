"""The reports part of the demo kindergarten: the current year closes.

Every teacher's self-report of the current academic year is assembled from whatever approved
entries exist; all but Anna's (left as a draft for her to try) are submitted, five are accepted,
and one rating version is built by the senior educator. Safe to run again: nothing is made twice.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone

from kindergarten_portal.access.roles import SENIOR_EDUCATOR
from portfolios.models import ReportItem
from staff import academic

from .models import RatingBuild, SelfReportStatus
from .services import academic_year_ensure, rating_build, self_report_accept, self_report_get_or_create

REFLECTION = (
    "Год был насыщенным: провела открытый показ, выступила на городском методическом объединении, "
    "воспитанники участвовали в конкурсах. В следующем году планирую обобщить опыт по игровым технологиям."
)
COMMENTS = {
    ReportItem.SELF_EDUCATION.value: "Вебинары и семинары ИМЦ по игровой деятельности.",
    ReportItem.METHODOLOGICAL.value: "Выступление на ГМО воспитателей.",
}
ACCEPTED = 5


def build(*, today, teachers):
    year = academic_year_ensure(year=academic.AcademicYear.of(today))
    senior = get_user_model().objects.filter(groups__name=SENIOR_EDUCATOR).order_by("pk").first()
    now = timezone.now()
    for index, teacher in enumerate(teachers):
        report = self_report_get_or_create(teacher=teacher, year=year)
        if report.status != SelfReportStatus.DRAFT or report.reflection:
            continue
        report.comments = dict(COMMENTS)
        if index == 0:
            report.save(update_fields=["comments", "updated_at"])
            continue
        report.reflection = REFLECTION
        report.status = SelfReportStatus.SUBMITTED
        report.submitted_at = now
        report.full_clean()
        report.save()
        if index <= ACCEPTED:
            self_report_accept(report=report, reviewer=senior)
    if not RatingBuild.objects.filter(academic_year=year).exists():
        rating_build(year=year, by=senior, today=today)
