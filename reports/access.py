"""Which self-reports and builds a user may see, enforced in the query (someone else's is a 404)."""

from django.shortcuts import get_object_or_404

from kindergarten_portal.access.roles import can_read_everything
from staff.access import self_service_teacher, staff_record

from .models import RatingBuild, SelfReport


def self_reports_visible_to(user):
    reports = SelfReport.objects.select_related("teacher", "academic_year", "reviewed_by")
    if can_read_everything(user):
        return reports
    if staff_record(user) is not None:
        return reports.filter(teacher=self_service_teacher(user))  # a dismissed teacher: 403
    return reports.none()


def get_self_report_for_user(user, pk):
    return get_object_or_404(self_reports_visible_to(user), pk=pk)


def get_build_for_user(user, pk):
    builds = RatingBuild.objects.select_related("academic_year")
    if not can_read_everything(user):
        builds = builds.none()
    return get_object_or_404(builds, pk=pk)
