"""Access-matrix rows for the reports app (collected by tests/test_access_matrix.py)."""

from django.urls import reverse

from reports.services import rating_build, self_report_get_or_create
from staff.access import staff_record
from tests.reports.factories import current_year

READERS_ONLY = dict(anonymous=302, anna=403, boris=403, head=200, senior=200)
ADMIN_VIEW = dict(anonymous=302, anna=302, boris=302, head=200, senior=200)
ADMIN_WRITE = dict(anonymous=302, anna=302, boris=302, head=403, senior=200)
ANNAS_OWN = dict(anonymous=302, anna=200, boris=404, head=200, senior=200)
POST_ONLY = dict(anonymous=405, anna=405, boris=405, head=405, senior=405)


def _build(personas):
    return rating_build(year=current_year(), by=personas["senior"])


def _latest_workbook(personas):
    _build(personas)
    return reverse("reports:latest_workbook")


def _build_workbook(personas):
    return reverse("reports:build_workbook", args=[_build(personas).pk])


def _annas_report(personas):
    return self_report_get_or_create(teacher=staff_record(personas["anna"]), year=current_year())


def _report_url(name):
    def builder(personas):
        return reverse(name, args=[_annas_report(personas).pk])

    builder.__name__ = f"_annas_{name.split(':')[1]}"
    return builder


def _admin_build_change(personas):
    return reverse("admin:reports_ratingbuild_change", args=[_build(personas).pk])


ROWS = [
    ("reports:dashboard", "/reports/", READERS_ONLY),
    ("reports:self_reports", "/reports/self-reports/", READERS_ONLY),
    ("reports:latest_workbook", _latest_workbook, READERS_ONLY),
    (
        "reports:latest_workbook",
        "/reports/workbook/latest/",
        dict(anonymous=302, anna=403, boris=403, head=404, senior=404),
    ),
    ("reports:build_workbook", _build_workbook, READERS_ONLY),
    (
        "reports:my_self_report",
        "/reports/self-report/",
        dict(anonymous=302, anna=302, boris=302, head=404, senior=404),
    ),
    (
        "reports:my_self_reports",
        "/reports/self-report/mine/",
        dict(anonymous=302, anna=200, boris=200, head=404, senior=404),
    ),
    ("reports:self_report", _report_url("reports:self_report"), ANNAS_OWN),
    ("reports:self_report_print", _report_url("reports:self_report_print"), ANNAS_OWN),
    ("reports:self_report_xlsx", _report_url("reports:self_report_xlsx"), ANNAS_OWN),
    ("reports:self_report_review", _report_url("reports:self_report_review"), POST_ONLY),
    ("reports:self_report_withdraw", _report_url("reports:self_report_withdraw"), POST_ONLY),
    ("admin:reports_ratingbuild_changelist", "/admin/reports/ratingbuild/", ADMIN_VIEW),
    ("admin:reports_ratingbuild_change", _admin_build_change, ADMIN_VIEW),
    ("admin:reports_ratingbuild_build", "/admin/reports/ratingbuild/build/", ADMIN_WRITE),
    ("admin:reports_scoringrule_changelist", "/admin/reports/scoringrule/", ADMIN_VIEW),
    ("admin:reports_scoringrule_add", "/admin/reports/scoringrule/add/", ADMIN_WRITE),
    (
        "admin:reports_recommendationcriterion_changelist",
        "/admin/reports/recommendationcriterion/",
        ADMIN_VIEW,
    ),
    ("admin:reports_academicyear_changelist", "/admin/reports/academicyear/", ADMIN_VIEW),
    ("admin:reports_academicyear_add", "/admin/reports/academicyear/add/", ADMIN_WRITE),
    ("admin:reports_selfreport_changelist", "/admin/reports/selfreport/", ADMIN_VIEW),
]
