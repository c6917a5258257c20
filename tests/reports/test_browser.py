"""End to end: the senior educator builds the rating; the head opens the dashboard and downloads it."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from events.models import Level
from kindergarten_portal.roles import HEAD, SENIOR_EDUCATOR
from portfolios.models import ReportItem, Result
from reports.models import RatingBuild
from tests.factories import PASSWORD, UserFactory

from .factories import entry, teacher_with_category


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
    assert len(workbook.sheetnames) == 6
    assert workbook.worksheets[0].cell(row=2, column=3).value == "Антонова Мария Ивановна"
    head_context.close()
