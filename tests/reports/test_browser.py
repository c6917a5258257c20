"""End to end: the senior educator builds the rating; the head opens the dashboard and downloads it;
the reports pages fit a phone."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from events.models import Level
from kindergarten_portal.access.roles import HEAD, SENIOR_EDUCATOR
from portfolios.models import ReportItem, Result
from reports.models import RatingBuild
from reports.services import rating_build
from staff.access import staff_record
from tests.browser_steps import assert_accessible
from tests.factories import PASSWORD, UserFactory, teacher_user
from tests.reports.factories import current_year

from .factories import entry, teacher_with_category

pytestmark = pytest.mark.browser


def _sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


@pytest.mark.django_db(transaction=True)
def test_senior_builds_and_head_downloads(live_server, page, browser):
    from django.utils import timezone

    UserFactory(username="metodist", role=SENIOR_EDUCATOR)
    UserFactory(username="zav", role=HEAD)
    teacher = teacher_with_category(surname="Антонова")
    entry(
        teacher, ReportItem.COMPETITIONS, level=Level.REGIONAL, result=Result.WINNER, day=timezone.localdate()
    )

    _sign_in(page, live_server.url, "metodist")
    page.goto(f"{live_server.url}/admin/reports/ratingbuild/")
    page.locator("a[href$='/admin/reports/ratingbuild/build/']").click()
    page.locator("input[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("1")
    build = RatingBuild.objects.get()
    assert build.built_by.username == "metodist"

    head_context = browser.new_context(
        locale="ru-RU", timezone_id="Asia/Yekaterinburg", accept_downloads=True
    )
    head_page = head_context.new_page()
    _sign_in(head_page, live_server.url, "zav")
    head_page.locator("nav a[href='/reports/']").click()
    expect(head_page.locator("[data-test=rating]")).to_contain_text("Антонова")
    expect(head_page.locator("[data-test=rating]")).to_contain_text("9,0")
    expect(head_page.locator("svg.portal-chart")).to_have_count(3)
    with head_page.expect_download() as download_info:
        head_page.locator("[data-test=download]").click()
    download = download_info.value
    workbook = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert len(workbook.sheetnames) == 8
    assert workbook.worksheets[0].cell(row=2, column=3).value == "Антонова Мария Ивановна"
    head_context.close()


NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# Chart labels that start left of their picture (clipped), measured by the browser in its own font.
CLIPPED_LABELS = """() => [...document.querySelectorAll('svg.portal-chart')].flatMap(svg => {
    const box = svg.getBoundingClientRect();
    return [...svg.querySelectorAll('text')]
        .filter(t => { const r = t.getBoundingClientRect(); return r.left < box.left - 0.5 || r.right > box.right + 0.5; })
        .map(t => t.textContent);
})"""


@pytest.mark.django_db(transaction=True)
def test_reports_pages_fit_a_phone(live_server, browser):
    from django.utils import timezone

    UserFactory(username="zav", role=HEAD)
    anna = teacher_user("anna", surname="Антонова")
    today = timezone.localdate()
    names = [("Константинопольская", "Александра", "Владимировна"), ("Александрова", "Анна", "Сергеевна")]
    for index, (surname, name, patronymic) in enumerate(names * 3):
        teacher = teacher_with_category(surname=f"{surname}{index}", name=name, patronymic=patronymic)
        entry(teacher, ReportItem.COMPETITIONS, level=Level.REGIONAL, result=Result.WINNER, day=today)
    entry(
        staff_record(anna),
        ReportItem.COMPETITIONS,
        level=Level.REGIONAL,
        result=Result.WINNER,
        day=today,
        title="Городской конкурс профессионального мастерства педагогов дошкольного образования",
    )
    rating_build(year=current_year())

    phone = browser.new_context(
        locale="ru-RU",
        timezone_id="Asia/Yekaterinburg",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page = phone.new_page()
    _sign_in(page, live_server.url, "zav")
    page.goto(f"{live_server.url}/reports/")
    expect(page.locator("[data-test=rating]")).to_contain_text("Константинопольская0")
    assert page.evaluate("window.innerWidth") == 390
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert page.evaluate(CLIPPED_LABELS) == []
    page.goto(f"{live_server.url}/reports/self-reports/")
    expect(page.locator("[data-test=reports]")).to_contain_text("Константинопольская0")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    phone.clear_cookies()
    _sign_in(page, live_server.url, "anna")
    page.goto(f"{live_server.url}/reports/self-report/")
    expect(page.locator("[data-item='3.3']")).to_contain_text("Городской конкурс")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert_accessible(page)
    phone.close()
