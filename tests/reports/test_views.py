"""The dashboard, the workbook download, the admin build page and the self-report's way."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from events.models import Level
from portfolios.models import ReportItem, Result
from reports.models import RatingBuild, ScoringRule, SelfReport, SelfReportStatus
from reports.selectors import academic_year_current
from reports.services import rating_build, self_report_get_or_create
from staff.models import Category

from .factories import entry, teacher_with_category


def _today():
    return timezone.localdate()


# ---------------------------------------------------------------- dashboard and downloads


def _staff(count):
    for index in range(count):
        teacher = teacher_with_category([Category.HIGHEST, Category.FIRST][index % 2])
        entry(teacher, ReportItem.COMPETITIONS, level=Level.MUNICIPAL, result=Result.WINNER, day=_today())


@pytest.mark.parametrize("count", [1, 8])
def test_dashboard_query_count_does_not_grow(client, head, django_assert_num_queries, count):
    _staff(count)
    rating_build(year=academic_year_current())
    client.force_login(head)
    client.get(reverse("reports:dashboard"))  # warm the session and the user's groups
    with django_assert_num_queries(12):
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == count


def test_dashboard_shows_rating_categories_coverage_and_charts(client, head, senior):
    _staff(3)
    rating_build(year=academic_year_current(), by=senior)
    client.force_login(head)
    response = client.get(reverse("reports:dashboard"))
    html = response.content.decode()
    assert response.context["category_counts"] == {"highest": 2, "first": 1, "conformity": 0, "none": 0}
    assert response.context["coverage_percent"] == 0  # nobody has a course on record
    assert html.count("<svg") == 3
    assert 'data-test="rating"' in html and "6.0" in html  # municipal winner = 2 × 3
    assert reverse("reports:build_workbook", args=[RatingBuild.objects.get().pk]) in html
    assert "senior" in html  # who built the version


def test_dashboard_without_a_build_says_so(client, head):
    client.force_login(head)
    response = client.get(reverse("reports:dashboard"))
    assert "Рейтинг ещё не сформирован." in response.content.decode()
    assert reverse("admin:reports_ratingbuild_build") not in response.content.decode()


def test_head_downloads_the_latest_version(client, head, senior):
    _staff(2)
    rating_build(year=academic_year_current(), by=senior)
    newest = rating_build(year=academic_year_current(), by=senior)
    client.force_login(head)
    response = client.get(reverse("reports:latest_workbook"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content == newest.workbook.open("rb").read()
    assert load_workbook(io.BytesIO(content)).sheetnames[0]


def test_teacher_cannot_download_the_workbook(client, anna, senior):
    build = rating_build(year=academic_year_current(), by=senior)
    client.force_login(anna)
    assert client.get(reverse("reports:build_workbook", args=[build.pk])).status_code == 403


# ---------------------------------------------------------------- admin: build, read-only head


def test_senior_builds_the_rating_in_the_admin(client, senior):
    _staff(2)
    client.force_login(senior)
    page = client.get(reverse("admin:reports_ratingbuild_build"))
    assert page.status_code == 200
    year = academic_year_current()
    response = client.post(
        reverse("admin:reports_ratingbuild_build"), {"academic_year": year.pk}, follow=True
    )
    build = RatingBuild.objects.get()
    assert build.built_by == senior and build.academic_year == year and build.teachers_count == 2
    assert response.redirect_chain[-1][0] == reverse("admin:reports_ratingbuild_change", args=[build.pk])


def test_head_cannot_build_or_edit(client, head):
    client.force_login(head)
    year = academic_year_current()
    assert (
        client.post(reverse("admin:reports_ratingbuild_build"), {"academic_year": year.pk}).status_code == 403
    )
    assert not RatingBuild.objects.exists()
    rule = ScoringRule.objects.get(item="1.1")
    response = client.post(
        reverse("admin:reports_scoringrule_change", args=[rule.pk]),
        {"item": "1.1", "level": "", "result": "", "min_hours": 0, "points": "99"},
    )
    assert response.status_code == 403
    rule.refresh_from_db()
    assert rule.points == Decimal("5.0")
    changelist = client.get(reverse("admin:reports_ratingbuild_changelist")).content.decode()
    assert reverse("admin:reports_ratingbuild_build") not in changelist
    # the year action is offered to the senior educator only
    listing = client.get(reverse("admin:reports_academicyear_changelist")).content.decode()
    assert "build_rating" not in listing


def test_scoring_table_is_explained_in_the_admin(client, senior):
    client.force_login(senior)
    html = client.get(reverse("admin:reports_scoringrule_changelist")).content.decode()
    assert "самому точному из подходящих" in html
    assert ScoringRule.objects.count() > 50


# ---------------------------------------------------------------- self-report


@pytest.fixture
def annas_year(anna):
    teacher = anna.employee
    entry(teacher, ReportItem.METHODOLOGICAL, level=Level.MUNICIPAL, title="Выступление на ГМО", day=_today())
    entry(teacher, ReportItem.AWARDS, level=Level.REGIONAL, title="Грамота министерства", day=_today())
    return teacher


def test_teacher_opens_her_report_assembled_from_approved_entries(client, anna, annas_year):
    client.force_login(anna)
    response = client.get(reverse("reports:my_self_report"), follow=True)
    html = response.content.decode()
    assert "Выступление на ГМО" in html and "Грамота министерства" in html
    assert response.context["total"] == "6.0"  # 3 (municipal speech) + 3 (regional award)
    report = SelfReport.objects.get()
    assert report.teacher == annas_year and report.academic_year == academic_year_current()


def test_teacher_sees_only_her_own_report(client, anna, boris, annas_year):
    report = self_report_get_or_create(teacher=annas_year, year=academic_year_current())
    client.force_login(boris)
    for name in ("reports:self_report", "reports:self_report_print", "reports:self_report_xlsx"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404
    assert client.post(reverse("reports:self_report_submit", args=[report.pk])).status_code == 404


def test_comments_are_kept_and_submit_needs_a_reflection(client, anna, annas_year):
    report = self_report_get_or_create(teacher=annas_year, year=academic_year_current())
    client.force_login(anna)
    url = reverse("reports:self_report", args=[report.pk])
    client.post(url, {"comment_3.1": "Делилась опытом игровых технологий", "reflection": ""})
    report.refresh_from_db()
    assert report.comments == {"3.1": "Делилась опытом игровых технологий"}

    response = client.post(reverse("reports:self_report_submit", args=[report.pk]), follow=True)
    assert "Прежде чем отправить самоотчёт, напишите итоговый самоанализ." in response.content.decode()
    report.refresh_from_db()
    assert report.status == SelfReportStatus.DRAFT

    client.post(url, {"comment_3.1": "Делилась опытом", "reflection": "Год прошёл продуктивно."})
    client.post(reverse("reports:self_report_submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == SelfReportStatus.SUBMITTED and report.submitted_at
    # submitted: no more changes
    assert client.post(url, {"reflection": "другое"}).status_code == 403


def _submitted(teacher):
    report = self_report_get_or_create(teacher=teacher, year=academic_year_current())
    report.reflection = "Итоги года"
    report.status = SelfReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.save()
    return report


def test_accepted_report_is_frozen(client, anna, senior, annas_year):
    report = _submitted(annas_year)
    client.force_login(senior)
    client.post(reverse("reports:self_report_review", args=[report.pk]), {"decision": "accept"})
    report.refresh_from_db()
    assert report.status == SelfReportStatus.ACCEPTED and report.reviewed_by == senior
    assert report.snapshot["total"] == "6.0"

    # Later: an entry is withdrawn from approval and a new one is approved; the report does not move.
    annas_year.portfolio_entries.filter(title="Грамота министерства").update(status="returned")
    entry(annas_year, ReportItem.COMPETITIONS, level=Level.FEDERAL, result=Result.WINNER, day=_today())
    client.force_login(anna)
    response = client.get(reverse("reports:self_report", args=[report.pk]))
    assert response.context["total"] == "6.0"
    assert "Грамота министерства" in response.content.decode()
    assert response.context["form"] is None


def test_senior_returns_a_report_with_a_comment(client, anna, senior, annas_year):
    report = _submitted(annas_year)
    client.force_login(senior)
    url = reverse("reports:self_report_review", args=[report.pk])
    response = client.post(url, {"decision": "return", "comment": ""}, follow=True)
    assert "Напишите, что педагогу нужно изменить." in response.content.decode()
    client.post(url, {"decision": "return", "comment": "Добавьте комментарий к п. 3.1"})
    report.refresh_from_db()
    assert report.status == SelfReportStatus.RETURNED and report.snapshot is None
    client.force_login(anna)
    html = client.get(reverse("reports:self_report", args=[report.pk])).content.decode()
    assert "Добавьте комментарий к п. 3.1" in html
    assert 'name="comment_3.1"' in html  # editable again


def test_head_cannot_review(client, head, annas_year):
    report = _submitted(annas_year)
    client.force_login(head)
    assert (
        client.post(
            reverse("reports:self_report_review", args=[report.pk]), {"decision": "accept"}
        ).status_code
        == 403
    )
    report.refresh_from_db()
    assert report.status == SelfReportStatus.SUBMITTED


def test_teacher_downloads_her_report_as_xlsx(client, anna, annas_year):
    report = self_report_get_or_create(teacher=annas_year, year=academic_year_current())
    report.comments = {"2": "=Горжусь"}
    report.save()
    client.force_login(anna)
    response = client.get(reverse("reports:self_report_xlsx", args=[report.pk]))
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    titles = [row[1] for row in rows]
    assert "Выступление на ГМО" in titles and "Грамота министерства" in titles
    award = next(row for row in rows if row[1] == "Грамота министерства")
    assert award[6] == 3 and award[7] == "=Горжусь"
    assert isinstance(award[2], datetime.datetime)
    assert ws.freeze_panes == "A2"


def test_print_page_lists_every_item(client, anna, annas_year):
    report = self_report_get_or_create(teacher=annas_year, year=academic_year_current())
    client.force_login(anna)
    html = client.get(reverse("reports:self_report_print", args=[report.pk])).content.decode()
    for item in ReportItem:
        assert f'data-item="{item.value}"' in html
    assert "window.print()" in html


@pytest.mark.parametrize("count", [1, 6])
def test_self_report_list_query_count_does_not_grow(client, senior, django_assert_num_queries, count):
    year = academic_year_current()
    for _n in range(count):
        self_report_get_or_create(teacher=teacher_with_category(), year=year)
    client.force_login(senior)
    client.get(reverse("reports:self_reports"))
    with django_assert_num_queries(6):
        response = client.get(reverse("reports:self_reports"))
    assert len(response.context["reports"]) == count
