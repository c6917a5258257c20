"""The office's lists show a page, or the first rows, whatever the size of the network."""

from django.urls import reverse

from portfolios.models import ReportItem
from reports.admin import RATING_ROWS_SHOWN
from reports.models import RatingBuild, SelfReportStatus
from reports.services import rating_build, self_report_get_or_create
from reports.views import DASHBOARD_RATING_ROWS, ROSTER_PAGE_SIZE
from tests.factories import EmployeeFactory

from .factories import current_year, entry


def test_self_report_list_is_paged_and_counts_the_whole_roster(client, senior):
    year = current_year()
    teachers = [EmployeeFactory(surname=f"Педагог{n:03d}") for n in range(ROSTER_PAGE_SIZE + 3)]
    for teacher in teachers[:2] + teachers[-1:]:
        self_report_get_or_create(teacher=teacher, year=year)
    client.force_login(senior)
    response = client.get(reverse("reports:self_reports"))
    assert len(response.context["rows"]) == ROSTER_PAGE_SIZE
    assert response.context["rows"][0][0] == teachers[0] and response.context["rows"][0][1] is not None
    counts = [count for _label, count in response.context["counts"]]
    assert counts[0] == ROSTER_PAGE_SIZE  # not started: 53 teachers, 3 reports
    assert counts[1 + [v for v, _l in SelfReportStatus.choices].index(SelfReportStatus.DRAFT)] == 3
    html = response.content.decode()
    assert 'data-test="pager"' in html and "year=" in html and "page=2" in html
    second = client.get(reverse("reports:self_reports"), {"year": year.label, "page": 2})
    rows = second.context["rows"]
    assert [teacher for teacher, _report in rows] == teachers[ROSTER_PAGE_SIZE:]
    assert rows[-1][1] is not None and rows[0][1] is None


def test_dashboard_shows_the_first_rows_and_points_to_the_workbook(client, head):
    year = current_year()
    for n in range(DASHBOARD_RATING_ROWS + 2):
        teacher = EmployeeFactory(surname=f"Педагог{n:03d}")
        entry(teacher, ReportItem.AWARDS, day=year.start)
    rating_build(year=year)
    client.force_login(head)
    response = client.get(reverse("reports:dashboard"))
    assert len(response.context["rows"]) == DASHBOARD_RATING_ROWS
    assert response.context["rated"] == DASHBOARD_RATING_ROWS + 2
    assert 'data-test="rating-more"' in response.content.decode()


def test_admin_build_page_shows_the_first_rows(client, senior):
    year = current_year()
    for n in range(RATING_ROWS_SHOWN + 1):
        EmployeeFactory(surname=f"Педагог{n:03d}")
    build = rating_build(year=year)
    client.force_login(senior)
    response = client.get(reverse("admin:reports_ratingbuild_change", args=[build.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('class="field-teacher_name"') == RATING_ROWS_SHOWN
    assert RatingBuild.objects.get().rows.count() == RATING_ROWS_SHOWN + 1
