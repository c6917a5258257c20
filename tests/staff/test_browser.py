import datetime

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from kindergarten_portal.access.roles import SENIOR_EDUCATOR
from staff.access import staff_record
from staff.models import Category, EducationLevel
from tests.browser_steps import assert_accessible
from tests.factories import PASSWORD, CategoryDecisionFactory, EmployeeFactory, UserFactory, teacher_user

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_teacher_signs_in_and_sees_her_page_in_russian(live_server, page):
    anna = teacher_user("anna", surname="Антонова")
    CategoryDecisionFactory(
        employee=staff_record(anna), category=Category.FIRST, decision_date=datetime.date(2024, 5, 20)
    )

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server.url}/staff/me/")
    expect(page.get_by_role("heading", name="Войти")).to_be_visible()
    page.get_by_label("Имя пользователя").fill("anna")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()

    expect(page.get_by_role("heading", name="Антонова Мария Ивановна")).to_be_visible()
    expect(page.locator("[data-test=category]")).to_have_text("Первая")
    # Granted after 01.09.2023: no end date (the old five-year date is nowhere on the page).
    expect(page.locator("[data-test=valid-until]")).to_be_visible()
    expect(page.get_by_text("20.05.2029")).to_have_count(0)
    expect(page.locator("[data-test=todo] [data-kind=no_term]")).to_be_visible()
    assert_accessible(page)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    # Signed in over plain http with production's Secure cookie flags: chromium keeps them on localhost.
    cookies = {cookie["name"]: cookie["secure"] for cookie in page.context.cookies()}
    assert cookies == {"csrftoken": True, "sessionid": True}


@pytest.mark.django_db(transaction=True)
def test_senior_opens_the_attestation_calendar_picks_a_month_and_downloads_it(live_server, page):
    from django.utils import timezone

    from staff.dates import add_months, add_years
    from tests.factories import EmployeeFactory, TrainingFactory, UserFactory

    # The browser's clock is the machine's: the dates count from a day of this month that every
    # month has (on the 29th–31st four months on and three back is not one month on).
    today = timezone.localdate().replace(day=min(timezone.localdate().day, 28))
    UserFactory(username="metodist", role=SENIOR_EDUCATOR)
    legacy = EmployeeFactory(surname="Скорова")
    # Granted before 01.09.2023; the decision ends it four months from now.
    CategoryDecisionFactory(
        employee=legacy,
        category=Category.FIRST,
        decision_date=datetime.date(2022, 1, 10),
        valid_until=add_months(today, 4),
    )
    TrainingFactory(employee=legacy, start_date=add_years(today, -1), end_date=add_years(today, -1))
    fresh = EmployeeFactory(surname="Новенькая", hire_date=add_months(today, -20))
    TrainingFactory(employee=fresh, start_date=add_years(today, -1), end_date=add_years(today, -1))

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Имя пользователя").fill("metodist")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.goto(f"{live_server.url}/admin/staff/employee/")
    page.locator("a[href$='/admin/staff/employee/attestation-calendar/']").click()
    calendar = page.locator("#calendar")
    expect(calendar.locator("tr[data-kind=category_ends]")).to_contain_text("Скорова")
    expect(calendar.locator("tr[data-kind=category_ends]")).to_contain_text(
        add_months(today, 1).strftime("%d.%m.%Y")
    )
    expect(calendar.locator("tr[data-kind=conformity]")).to_contain_text("Новенькая")
    expect(calendar.locator("tr[data-kind=conformity]")).to_contain_text(
        add_months(today, 4).strftime("%d.%m.%Y")
    )

    page.locator("#id_month").select_option(add_months(today, 1).strftime("%Y-%m"))
    expect(calendar.locator("tbody tr")).to_have_count(1)
    expect(calendar).to_contain_text("Скорова")
    with page.expect_download() as download_info:
        page.locator("#calendar-xlsx").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")


@pytest.mark.django_db(transaction=True)
def test_senior_educator_opens_the_self_evaluation_indicators_and_downloads_them(live_server, page):
    UserFactory(username="metodist", role=SENIOR_EDUCATOR)
    EmployeeFactory(education_level=EducationLevel.HIGHER, hire_date=datetime.date(2016, 9, 1))
    EmployeeFactory(education_level=EducationLevel.SECONDARY_VOCATIONAL, hire_date=datetime.date(2026, 2, 1))

    page.goto(f"{live_server.url}/admin/staff/employee/")
    page.get_by_label("Имя пользователя").fill("metodist")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.locator("a[href='/staff/self-evaluation/']").first.click()

    page.locator("input[name=on]").fill("2026-01-15")  # before the second one was hired
    page.get_by_role("button", name="Показать").click()
    expect(page.locator("tr[data-number='1.7'] [data-test=value]")).to_have_text("1")
    expect(page.locator("tr[data-number='1.7.1'] [data-test=share]")).to_have_text("100,0")
    with page.expect_download() as download_info:
        page.locator("[data-test=download]").click()
    download = download_info.value
    assert download.suggested_filename.endswith("15.01.2026.xlsx")  # the start is translated
    with open(download.path(), "rb") as handle:
        sheet = load_workbook(handle).active
    rows = {r[0]: r[2] for r in sheet.iter_rows(values_only=True) if str(r[0]).startswith("1.")}
    assert (rows["1.7"], rows["1.7.1"], rows["1.7.3"]) == (1, 1, 0)
