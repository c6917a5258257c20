"""The teacher's self-reports of earlier years (read-only) and withdrawing a submitted one."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from reports.models import SelfReport, SelfReportStatus
from reports.services import (
    academic_year_ensure,
    self_report_accept,
    self_report_get_or_create,
    self_report_return,
    self_report_save,
    self_report_submit,
    self_report_withdraw,
)
from staff import academic
from staff.access import staff_record

from .factories import current_year

pytestmark = pytest.mark.django_db


def _submitted(teacher_user, year=None):
    report = self_report_get_or_create(teacher=staff_record(teacher_user), year=year or current_year())
    self_report_save(report=report, by=teacher_user, comments={}, reflection="Итоги года")
    return self_report_submit(report=report, by=teacher_user)


def _last_year():
    return academic_year_ensure(year=academic.AcademicYear(academic.AcademicYear.current().start_year - 1))


def _old_report(teacher, status, **fields):
    """A report of last year, stored as it was left then."""
    return SelfReport.objects.create(
        teacher=teacher,
        academic_year=_last_year(),
        status=status,
        reflection="Прошлый год",
        snapshot={"items": [], "total": "0"} if status == SelfReportStatus.ACCEPTED else None,
        **fields,
    )


# ---------------------------------------------------------------- the service


def test_withdraw_takes_a_submitted_report_back_to_a_draft(anna):
    report = _submitted(anna)
    assert report.submitted_at is not None
    withdrawn = self_report_withdraw(report=report, by=anna)
    report.refresh_from_db()
    assert (withdrawn.status, report.status) == (SelfReportStatus.DRAFT, SelfReportStatus.DRAFT)
    assert report.submitted_at is None
    assert report.reflection == "Итоги года"  # what she wrote stays
    # and she can submit it again
    assert self_report_submit(report=report, by=anna).status == SelfReportStatus.SUBMITTED


@pytest.mark.parametrize("decision", ["accept", "return"])
def test_withdraw_is_refused_once_reviewed(anna, senior, decision):
    report = _submitted(anna)
    if decision == "accept":
        self_report_accept(report=report, reviewer=senior)
    else:
        self_report_return(report=report, reviewer=senior, comment="Добавьте курсы")
    with pytest.raises(ValidationError):
        self_report_withdraw(report=report, by=anna)
    report.refresh_from_db()
    assert report.status == (SelfReportStatus.ACCEPTED if decision == "accept" else SelfReportStatus.RETURNED)


def test_withdraw_of_a_draft_is_refused(anna):
    report = self_report_get_or_create(teacher=staff_record(anna), year=current_year())
    with pytest.raises(ValidationError):
        self_report_withdraw(report=report, by=anna)


def test_only_the_owner_withdraws(anna, boris, senior):
    report = _submitted(anna)
    for someone in (boris, senior):
        with pytest.raises(PermissionDenied):
            self_report_withdraw(report=report, by=someone)
    report.refresh_from_db()
    assert report.status == SelfReportStatus.SUBMITTED


def test_a_report_of_an_earlier_year_cannot_be_withdrawn(anna):
    report = _old_report(staff_record(anna), SelfReportStatus.SUBMITTED, submitted_at=timezone.now())
    with pytest.raises(ValidationError):
        self_report_withdraw(report=report, by=anna)
    report.refresh_from_db()
    assert report.status == SelfReportStatus.SUBMITTED


# ---------------------------------------------------------------- the pages


def test_withdraw_button_takes_it_back(client, anna):
    report = _submitted(anna)
    client.force_login(anna)
    page = client.get(reverse("reports:self_report", args=[report.pk]))
    assert page.context["can_withdraw"] is True
    assert reverse("reports:self_report_withdraw", args=[report.pk]) in page.content.decode()
    response = client.post(reverse("reports:self_report_withdraw", args=[report.pk]))
    assert response["Location"] == reverse("reports:self_report", args=[report.pk])
    report.refresh_from_db()
    assert report.status == SelfReportStatus.DRAFT
    # a draft again: the form is back and the button is gone
    page = client.get(reverse("reports:self_report", args=[report.pk]))
    assert page.context["form"] is not None and page.context["can_withdraw"] is False


def test_others_cannot_withdraw_her_report(client, anna, boris, senior):
    report = _submitted(anna)
    client.force_login(boris)
    assert client.post(reverse("reports:self_report_withdraw", args=[report.pk])).status_code == 404
    client.force_login(senior)
    assert client.post(reverse("reports:self_report_withdraw", args=[report.pk])).status_code == 403
    report.refresh_from_db()
    assert report.status == SelfReportStatus.SUBMITTED


def test_withdraw_after_review_says_why(client, anna, senior):
    report = _submitted(anna)
    self_report_accept(report=report, reviewer=senior)
    client.force_login(anna)
    response = client.post(reverse("reports:self_report_withdraw", args=[report.pk]), follow=True)
    assert len(list(response.context["messages"])) == 1
    report.refresh_from_db()
    assert report.status == SelfReportStatus.ACCEPTED


def test_her_list_shows_every_year_newest_first(client, anna, boris):
    old = _old_report(staff_record(anna), SelfReportStatus.ACCEPTED, reviewed_at=timezone.now())
    this = self_report_get_or_create(teacher=staff_record(anna), year=current_year())
    _old_report(staff_record(boris), SelfReportStatus.ACCEPTED, reviewed_at=timezone.now())
    client.force_login(anna)
    response = client.get(reverse("reports:my_self_reports"))
    assert [r.pk for r in response.context["reports"]] == [this.pk, old.pk]
    assert reverse("reports:self_report", args=[old.pk]) in response.content.decode()


def test_her_list_query_count_is_constant(client, anna, django_assert_num_queries):
    client.force_login(anna)
    url = reverse("reports:my_self_reports")
    self_report_get_or_create(teacher=staff_record(anna), year=current_year())
    client.get(url)
    with django_assert_num_queries(3) as one:
        client.get(url)
    for back in range(1, 6):
        year = academic_year_ensure(
            year=academic.AcademicYear(academic.AcademicYear.current().start_year - back)
        )
        SelfReport.objects.create(teacher=staff_record(anna), academic_year=year)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["reports"]) == 6


@pytest.mark.parametrize("status", [SelfReportStatus.DRAFT, SelfReportStatus.RETURNED])
def test_an_earlier_year_is_read_only_for_her(client, anna, status):
    report = _old_report(staff_record(anna), status)
    client.force_login(anna)
    page = client.get(reverse("reports:self_report", args=[report.pk]))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert 'data-test="earlier-year"' in page.content.decode()
    response = client.post(
        reverse("reports:self_report", args=[report.pk]), {"reflection": "Переписала", "action": "save"}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.reflection == "Прошлый год"
