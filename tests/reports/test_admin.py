"""The reports admin: what may not be deleted, and the columns' own headers."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from reports.models import RatingBuild, SelfReport, SelfReportStatus
from reports.services import rating_build, self_report_accept, self_report_get_or_create
from staff.access import staff_record
from tests.reports.factories import current_year


@pytest.fixture
def year(db):
    return current_year()


def test_rating_version_cannot_be_deleted(admin_client, year):
    build = rating_build(year=year)
    url = reverse("admin:reports_ratingbuild_delete", args=[build.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    response = admin_client.post(
        reverse("admin:reports_ratingbuild_changelist"),
        {"action": "delete_selected", "_selected_action": [build.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert RatingBuild.objects.filter(pk=build.pk).exists()


def _report(teacher):
    report = self_report_get_or_create(teacher=teacher, year=current_year())
    report.reflection = "Итоги года"
    report.status = SelfReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.save()
    return report


def test_accepted_self_report_cannot_be_deleted(admin_client, anna, boris, senior):
    accepted = self_report_accept(report=_report(staff_record(anna)), reviewer=senior)
    submitted = _report(staff_record(boris))
    url = reverse("admin:reports_selfreport_delete", args=[accepted.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    # no bulk delete either, which would not look at the status
    changelist = reverse("admin:reports_selfreport_changelist")
    assert "delete_selected" not in admin_client.get(changelist).content.decode()
    admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [accepted.pk], "post": "yes"}
    )
    assert SelfReport.objects.filter(pk=accepted.pk).exists()
    # one not yet accepted may still go
    admin_client.post(reverse("admin:reports_selfreport_delete", args=[submitted.pk]), {"post": "yes"})
    assert not SelfReport.objects.filter(pk=submitted.pk).exists()


def test_academic_year_columns_have_their_own_headers(admin_client, year, settings):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override(settings.LANGUAGE_CODE):  # the request's English does not outlive the test
        html = admin_client.get(reverse("admin:reports_academicyear_changelist")).content.decode()
    for header in ("Year starts", "Year ends", "Current year"):
        assert header in html
