"""The dashboard, the workbook download, the admin build page and the self-report's way."""

import datetime
import io
import re
import urllib.parse
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from events.models import Level
from portfolios.models import ReportItem, Result
from reports.models import (
    DIRECTION_LABELS,
    AcademicYear,
    RatingBuild,
    ScoringRule,
    SelfReport,
    SelfReportStatus,
)
from reports.services import rating_build, self_report_get_or_create
from staff import academic
from staff.access import staff_record
from staff.models import Category
from tests.factories import EmployeeFactory, TrainingFactory

from .factories import current_year, entry, teacher_with_category


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
    rating_build(year=current_year())
    client.force_login(head)
    client.get(reverse("reports:dashboard"))  # warm the session and the user's groups
    # the figures with only the trainings prefetched (figures_only); the keys and texts of the dues (10)
    with django_assert_num_queries(11):
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == count


def test_dashboard_and_latest_workbook_only_read(client, head):
    """Reading a year that has no record yet stores nothing: the record is made where it is needed."""
    client.force_login(head)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200 and response.context["year"] == academic.AcademicYear.current()
    assert client.get(reverse("reports:latest_workbook")).status_code == 404
    assert not AcademicYear.objects.exists()


def test_dashboard_shows_rating_categories_coverage_and_charts(client, head, senior):
    _staff(3)
    rating_build(year=current_year(), by=senior)
    client.force_login(head)
    response = client.get(reverse("reports:dashboard"))
    html = response.content.decode()
    assert response.context["category_counts"] == {"highest": 2, "first": 1, "none": 0}
    assert 'data-test="titles"' not in html  # no methodologist or mentor: no line naming them
    assert response.context["coverage_percent"] == 0  # nobody has a course on record
    assert html.count("<svg") == 3
    assert 'data-test="rating"' in html and "6.0" in html  # municipal winner = 2 × 3
    assert reverse("reports:build_workbook", args=[RatingBuild.objects.get().pk]) in html
    assert "senior" in html  # who built the version


def test_dashboard_and_workbook_show_the_same_figures(client, head):
    _staff(3)  # highest, first, highest; none with a course
    TrainingFactory(employee=teacher_with_category(Category.FIRST))  # ended 24.01.2025: covered
    EmployeeFactory(experience_start=_today())  # a young teacher without a category
    build = rating_build(year=current_year())
    client.force_login(head)
    context = client.get(reverse("reports:dashboard")).context
    with build.workbook.open("rb") as handle:
        wb = load_workbook(io.BytesIO(handle.read()))
    categories = {row[0]: row[1] for row in wb["Категории"].iter_rows(values_only=True) if row[0]}
    assert context["category_counts"] == {"highest": 2, "first": 2, "none": 1}
    labels = ("высшая", "первая", "без категории")
    assert [categories[label] for label in labels] == [2, 2, 1]
    assert context["young"] == categories["Молодые педагоги"] == 1
    assert (context["covered"], context["staff_total"], context["coverage_percent"]) == (1, 5, 20)
    courses = [row[:2] for row in wb["Курсы повышения квалификации"].iter_rows(values_only=True)]
    assert ("Прошли курсы", "1 / 5") in courses


def test_dashboard_names_the_directions_and_who_built_the_version(client, head, senior):
    senior.first_name, senior.last_name = "Светлана", "Петрова"
    senior.save()
    _staff(2)
    rating_build(year=current_year(), by=senior)
    client.force_login(head)
    html = client.get(reverse("reports:dashboard")).content.decode()
    legend = re.search(r'data-test="directions">(.*?)</p>', html, re.S).group(1)
    for label in DIRECTION_LABELS.values():  # the workbook's headers
        assert str(label) in legend
    version = re.search(r'data-test="version">(.*?)</p>', html, re.S).group(1)
    assert "Светлана Петрова" in version and "senior" not in version
    # each chart's title is shown once: the card's heading, not again as the caption
    assert html.count("<figcaption") == 1  # the rating chart's only
    assert html.count("Мероприятия по месяцам</") == 1


def test_dashboard_rating_chart_says_it_shows_the_first_15(client, head, settings):
    _staff(16)
    rating_build(year=current_year())
    client.force_login(head)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override(settings.LANGUAGE_CODE):  # the request's English does not outlive the test
        response = client.get(reverse("reports:dashboard"))
    assert len(response.context["rating_chart"].bars) == 15
    assert "Rating: total points, the first 15 of 16" in response.content.decode()


def test_dashboard_without_a_build_says_so(client, head):
    client.force_login(head)
    response = client.get(reverse("reports:dashboard"))
    assert "Рейтинг ещё не сформирован." in response.content.decode()
    assert reverse("admin:reports_ratingbuild_build") not in response.content.decode()


def test_head_downloads_the_latest_version(client, head, senior):
    _staff(2)
    rating_build(year=current_year(), by=senior)
    newest = rating_build(year=current_year(), by=senior)
    client.force_login(head)
    response = client.get(reverse("reports:latest_workbook"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content == newest.workbook.open("rb").read()
    assert load_workbook(io.BytesIO(content)).sheetnames[0]


def test_teacher_cannot_download_the_workbook(client, anna, senior):
    build = rating_build(year=current_year(), by=senior)
    client.force_login(anna)
    assert client.get(reverse("reports:build_workbook", args=[build.pk])).status_code == 403


# ---------------------------------------------------------------- admin: build, read-only head


def test_senior_builds_the_rating_in_the_admin(client, senior):
    _staff(2)
    client.force_login(senior)
    page = client.get(reverse("admin:reports_ratingbuild_build"))
    assert page.status_code == 200
    year = current_year()
    response = client.post(
        reverse("admin:reports_ratingbuild_build"), {"academic_year": year.pk}, follow=True
    )
    build = RatingBuild.objects.get()
    assert build.built_by == senior and build.academic_year == year and build.teachers_count == 2
    assert response.redirect_chain[-1][0] == reverse("admin:reports_ratingbuild_change", args=[build.pk])
    message = str(list(response.context["messages"])[0])
    assert re.search(r" \d+,\d\d ", message)  # the time the build took, written the Russian way


def test_admin_build_says_how_long_it_took_in_english(client, senior, settings):
    _staff(3)
    client.force_login(senior)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("admin:reports_ratingbuild_build"), {"academic_year": current_year().pk}, follow=True
    )
    message = str(list(response.context["messages"])[0])
    assert re.fullmatch(
        rf"The rating of {current_year()} is built in \d+\.\d\d s: teachers — 3, entries counted — 3\.",
        message,
    )


def test_head_cannot_build_or_edit(client, head):
    client.force_login(head)
    year = current_year()
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
    teacher = staff_record(anna)
    entry(teacher, ReportItem.METHODOLOGICAL, level=Level.MUNICIPAL, title="Выступление на ГМО", day=_today())
    entry(teacher, ReportItem.AWARDS, level=Level.REGIONAL, title="Грамота министерства", day=_today())
    return teacher


def test_teacher_opens_her_report_assembled_from_approved_entries(client, anna, annas_year):
    client.force_login(anna)
    response = client.get(reverse("reports:my_self_report"), follow=True)
    html = response.content.decode()
    assert "Выступление на ГМО" in html and "Грамота министерства" in html
    assert response.context["total"] == "6.0"  # 3 (municipal speech) + 3 (regional award)
    assert "Итого баллов: 6,0" in response.content.decode()  # shown with the Russian decimal comma
    report = SelfReport.objects.get()
    assert report.teacher == annas_year and report.academic_year == current_year()


def test_teacher_sees_only_her_own_report(client, anna, boris, annas_year):
    report = self_report_get_or_create(teacher=annas_year, year=current_year())
    client.force_login(boris)
    for name in ("reports:self_report", "reports:self_report_print", "reports:self_report_xlsx"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404
    response = client.post(
        reverse("reports:self_report", args=[report.pk]), {"reflection": "чужое", "action": "submit"}
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.reflection == "" and report.status == SelfReportStatus.DRAFT


def test_comments_are_kept_and_submit_needs_a_reflection(client, anna, annas_year):
    report = self_report_get_or_create(teacher=annas_year, year=current_year())
    client.force_login(anna)
    url = reverse("reports:self_report", args=[report.pk])
    html = client.get(url).content.decode()
    form = re.search(r"<form method=\"post\" novalidate>.*?</form>", html, re.S).group()
    for name in ('name="comment_3.1"', 'name="reflection"', 'value="save"', 'value="submit"'):
        assert name in form  # one form, both buttons

    client.post(
        url, {"comment_3.1": "Делилась опытом игровых технологий", "reflection": "", "action": "save"}
    )
    report.refresh_from_db()
    assert report.comments == {"3.1": "Делилась опытом игровых технологий"}
    assert report.status == SelfReportStatus.DRAFT

    # Submitting without a reflection is refused, and nothing she typed is lost: shown again and saved.
    response = client.post(
        url, {"comment_3.1": "Провела мастер-класс", "comment_2": "Грамота", "action": "submit"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Прежде чем отправить самоотчёт, напишите итоговый самоанализ." in html
    assert "Провела мастер-класс" in html and "Грамота</textarea>" in html
    assert response.context["form"].errors["reflection"]
    # ...and the top of the page says in red that the report is saved but not sent, and why.
    message = list(response.context["messages"])[-1]  # the first is the earlier save's, not yet shown
    assert message.level_tag == "error"
    assert "Прежде чем отправить самоотчёт, напишите итоговый самоанализ." in str(message)
    report.refresh_from_db()
    assert report.status == SelfReportStatus.DRAFT
    assert report.comments == {"3.1": "Провела мастер-класс", "2": "Грамота"}

    # Typed and submitted at once: the reflection is saved and the report goes to the senior educator.
    response = client.post(
        url, {"comment_3.1": "Делилась опытом", "reflection": "Год прошёл продуктивно.", "action": "submit"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == SelfReportStatus.SUBMITTED and report.submitted_at
    assert report.reflection == "Год прошёл продуктивно." and report.comments == {"3.1": "Делилась опытом"}
    # submitted: no more changes
    assert client.post(url, {"reflection": "другое"}).status_code == 403
    assert client.post(url, {"reflection": "другое", "action": "submit"}).status_code == 403


def _submitted(teacher):
    report = self_report_get_or_create(teacher=teacher, year=current_year())
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
    # The page comes back with her choice kept: the next click does not accept.
    review_form = response.context["review_form"]
    assert review_form.is_bound and review_form["decision"].value() == "return"
    assert re.search(r'<option value="return"[^>]*selected', response.content.decode())
    response = client.post(url, {"decision": "return", "comment": "   "})
    assert response.status_code == 200 and response.context["review_form"]["comment"].value() == "   "
    report.refresh_from_db()
    assert report.status == SelfReportStatus.SUBMITTED
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
    report = self_report_get_or_create(teacher=annas_year, year=current_year())
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
    # Whose report: in the file name (many land in one folder) and on every printed page.
    year = current_year().label
    assert "Самоотчёт" in ws.oddHeader.center.text and annas_year.full_name in ws.oddHeader.center.text
    assert year in ws.oddHeader.center.text
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=utf-8''" in disposition
    assert urllib.parse.quote(annas_year.surname) in disposition


def test_print_page_lists_every_item(client, anna, annas_year):
    report = self_report_get_or_create(teacher=annas_year, year=current_year())
    client.force_login(anna)
    html = client.get(reverse("reports:self_report_print", args=[report.pk])).content.decode()
    for item in ReportItem:
        assert f'data-item="{item.value}"' in html
    assert "data-print" in html  # static/js/portal.js opens the print dialog
    # Whose report it is on paper: her kindergarten (one of a city's) above the title.
    assert f'id="kindergarten-name">{annas_year.organization.name}</p>' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html  # fits a phone


@pytest.mark.parametrize("count", [1, 8])
def test_self_report_list_query_count_does_not_grow(client, senior, django_assert_num_queries, count):
    year = current_year()
    for _n in range(count):
        self_report_get_or_create(teacher=teacher_with_category(), year=year)
        teacher_with_category()  # has not opened hers
    client.force_login(senior)
    client.get(reverse("reports:self_reports"))
    # The count of the roster, its page, the page's reports and the status counts of the year.
    with django_assert_num_queries(8):
        response = client.get(reverse("reports:self_reports"))
    rows = response.context["rows"]
    assert len(rows) == 2 * count
    assert sum(1 for _teacher, report in rows if report is None) == count


def test_self_report_list_shows_every_teacher_on_the_staff(client, head, anna, boris):
    year = current_year()
    _submitted(staff_record(anna))
    left_before = teacher_with_category(
        surname="Ушедшая", dismissal_date=year.start - datetime.timedelta(days=1)
    )
    left_with_report = teacher_with_category(
        surname="Вернова", dismissal_date=year.start - datetime.timedelta(days=1)
    )
    self_report_get_or_create(teacher=left_with_report, year=year)
    client.force_login(head)
    response = client.get(reverse("reports:self_reports"))
    rows = {teacher.surname: report for teacher, report in response.context["rows"]}
    assert set(rows) == {"Антонова", "Борисова", "Вернова"}
    assert rows["Антонова"].status == SelfReportStatus.SUBMITTED
    assert rows["Борисова"] is None and rows["Вернова"].status == SelfReportStatus.DRAFT
    assert left_before.surname not in response.content.decode()
    assert response.content.decode().count('data-test="not-started"') == 1
    counts = dict(response.context["counts"])
    assert list(counts.values()) == [1, 1, 1, 0, 0]  # not started, draft, submitted, returned, accepted


def test_self_report_list_chooses_the_year(client, head, anna, boris):
    current = current_year()
    last = AcademicYear.objects.create(start_year=current.start_year - 1)
    AcademicYear.objects.create(start_year=current.start_year - 2)  # nothing in it: not offered
    built = AcademicYear.objects.create(start_year=current.start_year - 3)
    rating_build(year=built, workbook=False)
    old = self_report_get_or_create(teacher=staff_record(anna), year=last)
    client.force_login(head)

    response = client.get(reverse("reports:self_reports"))
    assert response.context["year"] == current
    assert [y.label for y in response.context["years"]] == [current.label, last.label, built.label]
    assert all(report is None for _teacher, report in response.context["rows"])

    # On 1 September last year's reports do not disappear: the year is one choice away.
    response = client.get(reverse("reports:self_reports"), {"year": last.label})
    assert response.context["year"] == last
    rows = {teacher.surname: report for teacher, report in response.context["rows"]}
    assert rows == {"Антонова": old, "Борисова": None}
    html = response.content.decode()
    assert reverse("reports:self_report", args=[old.pk]) in html
    assert f'<option value="{last.label}" selected>' in html

    for bad in ["1999/2000", "abc", f"{current.start_year - 2}/{current.start_year - 1}"]:
        assert client.get(reverse("reports:self_reports"), {"year": bad}).status_code == 404
