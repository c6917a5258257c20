"""Which self-reports and builds a user may see, enforced in the query (someone else's is a 404)."""

from django.shortcuts import get_object_or_404

from kindergarten_portal.roles import can_read_everything

from .models import RatingBuild, SelfReport


def self_reports_visible_to(user):
    reports = SelfReport.objects.select_related("teacher", "academic_year", "reviewed_by")
    if can_read_everything(user):
        return reports
    if user.is_authenticated:
        return reports.filter(teacher__user=user)
    return reports.none()


def get_self_report_for_user(user, pk):
    return get_object_or_404(self_reports_visible_to(user), pk=pk)


def get_build_for_user(user, pk):
    builds = RatingBuild.objects.select_related("academic_year")
    if not can_read_everything(user):
        builds = builds.none()
    return get_object_or_404(builds, pk=pk)
